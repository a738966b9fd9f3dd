/**
 * Timestamped Ed25519 witness cosignatures, "cosignature/v1" (c2sp.org/tlog-cosignature;
 * signature type 0x04 in c2sp.org/signed-note "Signature types").
 *
 * - A cosignature is a note signature on a checkpoint: '— <witness name> base64(key ID ‖ sig)'.
 * - Key ID = SHA-256(<name> ‖ "\n" ‖ 0x04 ‖ 32-byte Ed25519 witness public key)[:4]. Clients are
 *   configured with (witness name, public key, cosignature version) and compute the key ID from
 *   those, ignoring lines that do not match both name and key ID.
 * - The signature bytes are a 72-byte timestamped_signature: u64 timestamp (big-endian, POSIX
 *   seconds; it MUST NOT exceed 2^63 − 1 per the current revision) ‖ 64-byte Ed25519 signature.
 * - The signed message is "cosignature/v1\n" ‖ "time " ‖ <timestamp, ASCII decimal, no leading
 *   zeroes> ‖ "\n" ‖ the whole checkpoint note text (final newline included, extension lines
 *   included, signature lines excluded). For example:
 *
 *     cosignature/v1
 *     time 1679315147
 *     example.com/behind-the-sofa
 *     20852163
 *     CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 *
 * - Public keys MAY be written as verifier keys with type 0x04:
 *   <name>+<8 hex digits of the key ID>+<base64(0x04 ‖ public key)>.
 *
 * The message does not commit to the witness name, so one witness key must serve one name only
 * (tlog-cosignature, "Ed25519 signed message"). ML-DSA-44 cosignatures (type 0x06) are not
 * supported; lines of that type are simply unknown keys.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, constantTimeEqual, toHex, utf8 } from "../../encoding/bytes.ts";
import { ProtocolError } from "../../errors.ts";
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
} from "../../keys/ed25519.ts";
import { ed25519KeyId, isValidKeyName, type VerifierKey } from "../../keys/verifier-key.ts";
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from "../checkpoint/checkpoint.ts";
import {
  formatSignatureLine,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  parseSignatureLines,
} from "./note.ts";
import { base64Std, formatDecimal, fromBase64Std } from "./text.ts";

export const COSIGNATURE_V1_ALGORITHM = 0x04;
/** u64 timestamp ‖ Ed25519 signature. */
export const COSIGNATURE_V1_BYTES = 8 + ED25519_SIGNATURE_BYTES;
/** tlog-cosignature: the timestamp MUST NOT exceed 2^63 − 1. */
export const MAX_COSIGNATURE_TIMESTAMP = 0x7fff_ffff_ffff_ffffn;

function checkName(name: string): void {
  if (typeof name !== "string" || !isValidKeyName(name)) {
    throw new ProtocolError("bad-value", "a witness name must be non-empty, with no spaces or '+'");
  }
}

function checkPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new ProtocolError("bad-length", "an Ed25519 witness public key is 32 bytes");
  }
}

/** SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]. */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  checkName(name);
  checkPublicKey(publicKey);
  return sha256(
    concatBytes(utf8(name), new Uint8Array([0x0a, COSIGNATURE_V1_ALGORITHM]), publicKey),
  ).slice(0, 4);
}

/** A type-0x04 verifier key: name+<hex key ID>+base64(0x04 ‖ public key). */
export function formatCosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  const keyId = cosignatureKeyId(name, publicKey);
  const body = concatBytes(new Uint8Array([COSIGNATURE_V1_ALGORITHM]), publicKey);
  return `${name}+${toHex(keyId)}+${base64Std(body)}`;
}

/**
 * Parses a type-0x04 verifier key. The VerifierKey it returns carries the cosignature key ID;
 * the functions here accept it, or a VerifierKey for the same name and public key with the
 * Ed25519 (0x01) key ID, since the name and key are what identify a witness.
 */
export function parseCosignatureVerifierKey(text: string): VerifierKey {
  if (typeof text !== "string") throw new ProtocolError("bad-value", "a verifier key is a string");
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (first <= 0 || second < 0) {
    throw new ProtocolError("bad-encoding", "a verifier key is name+hash+key");
  }
  const name = text.slice(0, first);
  const hash = text.slice(first + 1, second);
  if (!/^[0-9a-f]{8}$/.test(hash)) {
    throw new ProtocolError("bad-encoding", "the key hash is 8 lower-case hex digits");
  }
  const body = fromBase64Std(text.slice(second + 1));
  if (body.length !== 1 + ED25519_PUBLIC_KEY_BYTES || body[0] !== COSIGNATURE_V1_ALGORITHM) {
    throw new ProtocolError(
      "bad-value",
      "a cosignature verifier key is type 0x04 followed by a 32-byte Ed25519 key",
    );
  }
  if (!isValidKeyName(name)) {
    throw new ProtocolError("bad-value", "a key name must be non-empty, with no spaces or '+'");
  }
  const publicKey = body.slice(1);
  const keyId = cosignatureKeyId(name, publicKey);
  if (toHex(keyId) !== hash) {
    throw new ProtocolError("bad-value", "the key hash does not match the name and key");
  }
  return { name, keyId, publicKey };
}

/** The exact bytes a cosignature/v1 signs for a checkpoint body at a timestamp. */
export function cosignatureMessage(checkpointBody: string, timestamp: bigint): Uint8Array {
  const time = formatDecimal(timestamp, "a cosignature timestamp", MAX_COSIGNATURE_TIMESTAMP);
  return utf8(`cosignature/v1\ntime ${time}\n${checkpointBody}`);
}

