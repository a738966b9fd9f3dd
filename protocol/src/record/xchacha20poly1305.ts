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
import { type Aead, aeadOf } from "./aead.ts";

const ZERO_NONCE = new Uint8Array(24);

export const xchacha20poly1305Js: Aead = aeadOf({
  encrypt: (key, plaintext, ad) => xchacha20poly1305(key, ZERO_NONCE, ad).encrypt(plaintext),
  decrypt: (key, ciphertext, ad) => xchacha20poly1305(key, ZERO_NONCE, ad).decrypt(ciphertext),
});
