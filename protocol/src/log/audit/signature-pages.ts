/**
 * The auditor's look-ahead for Lintel entries' signatures: entries are taken in pages of
 * {@link PAGE_ENTRIES}, and each page's signatures are verified at once (WebCrypto where the
 * platform has it, off the main thread) while at most {@link PAGES_AHEAD} pages wait ahead of the
 * policy replay. Started as soon as the entries are fetched, it overlaps their leaf and tile
 * checks, then the replay of the pages before.
 *
 * It only ever says "found valid ahead" (VerifiedSignatures): the replay decides every entry and
 * verifies itself whatever is not found, so a page that failed, or an entry that did not decode,
 * costs time, never a different answer.
 */
import { VerifiedSignatures } from "../../keys/verified-signatures.ts";
import { entrySignatureItems } from "../entries/policy.ts";

export const PAGE_ENTRIES = 128;
export const PAGES_AHEAD = 3;

export class SignaturePages {
  private readonly pending = new Map<number, Promise<VerifiedSignatures>>();
  private nextStart: number;

  /** Starts verifying the pages of `entries` from index `first`. */
  constructor(
    private readonly entries: readonly Uint8Array[],
    first: number,
  ) {
    this.nextStart = first;
    this.fill(first);
  }

  /** The signatures found valid in the page starting at `start` (a page boundary from `first`). */
  page(start: number): Promise<VerifiedSignatures> {
    const page = this.pending.get(start) ?? this.verify(start);
    this.pending.delete(start);
    this.fill(start + PAGE_ENTRIES);
    return page;
  }

  private fill(from: number): void {
    const limit = Math.min(this.entries.length, from + PAGES_AHEAD * PAGE_ENTRIES);
    for (; this.nextStart < limit; this.nextStart += PAGE_ENTRIES) {
      if (this.nextStart >= from) this.pending.set(this.nextStart, this.verify(this.nextStart));
    }
  }

  private verify(start: number): Promise<VerifiedSignatures> {
    const items = this.entries
      .slice(start, start + PAGE_ENTRIES)
      .flatMap((e) => entrySignatureItems(e));
    // Nothing known ahead if the page failed: the replay then checks every signature itself.
    return VerifiedSignatures.verify(items).catch(() => new VerifiedSignatures());
  }
}