/** The timestamp of a cosignature/v1 signature (the bytes after the key ID). */
export function cosignatureTimestamp(signature: Uint8Array): bigint {
  if (!(signature instanceof Uint8Array) || signature.length !== COSIGNATURE_V1_BYTES) {
    throw new ProtocolError(
      "bad-length",
      `a cosignature/v1 signature is ${COSIGNATURE_V1_BYTES} bytes (timestamp and Ed25519 signature)`,
    );
  }
  return new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
}

export interface WitnessSigningKey {
  readonly name: string;
  /** 32-byte Ed25519 seed. */
  readonly secretKey: Uint8Array;
}

/**
 * A note signer producing cosignature/v1 signatures at a fixed timestamp. It signs any note
 * text; use cosignCheckpoint to sign only well-formed checkpoints.
 */
export function cosignatureSigner(witness: WitnessSigningKey, timestamp: bigint): NoteSigner {
  const publicKey = ed25519PublicKey(witness.secretKey);
  const keyId = cosignatureKeyId(witness.name, publicKey);
  formatDecimal(timestamp, "a cosignature timestamp", MAX_COSIGNATURE_TIMESTAMP);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, timestamp);
  const header = utf8(`cosignature/v1\ntime ${timestamp}\n`);
  return {
    name: witness.name,
    keyId,
    sign: (text) => concatBytes(prefix, ed25519Sign(witness.secretKey, concatBytes(header, text))),
  };
}

function witnessIdentity(key: VerifierKey): {
  name: string;
  publicKey: Uint8Array;
  keyId: Uint8Array;
} {
  checkName(key.name);
  checkPublicKey(key.publicKey);
  const keyId = cosignatureKeyId(key.name, key.publicKey);
  // A witness is (name, public key); accept its VerifierKey with either key ID, refuse any other.
  if (
    !(key.keyId instanceof Uint8Array) ||
    !(
      constantTimeEqual(key.keyId, keyId) ||
      constantTimeEqual(key.keyId, ed25519KeyId(key.name, key.publicKey))
    )
  ) {
    throw new ProtocolError(
      "bad-value",
      `the key ID given for witness ${key.name} matches neither its 0x01 nor its 0x04 key ID`,
    );
  }
  return { name: key.name, publicKey: key.publicKey, keyId };
}

/**
 * A note verifier for cosignature/v1 signatures by `witness`. Timestamps above 2^63 − 1 fail;
 * `notAfter`, when given, also fails signatures dated later than it (tlog-cosignature: verifiers
 * MAY reject cosignatures with timestamps in the future).
 */
export function cosignatureVerifier(witness: VerifierKey, notAfter?: bigint): NoteVerifier {
  const { name, publicKey, keyId } = witnessIdentity(witness);
  return {
    name,
    keyId,
    verify: (text, signature) => {
      if (signature.length !== COSIGNATURE_V1_BYTES) return false;
      const timestamp = cosignatureTimestamp(signature);
      if (timestamp > MAX_COSIGNATURE_TIMESTAMP) return false;
      if (notAfter !== undefined && timestamp > notAfter) return false;
      const message = concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), text);
      return ed25519Verify(publicKey, message, signature.subarray(8));
    },
  };
}

function bodyOf(checkpoint: Checkpoint | string): string {
  if (typeof checkpoint === "string") {
    parseCheckpoint(checkpoint);
    return checkpoint;
  }
  return formatCheckpoint(checkpoint);
}

/**
 * A witness cosigns a checkpoint body (which it has verified): returns the cosignature line
 * '— <witness name> <base64(key ID ‖ timestamp ‖ signature)>\n', as returned in a tlog-witness
 * add-checkpoint response.
 */
export function cosignCheckpoint(
  checkpoint: Checkpoint | string,
  witness: WitnessSigningKey,
  timestamp: bigint,
): string {
  const body = bodyOf(checkpoint);
  const signer = cosignatureSigner(witness, timestamp);
  return formatSignatureLine({
    name: signer.name,
    keyId: signer.keyId,
    signature: signer.sign(utf8(body)),
  });
}

/**
 * Verifies one cosignature (a parsed signature, or one signature line) on a checkpoint body
 * against a trusted witness and returns its timestamp. Throws "unknown-key" if the signature is
 * not by that witness (name or key ID differ), "bad-signature" if it is and does not verify.
 */
export function verifyCosignature(
  checkpoint: Checkpoint | string,
  signature: NoteSignature | string,
  witness: VerifierKey,
): bigint {
  const body = bodyOf(checkpoint);
  let sig: NoteSignature;
  if (typeof signature === "string") {
    const parsed = parseSignatureLines(signature);
    if (parsed.length !== 1) {
      throw new ProtocolError("bad-encoding", "give exactly one cosignature line");
    }
    sig = parsed[0]!;
  } else {
    sig = signature;
  }
  const verifier = cosignatureVerifier(witness);
  if (
    sig.name !== verifier.name ||
    !(sig.keyId instanceof Uint8Array) ||
    !constantTimeEqual(sig.keyId, verifier.keyId)
  ) {
    throw new ProtocolError(
      "unknown-key",
      `the cosignature is by ${String(sig.name)}, not by the witness ${verifier.name}`,
    );
  }
  if (!(sig.signature instanceof Uint8Array) || !verifier.verify(utf8(body), sig.signature)) {
    throw new ProtocolError(
      "bad-signature",
      `the cosignature by witness ${verifier.name} does not verify`,
    );
  }
  return cosignatureTimestamp(sig.signature);
}
