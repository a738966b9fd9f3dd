/**
 * The AEAD that seals a check-in record under the key from the IBE KEM (PROTOCOL.md §5.3:
 * W = AEAD(key = KDF(σ), m, ad = id ‖ U)).
 *
 * Only the interface lives here, so pure code (the IBE construction) can name the type without
 * loading libsodium. The implementation is `xchacha20poly1305` in `@lintel/protocol/seal`.
 *
 * The interface has no nonce: every key it is given is derived from a fresh random σ and used for
 * exactly one message, so an implementation may use a fixed nonce. Never pass it a key that is
 * used twice.
 */
export interface Aead {
  readonly keyBytes: 32;
  readonly tagBytes: 16;
  /** Returns ciphertext ‖ tag (plaintext length + tagBytes). Throws ProtocolError on a bad key length. */
  seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null on any failure (wrong key, tampering, bad lengths); never throws on bad input. */
  open(key: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null;
}
