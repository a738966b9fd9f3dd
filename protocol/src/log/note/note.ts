/**
 * C2SP signed notes (c2sp.org/signed-note; reference implementation golang.org/x/mod/sumdb/note).
 *
 *   <text, ending in U+000A; may contain empty lines>
 *   <an empty line>
 *   — <key name> <base64(key ID (4 bytes, big-endian) ‖ signature)>     (one or more lines)
 *
 * - The note is valid UTF-8 with no ASCII control character but newline ("Format").
 * - The text ends at the LAST empty line of the note; it includes its final newline but not the
 *   separating blank line, and it is exactly what each signature signs ("Format").
 * - Each signature line is em dash U+2014, a space, the key name, a space, the base64
 *   (RFC 4648 §4, padded) of 4 + n bytes: the key ID then the n signature bytes; every line,
 *   the last included, ends in a newline ("Format", "Signatures").
 * - Key names are non-empty and contain no Unicode space and no '+' ("Format").
 * - A key is known by the pair (name, key ID). Signatures by unknown keys are ignored, even when
 *   they share the name or the ID (but not both) with a known key; a signature whose pair matches
 *   a known key MUST be verified; a note with no verified signature by a known key MUST be
 *   rejected ("Signatures"). When a known key's signature fails, the spec lets clients reject the
 *   whole note (SHOULD in one revision, MAY in another): Lintel always does, so a forged line
 *   beside a good one is never silently dropped.
 * - Verifiers MUST accept at least 16 signatures and SHOULD bound their number or the note size
 *   ("Format"): the defaults here are 100 signatures (Go's limit) and 1 MiB.
 * - Ed25519 (type 0x01): RFC 8032 signature of the text; key ID =
 *   SHA-256(name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4] ("Ed25519 signatures"; see
 *   keys/verifier-key.ts). The timestamped witness cosignature (type 0x04) is in cosignature.ts.
 *
 * Duplicates, as in Go's Open: identical signature lines by an unknown key are reported once;
 * several signatures by one known key each get verified (all must pass) and each distinct one is
 * reported, so callers that count signers (witness quorums) count keys, not lines.
 */
import { constantTimeEqual } from "../../encoding/bytes.ts";
import { ProtocolError } from "../../errors.ts";
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
} from "../../keys/ed25519.ts";
import { ed25519KeyId, isValidKeyName, type VerifierKey } from "../../keys/verifier-key.ts";
import { base64Std, fromBase64Std, noteInput, noteTextBytes } from "./text.ts";

export const NOTE_KEY_ID_BYTES = 4;
/** Go's golang.org/x/mod/sumdb/note limit; the spec requires accepting at least 16. */
export const DEFAULT_MAX_SIGNATURES = 100;
export const DEFAULT_MAX_NOTE_BYTES = 1 << 20;

const SIGNATURE_PREFIX = "\u2014 ";

/** One signature line: the key's name, its 4-byte key ID, and the signature bytes after the ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

/** Produces signatures for one key (name and key ID fixed). `sign` gets the note text's bytes. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: Uint8Array;
  sign(text: Uint8Array): Uint8Array;
}

/**
 * Checks signatures by one key. `verify` gets the note text's bytes and the signature bytes after
 * the key ID, and answers true or false (it must not throw for a bad signature).
 */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export interface VerifiedSignature extends NoteSignature {
  /** The known key that verified this signature (one of the verifiers given to openNote). */
  readonly verifier: NoteVerifier;
}

export interface ParsedNote {
  readonly text: string;
  /** Every signature line in order, duplicates included. */
  readonly signatures: readonly NoteSignature[];
}

export interface OpenedNote {
  readonly text: string;
  /** Distinct signatures by known keys, all verified, in note order. */
  readonly verified: readonly VerifiedSignature[];
  /** Distinct signatures by keys not given to openNote, unverified, in note order. */
  readonly unknown: readonly NoteSignature[];
}

export interface NoteLimits {
  /** Largest note accepted, in bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Most signature lines accepted (default 100; at least 16 per the spec). */
  readonly maxSignatures?: number;
}

function limitsOf(limits: NoteLimits | undefined): { maxBytes: number; maxSignatures: number } {
  const maxBytes = limits?.maxBytes ?? DEFAULT_MAX_NOTE_BYTES;
  const maxSignatures = limits?.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new ProtocolError("bad-value", "maxBytes must be a positive integer");
  }
  // The spec: verifiers MUST accept at least up to 16 signatures.
  if (!Number.isSafeInteger(maxSignatures) || maxSignatures < 16) {
    throw new ProtocolError("bad-value", "maxSignatures must be an integer of at least 16");
  }
  return { maxBytes, maxSignatures };
}

