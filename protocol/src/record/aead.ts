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
import { ProtocolError } from "../errors.ts";

export interface Aead {
  readonly keyBytes: 32;
  readonly tagBytes: 16;
  /** Returns ciphertext ‖ tag (plaintext length + tagBytes). Throws ProtocolError on a bad key length. */
  seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null on any failure (wrong key, tampering, bad lengths); never throws on bad input. */
  open(key: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null;
}

/** An XChaCha20-Poly1305 implementation with the nonce fixed at 24 zero bytes (see Aead). */
export interface FixedNonceCipher {
  /** Runs first in seal and open; throws when the cipher is not usable yet (libsodium's ready()). */
  readonly usable?: () => void;
  /** ciphertext ‖ tag. */
  encrypt(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array;
  /** The plaintext; may throw on any failure. */
  decrypt(key: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array;
}

const KEY_BYTES = 32;
const TAG_BYTES = 16;

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/**
 * The {@link Aead} over a cipher, with the checks every implementation makes: `seal` throws
 * ProtocolError("bad-length") for a key that is not 32 bytes and "bad-value" for inputs that are
 * not bytes; `open` returns null on every failure and never throws.
 */
export function aeadOf(cipher: FixedNonceCipher): Aead {
  return Object.freeze({
    keyBytes: KEY_BYTES,
    tagBytes: TAG_BYTES,
    seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
      cipher.usable?.();
      if (!isBytes(key) || key.length !== KEY_BYTES) {
        throw new ProtocolError("bad-length", `an AEAD key is ${KEY_BYTES} bytes`);
      }
      if (!isBytes(plaintext) || !isBytes(associatedData)) {
        throw new ProtocolError("bad-value", "plaintext and associated data must be bytes");
      }
      return cipher.encrypt(key, plaintext, associatedData);
    },
    open(key: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
      cipher.usable?.();
      if (!isBytes(key) || key.length !== KEY_BYTES) return null;
      if (!isBytes(ciphertext) || ciphertext.length < TAG_BYTES || !isBytes(associatedData))
        return null;
      try {
        return cipher.decrypt(key, ciphertext, associatedData);
      } catch {
        return null;
      }
    },
  } as const);
}
