/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03; libsodium's crypto_aead_xchacha20poly1305_ietf)
 * in pure JavaScript (@noble/ciphers), as the {@link Aead} of PROTOCOL.md §5.3 — the same bytes as
 * the libsodium implementation in `@lintel/protocol/seal`, without its 434 kB of WebAssembly and
 * without waiting for `ready()`. The check-in page, which seals one record per slot and opens
 * nothing, uses this one; the vectors and seal/aead.test.ts hold the two to identical output.
 *
 * The nonce is fixed at 24 zero bytes, for the reason seal/aead.ts gives: every key is derived
 * from a fresh random σ and seals exactly one message. `seal` throws ProtocolError("bad-length")
 * for a key that is not 32 bytes; `open` returns null on every failure and never throws.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { ProtocolError } from "../errors.ts";
import type { Aead } from "./aead.ts";

const KEY_BYTES = 32;
const TAG_BYTES = 16;
const ZERO_NONCE = new Uint8Array(24);

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

export const xchacha20poly1305Js: Aead = Object.freeze({
  keyBytes: KEY_BYTES,
  tagBytes: TAG_BYTES,

  seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
    if (!isBytes(key) || key.length !== KEY_BYTES) {
      throw new ProtocolError("bad-length", `an AEAD key is ${KEY_BYTES} bytes`);
    }
    if (!isBytes(plaintext) || !isBytes(associatedData)) {
      throw new ProtocolError("bad-value", "plaintext and associated data must be bytes");
    }
    return xchacha20poly1305(key, ZERO_NONCE, associatedData).encrypt(plaintext);
  },

  open(key: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
    if (!isBytes(key) || key.length !== KEY_BYTES) return null;
    if (!isBytes(ciphertext) || ciphertext.length < TAG_BYTES || !isBytes(associatedData))
      return null;
    try {
      return xchacha20poly1305(key, ZERO_NONCE, associatedData).decrypt(ciphertext);
    } catch {
      return null;
    }
  },
});
