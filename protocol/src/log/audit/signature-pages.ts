/**
 * The auditor's look-ahead for Lintel entries' signatures: entries are taken in pages of
 * {@link PAGE_ENTRIES}, and each page's signatures are verified at once (WebCrypto where the
 * platform has it, off the main thread) while at most {@link PAGES_AHEAD} pages wait ahead of the
 * policy replay. Started as soon as the entries are fetched, it overlaps their leaf and tile
 * checks, then the replay of the pages before.
 *
 * It only ever says "found valid ahead" (VerifiedSignatures): the replay decides every entry and
 * verifies itself whatever is not found, so a page that failed, or an entry that did not decode,
 * costs time, never a different answer. Each entry is decoded once, here, and the replay is handed
 * the decoding of the very bytes it replays.
 */
import { VerifiedSignatures } from "../../keys/verified-signatures.ts";
import { type DecodedEntry, decodeEntry } from "../entries/entry.ts";
import { entrySignatureItems } from "../entries/policy.ts";

export const PAGE_ENTRIES = 128;
export const PAGES_AHEAD = 3;

/** A page's entries decoded (undefined where they do not decode) and its signatures found valid. */
export interface SignaturePage {
  readonly decoded: ReadonlyArray<DecodedEntry | undefined>;
  readonly verified: VerifiedSignatures;
}

export class SignaturePages {
  private readonly pending = new Map<number, Promise<SignaturePage>>();
  private nextStart: number;

  /** Starts verifying the pages of `entries` from index `first`. */
  constructor(
    private readonly entries: readonly Uint8Array[],
    first: number,
  ) {
    this.nextStart = first;
    this.fill(first);
  }

  /** The page starting at `start` (a page boundary from `first`). */
  page(start: number): Promise<SignaturePage> {
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

  private async verify(start: number): Promise<SignaturePage> {
    // An entry that does not decode is left to the replay, which refuses it with the decoder's
    // reason.
    const decoded = this.entries.slice(start, start + PAGE_ENTRIES).map((bytes) => {
      try {
        return decodeEntry(bytes);
      } catch {
        return undefined;
      }
    });
    const items = decoded.flatMap((d) => (d ? entrySignatureItems(d) : []));
    // Nothing known ahead if the page failed: the replay then checks every signature itself.
    const verified = await VerifiedSignatures.verify(items).catch(() => new VerifiedSignatures());
    return { decoded, verified };
  }
}