/** Checks note text for signing: the note rules, non-empty, ending in a newline. */
export function checkNoteText(text: string): Uint8Array {
  if (typeof text !== "string") throw new ProtocolError("bad-value", "note text must be a string");
  const bytes = noteTextBytes(text, "note text");
  if (!text.endsWith("\n")) {
    throw new ProtocolError("bad-encoding", "note text must end with a newline");
  }
  return bytes;
}

function checkKeyId(keyId: Uint8Array, what: string): void {
  if (!(keyId instanceof Uint8Array) || keyId.length !== NOTE_KEY_ID_BYTES) {
    throw new ProtocolError("bad-length", `${what}: a key ID is ${NOTE_KEY_ID_BYTES} bytes`);
  }
}

function checkName(name: string, what: string): void {
  if (typeof name !== "string" || !isValidKeyName(name)) {
    throw new ProtocolError(
      "bad-value",
      `${what}: a key name must be non-empty, without spaces or '+', got ${JSON.stringify(String(name).slice(0, 60))}`,
    );
  }
}

/** Formats one signature line, newline included. */
export function formatSignatureLine(sig: NoteSignature): string {
  checkName(sig.name, "signature");
  checkKeyId(sig.keyId, "signature");
  if (!(sig.signature instanceof Uint8Array) || sig.signature.length === 0) {
    throw new ProtocolError("bad-length", "a note signature must not be empty");
  }
  const raw = new Uint8Array(NOTE_KEY_ID_BYTES + sig.signature.length);
  raw.set(sig.keyId, 0);
  raw.set(sig.signature, NOTE_KEY_ID_BYTES);
  return `${SIGNATURE_PREFIX}${sig.name} ${base64Std(raw)}\n`;
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new ProtocolError(
      "bad-encoding",
      `a signature line must start with an em dash and a space, got ${JSON.stringify(line.slice(0, 40))}`,
    );
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(" ");
  if (space < 0) {
    throw new ProtocolError("bad-encoding", "a signature line is '— <name> <base64>'");
  }
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) {
    throw new ProtocolError(
      "bad-encoding",
      `the key name ${JSON.stringify(name.slice(0, 60))} in a signature line is not valid`,
    );
  }
  let raw: Uint8Array;
  try {
    raw = fromBase64Std(b64);
  } catch {
    throw new ProtocolError("bad-encoding", `the signature by ${name} is not canonical base64`);
  }
  // A key ID and at least one signature byte (as Go's note.Open requires).
  if (raw.length <= NOTE_KEY_ID_BYTES) {
    throw new ProtocolError("bad-encoding", `the signature by ${name} is too short`);
  }
  return {
    name,
    keyId: raw.slice(0, NOTE_KEY_ID_BYTES),
    signature: raw.slice(NOTE_KEY_ID_BYTES),
  };
}

/**
 * Parses a block of signature lines (each '— <name> <base64>' ending in a newline), such as a
 * tlog-witness add-checkpoint response body.
 */
export function parseSignatureLines(
  input: Uint8Array | string,
  limits?: NoteLimits,
): NoteSignature[] {
  const { maxBytes, maxSignatures } = limitsOf(limits);
  const block = noteInput(input, maxBytes, "signature block");
  return parseBlock(block, maxSignatures);
}

function parseBlock(block: string, maxSignatures: number): NoteSignature[] {
  if (block.length === 0) {
    throw new ProtocolError("bad-encoding", "a signed note needs at least one signature line");
  }
  if (!block.endsWith("\n")) {
    throw new ProtocolError("bad-encoding", "every signature line must end with a newline");
  }
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > maxSignatures) {
    throw new ProtocolError(
      "field-too-long",
      `the note has ${lines.length} signatures; at most ${maxSignatures} are accepted`,
    );
  }
  return lines.map(parseSignatureLine);
}

/** Splits a signed note into its text and signature lines, checking syntax only (no keys). */
export function parseNote(input: Uint8Array | string, limits?: NoteLimits): ParsedNote {
  const { maxBytes, maxSignatures } = limitsOf(limits);
  const note = noteInput(input, maxBytes, "signed note");
  // The text is separated from the signatures by the last empty line of the note.
  const split = note.lastIndexOf("\n\n");
  if (split < 0) {
    throw new ProtocolError(
      "bad-encoding",
      "a signed note is its text, an empty line, then signature lines",
    );
  }
  return {
    text: note.slice(0, split + 1),
    signatures: parseBlock(note.slice(split + 2), maxSignatures),
  };
}

/** Serialises text and signatures as a signed note (the inverse of parseNote). */
export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  checkNoteText(text);
  if (signatures.length === 0) {
    throw new ProtocolError("bad-value", "a signed note needs at least one signature");
  }
  return `${text}\n${signatures.map(formatSignatureLine).join("")}`;
}

