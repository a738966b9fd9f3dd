/**
 * Log entries (PROTOCOL.md §10.2): every leaf of Lintel's transparency log is one entry, signed by
 * its author(s), so a verifier needs nothing but the log to check who did what.
 *
 *   entry    = u8 0x4C ('L') ‖ u8 version 1 ‖ u8 kind ‖ text8 deployment ‖ u64 issuedAt
 *            ‖ bytes16 body ‖ u8 n ‖ n × (fixed(32) Ed25519 public key ‖ fixed(64) signature)
 *   signed   = everything before n, under context "log entry":
 *              Ed25519(key, "LINTEL-V1 log entry" ‖ 0x00 ‖ signed)
 *
 * Signers are named by their full public key (not a short id): entries are few, and an auditor
 * must never have to guess which key a signature claims. Signatures appear in ascending order of
 * public key, each key at most once, so an entry with the same signers has one encoding.
 */
import { Reader, Writer } from "../../encoding/binary.ts";
import { ProtocolError } from "../../errors.ts";
import { ed25519PublicKey } from "../../keys/ed25519.ts";
import { contextMessage, signInContext, verifyInContext } from "../../keys/signing-context.ts";
import { decodeEntryBody, ENTRY_KINDS, type EntryBody, encodeEntryBody } from "./bodies.ts";

export const ENTRY_TYPE = 0x4c;
export const ENTRY_VERSION = 1;
export const MAX_ENTRY_SIGNATURES = 8;

export interface EntrySignature {
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface LogEntry {
  readonly deployment: string;
  /** Unix seconds, as claimed by the author. */
  readonly issuedAt: number;
  readonly body: EntryBody;
  readonly signatures: readonly EntrySignature[];
}

export type UnsignedEntry = Omit<LogEntry, "signatures">;

/** The bytes every signer signs. */
export function entrySignedPart(entry: UnsignedEntry): Uint8Array {
  if (!Number.isSafeInteger(entry.issuedAt) || entry.issuedAt < 0)
    throw new ProtocolError("bad-value", "issuedAt is Unix seconds");
  return new Writer()
    .u8(ENTRY_TYPE)
    .u8(ENTRY_VERSION)
    .u8(ENTRY_KINDS.indexOf(entry.body.kind) + 1)
    .text8(entry.deployment, 32, "deployment")
    .u64(BigInt(entry.issuedAt))
    .bytes16(encodeEntryBody(entry.body))
    .finish();
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Signs an entry with each secret key; signatures come out in canonical order. */
export function signEntry(entry: UnsignedEntry, secretKeys: readonly Uint8Array[]): LogEntry {
  const message = entrySignedPart(entry);
  const signatures = secretKeys
    .map((sk) => ({
      publicKey: ed25519PublicKey(sk),
      signature: signInContext(sk, "log entry", message),
    }))
    .sort((x, y) => compareBytes(x.publicKey, y.publicKey));
  return { ...entry, signatures };
}

/** Adds one more signature (e.g. the approving officer's) to a signed entry. */
export function countersignEntry(entry: LogEntry, secretKey: Uint8Array): LogEntry {
  const publicKey = ed25519PublicKey(secretKey);
  if (entry.signatures.some((s) => compareBytes(s.publicKey, publicKey) === 0)) {
    throw new ProtocolError("bad-value", "this key has already signed the entry");
  }
  const signature = signInContext(secretKey, "log entry", entrySignedPart(entry));
  const signatures = [...entry.signatures, { publicKey, signature }].sort((x, y) =>
    compareBytes(x.publicKey, y.publicKey),
  );
  return { ...entry, signatures };
}

/**
 * Adds a signature made by a key this code cannot see — a non-extractable WebCrypto device key:
 * `sign` gets the full message (context prefix included, §10.2) and returns the 64-byte Ed25519
 * signature. Works for the first signature too (pass `signatures: []`).
 */
export async function countersignEntryWith(
  entry: UnsignedEntry & { readonly signatures?: readonly EntrySignature[] },
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<LogEntry> {
  const existing = entry.signatures ?? [];
  if (existing.some((s) => compareBytes(s.publicKey, publicKey) === 0)) {
    throw new ProtocolError("bad-value", "this key has already signed the entry");
  }
  const signature = await sign(contextMessage("log entry", entrySignedPart(entry)));
  const signatures = [...existing, { publicKey, signature }].sort((x, y) =>
    compareBytes(x.publicKey, y.publicKey),
  );
  return { ...entry, signatures };
}

export function encodeEntry(entry: LogEntry): Uint8Array {
  if (entry.signatures.length === 0 || entry.signatures.length > MAX_ENTRY_SIGNATURES) {
    throw new ProtocolError("bad-value", `an entry carries 1–${MAX_ENTRY_SIGNATURES} signatures`);
  }
  const w = new Writer();
  const signed = entrySignedPart(entry);
  // Canonical order whatever order the caller assembled the signatures in; a key twice is refused.
  const signatures = [...entry.signatures].sort((x, y) => compareBytes(x.publicKey, y.publicKey));
  for (let i = 1; i < signatures.length; i++) {
    if (compareBytes(signatures[i - 1]!.publicKey, signatures[i]!.publicKey) === 0) {
      throw new ProtocolError("bad-value", "a key signs an entry at most once");
    }
  }
  w.fixed(signed, signed.length).u8(signatures.length);
  for (const s of signatures) w.fixed(s.publicKey, 32).fixed(s.signature, 64);
  return w.finish();
}

export interface DecodedEntry {
  readonly entry: LogEntry;
  readonly signedPart: Uint8Array;
}

export function decodeEntry(bytes: Uint8Array): DecodedEntry {
  const r = new Reader(bytes);
  if (r.u8() !== ENTRY_TYPE) throw new ProtocolError("unknown-type", "not a Lintel log entry");
  const version = r.u8();
  if (version !== ENTRY_VERSION)
    throw new ProtocolError("unknown-version", `entry version ${version} is not supported`);
  const kindByte = r.u8();
  const kind = ENTRY_KINDS[kindByte - 1];
  if (kind === undefined) throw new ProtocolError("unknown-type", `unknown entry kind ${kindByte}`);
  const deployment = r.text8(32, "deployment");
  const issued = r.u64();
  if (issued > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProtocolError("bad-value", "issuedAt out of range");
  const body = decodeEntryBody(kind, r.bytes16());
  const signedLength = r.offset;
  const n = r.u8();
  if (n === 0 || n > MAX_ENTRY_SIGNATURES)
    throw new ProtocolError("bad-value", `an entry carries 1–${MAX_ENTRY_SIGNATURES} signatures`);
  const signatures: EntrySignature[] = [];
  for (let i = 0; i < n; i++) {
    const publicKey = r.fixed(32);
    const signature = r.fixed(64);
    const previous = signatures[i - 1];
    if (previous && compareBytes(previous.publicKey, publicKey) >= 0) {
      throw new ProtocolError(
        "bad-value",
        "signatures must be in ascending key order without repeats",
      );
    }
    signatures.push({ publicKey, signature });
  }
  r.end();
  return {
    entry: { deployment, issuedAt: Number(issued), body, signatures },
    signedPart: bytes.slice(0, signedLength),
  };
}

/** Public keys whose signatures over the entry verify (invalid signatures are simply absent). */
export function validSigners(decoded: DecodedEntry): Uint8Array[] {
  return decoded.entry.signatures
    .filter((s) => verifyInContext(s.publicKey, "log entry", decoded.signedPart, s.signature))
    .map((s) => s.publicKey);
}
