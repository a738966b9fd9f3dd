/**
 * XChaCha20-Poly1305 (libsodium's crypto_aead_xchacha20poly1305_ietf) as the {@link Aead} that seals
 * check-in records under the IBE KEM's key (W = AEAD(KDF(σ), m, ad = id ‖ U)).
 *
 * The nonce is fixed: 24 zero bytes, and no nonce travels with the ciphertext. This is safe here,
 * and only here, because every key this object is given is derived from a fresh random 32-byte σ
 * and encrypts exactly one message: an AEAD's nonce must be unique per key, and with one message
 * per key any constant nonce is unique. (crypto_box_seal relies on the same argument with its
 * ephemeral key.) It saves 24 bytes per ciphertext and removes a way to get nonces wrong.
 * Never use it with a key that encrypts twice.
 *
 * `seal` throws ProtocolError("bad-length") for a key that is not 32 bytes. `open` returns null on
 * every failure — wrong key, any change to ciphertext, tag or associated data, wrong lengths,
 * non-byte inputs — and never throws on bad input. Both throw an Error if `ready()` has not resolved.
 */
import { ProtocolError } from "../errors.ts";
import type { Aead } from "../record/aead.ts";
import { lib } from "./sodium.ts";

const KEY_BYTES = 32;
const TAG_BYTES = 16;
const ZERO_NONCE = new Uint8Array(24);

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

export const xchacha20poly1305: Aead = Object.freeze({
  keyBytes: KEY_BYTES,
  tagBytes: TAG_BYTES,

  seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
    const sodium = lib();
    if (!isBytes(key) || key.length !== KEY_BYTES) {
      throw new ProtocolError("bad-length", `an AEAD key is ${KEY_BYTES} bytes`);
    }
    if (!isBytes(plaintext) || !isBytes(associatedData)) {
      throw new ProtocolError("bad-value", "plaintext and associated data must be bytes");
    }
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      plaintext,
      associatedData,
      null,
      ZERO_NONCE,
      key,
    );
  },

  open(key: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
    const sodium = lib();
    if (!isBytes(key) || key.length !== KEY_BYTES) return null;
    if (!isBytes(ciphertext) || ciphertext.length < TAG_BYTES || !isBytes(associatedData))
      return null;
    try {
      return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        ciphertext,
        associatedData,
        ZERO_NONCE,
        key,
      );
    } catch {
      return null;
    }
  },
});