/**
 * Signs `text` (which must end in a newline) with every signer and returns the signed note.
 * Signers must have distinct (name, key ID) pairs.
 */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  limits?: NoteLimits,
): string {
  const { maxBytes, maxSignatures } = limitsOf(limits);
  const bytes = checkNoteText(text);
  if (signers.length === 0) throw new ProtocolError("bad-value", "give at least one signer");
  if (signers.length > maxSignatures) {
    throw new ProtocolError("field-too-long", `at most ${maxSignatures} signatures per note`);
  }
  const seen = new Set<string>();
  const signatures = signers.map((signer) => {
    checkName(signer.name, "signer");
    checkKeyId(signer.keyId, `signer ${signer.name}`);
    const pair = pairKey(signer.name, signer.keyId);
    if (seen.has(pair)) {
      throw new ProtocolError("bad-value", `the signer ${signer.name} is given twice`);
    }
    seen.add(pair);
    const signature = signer.sign(bytes);
    return { name: signer.name, keyId: signer.keyId, signature };
  });
  const note = formatNote(text, signatures);
  if (new TextEncoder().encode(note).length > maxBytes) {
    throw new ProtocolError("field-too-long", `the signed note is longer than ${maxBytes} bytes`);
  }
  return note;
}

function pairKey(name: string, keyId: Uint8Array): string {
  // Names never contain '+', so name+hex is unambiguous (the verifier-key spelling).
  return `${name}+${Array.from(keyId, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function sameSignature(a: NoteSignature, b: NoteSignature): boolean {
  return (
    a.name === b.name &&
    constantTimeEqual(a.keyId, b.keyId) &&
    constantTimeEqual(a.signature, b.signature)
  );
}

/**
 * Parses a signed note and verifies every signature by a known key (a verifier with the same
 * name and key ID). Throws ProtocolError:
 * - "bad-text" / "bad-encoding" / "field-too-long" for a malformed or oversized note;
 * - "bad-value" when two verifiers share a name and key ID;
 * - "bad-signature" when a signature by a known key does not verify;
 * - "unknown-key" when no signature is by a known key.
 */
export function openNote(
  input: Uint8Array | string,
  verifiers: readonly NoteVerifier[],
  limits?: NoteLimits,
): OpenedNote {
  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    checkName(v.name, "verifier");
    checkKeyId(v.keyId, `verifier ${v.name}`);
    const pair = pairKey(v.name, v.keyId);
    if (known.has(pair)) {
      throw new ProtocolError(
        "bad-value",
        `two verifiers share the key name ${v.name} and key ID ${pair.slice(v.name.length + 1)}`,
      );
    }
    known.set(pair, v);
  }

  const parsed = parseNote(input, limits);
  const textBytes = new TextEncoder().encode(parsed.text);
  const verified: VerifiedSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const sig of parsed.signatures) {
    const verifier = known.get(pairKey(sig.name, sig.keyId));
    if (verifier === undefined) {
      if (!unknown.some((u) => sameSignature(u, sig))) unknown.push(sig);
      continue;
    }
    if (verified.some((v) => sameSignature(v, sig))) continue;
    if (!verifier.verify(textBytes, sig.signature)) {
      throw new ProtocolError(
        "bad-signature",
        `the signature by ${pairKey(sig.name, sig.keyId)}, a known key, does not verify`,
      );
    }
    verified.push({ ...sig, verifier });
  }
  if (verified.length === 0) {
    const names = parsed.signatures.map((s) => pairKey(s.name, s.keyId));
    throw new ProtocolError(
      "unknown-key",
      `the note is not signed by any trusted key (it carries signatures by ${[...new Set(names)].join(", ")})`,
    );
  }
  return { text: parsed.text, verified, unknown };
}

/** A signer for Ed25519 note signatures (type 0x01) by the key `secretKey` (a 32-byte seed). */
export function ed25519NoteSigner(name: string, secretKey: Uint8Array): NoteSigner {
  const publicKey = ed25519PublicKey(secretKey);
  const keyId = ed25519KeyId(name, publicKey);
  return { name, keyId, sign: (text) => ed25519Sign(secretKey, text) };
}

/**
 * A verifier for Ed25519 note signatures (type 0x01). The key ID is derived from the name and
 * public key; a VerifierKey whose keyId says otherwise is refused as misconfigured.
 */
export function ed25519NoteVerifier(key: VerifierKey): NoteVerifier {
  checkName(key.name, "verifier");
  if (!(key.publicKey instanceof Uint8Array) || key.publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new ProtocolError("bad-length", `the public key of ${key.name} must be 32 bytes`);
  }
  const keyId = ed25519KeyId(key.name, key.publicKey);
  if (!(key.keyId instanceof Uint8Array) || !constantTimeEqual(key.keyId, keyId)) {
    throw new ProtocolError(
      "bad-value",
      `the key ID given for ${key.name} is not its Ed25519 key ID`,
    );
  }
  const publicKey = key.publicKey;
  return {
    name: key.name,
    keyId,
    verify: (text, signature) =>
      signature.length === ED25519_SIGNATURE_BYTES && ed25519Verify(publicKey, text, signature),
  };
}
