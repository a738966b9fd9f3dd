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
import { type Aead, aeadOf } from "../record/aead.ts";
import { lib } from "./sodium.ts";

const ZERO_NONCE = new Uint8Array(24);

export const xchacha20poly1305: Aead = aeadOf({
  usable: () => void lib(),
  encrypt: (key, plaintext, ad) =>
    lib().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, ZERO_NONCE, key),
  decrypt: (key, ciphertext, ad) =>
    lib().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, ZERO_NONCE, key),
});
