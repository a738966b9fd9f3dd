/**
 * Ed25519 verifier keys in the C2SP signed-note format, so that one text form pins any Lintel
 * signing key (registry, log, officer, witness):
 *
 *   <name>+<key hash: 8 hex digits>+<base64 (standard, padded) of 0x01 ‖ public key>
 *   key hash = first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)
 *
 * (C2SP signed-note, "Verifier keys"; 0x01 is the Ed25519 signature type.) Names are non-empty
 * UTF-8 without white space or '+'.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { ED25519_PUBLIC_KEY_BYTES } from "./ed25519.ts";

export const ED25519_ALGORITHM = 0x01;

export interface VerifierKey {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
}

// "Unicode spaces" are the characters with the White_Space property (what Go's unicode.IsSpace,
// used by golang.org/x/mod/sumdb/note, tests). JavaScript's \s is not that set: it lacks U+0085
// (NEXT LINE) and includes U+FEFF (ZERO WIDTH NO-BREAK SPACE, not a space), so the set is spelt
// out. A lone surrogate has no UTF-8 form, so such a name is not well-formed UTF-8.
const NAME =
  /^[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000+\p{Cs}]+$/u;

/** Whether `name` may name a signed-note key: non-empty UTF-8 with no Unicode space and no '+'. */
export function isValidKeyName(name: string): boolean {
  return NAME.test(name);
}

function checkName(name: string): void {
  if (!NAME.test(name))
    throw new ProtocolError("bad-value", "a key name must be non-empty, with no spaces or '+'");
}

export function ed25519KeyId(name: string, publicKey: Uint8Array): Uint8Array {
  checkName(name);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = ED25519_ALGORITHM;
  input.set(publicKey, nameBytes.length + 2);
  return sha256(input).slice(0, 4);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function base64Std(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? B64[n & 63]! : "=";
  }
  return out;
}

function fromBase64Std(text: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new ProtocolError("bad-encoding", "not standard padded base64");
  }
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) throw new ProtocolError("bad-encoding", "base64 has non-zero padding bits");
  return out;
}

export { base64Std, fromBase64Std };

export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
    throw new ProtocolError("bad-length", "Ed25519 keys are 32 bytes");
  const body = new Uint8Array(1 + publicKey.length);
  body[0] = ED25519_ALGORITHM;
  body.set(publicKey, 1);
  return `${name}+${toHex(ed25519KeyId(name, publicKey))}+${base64Std(body)}`;
}

export function parseVerifierKey(text: string): VerifierKey {
  const parts = text.split("+");
  // The base64 part may itself contain '+', so split at the first two separators only.
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (parts.length < 3 || first <= 0 || second < 0)
    throw new ProtocolError("bad-encoding", "a verifier key is name+hash+key");
  const name = text.slice(0, first);
  const hash = text.slice(first + 1, second);
  const body = fromBase64Std(text.slice(second + 1));
  if (!/^[0-9a-f]{8}$/.test(hash))
    throw new ProtocolError("bad-encoding", "the key hash is 8 lower-case hex digits");
  if (body.length !== 1 + ED25519_PUBLIC_KEY_BYTES || body[0] !== ED25519_ALGORITHM) {
    throw new ProtocolError("bad-value", "only Ed25519 verifier keys (type 0x01) are supported");
  }
  const publicKey = body.slice(1);
  const keyId = ed25519KeyId(name, publicKey);
  if (toHex(keyId) !== hash)
    throw new ProtocolError("bad-value", "the key hash does not match the name and key");
  return { name, keyId, publicKey };
}
