/**
 * Boneh–Franklin identity-based encryption with the Fujisaki–Okamoto transform, the construction
 * CrowdNotifier uses (PROTOCOL.md §4.4). Identities in G1, master key in G2.
 *
 *   encrypt(mpk, id, m):
 *     σ ← 32 random bytes
 *     r = hash_to_scalar(σ ‖ SHA-256(id) ‖ SHA-256(m))      DST "LINTEL-V1-IBE-FO-BLS12381_XMD:SHA-256_SSWU_RO_"
 *     U = r · g2
 *     k = e(r · Q, mpk)            (= e(Q, mpk)^r when e(Q, mpk) is cached)
 *     V = σ ⊕ SHA-256("LINTEL-V1 ibe mask" ‖ 0x00 ‖ Fp12(k))
 *     W = AEAD(SHA-256("LINTEL-V1 ibe key" ‖ 0x00 ‖ σ), m, ad = id ‖ U)
 *     ciphertext = u8 0x45 ('E') ‖ u8 1 ‖ U (96) ‖ V (32) ‖ W (|m| + 16)
 *
 *   decrypt(D, id, ciphertext):   D = Σ D_i, so e(D, U) = e(Q, mpk)^r = k
 *     σ = V ⊕ mask(e(D, U)); m = AEAD-open(W); r = hash_to_scalar(σ ‖ SHA-256(id) ‖ SHA-256(m))
 *     reject unless U = r · g2     — the Fujisaki–Okamoto check: a modified ciphertext never
 *                                    decrypts, so no decryptor can be used as an oracle
 *
 * Every failure after parsing is the single error "decryption-failed", whatever step failed.
 * Fp12(k) is noble's canonical 576-byte big-endian serialisation of the GT element.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, constantTimeEqual, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import type { Aead } from "../record/aead.ts";
import { bls, decodeG1, decodeG2, Fp12, G2, G2_BYTES, type GtElement, gtPow } from "./curve.ts";
import type { PreparedMasterKey } from "./master-key.ts";

export const FO_DST = "LINTEL-V1-IBE-FO-BLS12381_XMD:SHA-256_SSWU_RO_";
export const CIPHERTEXT_TYPE = 0x45;
export const CIPHERTEXT_VERSION = 1;
export const SIGMA_BYTES = 32;
const HEADER = 2 + G2_BYTES + SIGMA_BYTES;

export function ciphertextBytes(plaintextBytes: number): number {
  return HEADER + plaintextBytes + 16;
}

const ZERO = new Uint8Array([0]);
const MASK_LABEL = concatBytes(utf8("LINTEL-V1 ibe mask"), ZERO);
const KEY_LABEL = concatBytes(utf8("LINTEL-V1 ibe key"), ZERO);

function mask(k: GtElement): Uint8Array {
  return sha256(concatBytes(MASK_LABEL, Fp12.toBytes(k)));
}

function aeadKey(sigma: Uint8Array): Uint8Array {
  return sha256(concatBytes(KEY_LABEL, sigma));
}

function foScalar(sigma: Uint8Array, idBytes: Uint8Array, plaintext: Uint8Array): bigint {
  return bls.G1.hashToScalar(concatBytes(sigma, sha256(idBytes), sha256(plaintext)), {
    DST: FO_DST,
  });
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export interface EncryptOptions {
  /** Only for reproducible test vectors: the 32 random bytes σ. Never pass this in production. */
  readonly sigma?: Uint8Array;
}

export function encryptToIdentity(
  aead: Aead,
  mpk: PreparedMasterKey,
  idBytes: Uint8Array,
  plaintext: Uint8Array,
  options: EncryptOptions = {},
): Uint8Array {
  let sigma = options.sigma ?? crypto.getRandomValues(new Uint8Array(SIGMA_BYTES));
  if (sigma.length !== SIGMA_BYTES) throw new ProtocolError("bad-length", "σ is 32 bytes");
  let r = foScalar(sigma, idBytes, plaintext);
  while (r === 0n) {
    // Probability 2^-255; with a caller-chosen σ there is no second chance.
    if (options.sigma) throw new ProtocolError("bad-value", "this σ gives r = 0");
    sigma = crypto.getRandomValues(new Uint8Array(SIGMA_BYTES));
    r = foScalar(sigma, idBytes, plaintext);
  }
  const u = G2.BASE.multiply(r).toBytes(true);
  const cached = mpk.identity(idBytes);
  const k = cached.gt ? gtPow(cached.gt, r) : mpk.pairWith(cached.point.multiply(r));
  const v = xor(sigma, mask(k));
  const w = aead.seal(aeadKey(sigma), plaintext, concatBytes(idBytes, u));
  return concatBytes(new Uint8Array([CIPHERTEXT_TYPE, CIPHERTEXT_VERSION]), u, v, w);
}

export interface ParsedCiphertext {
  readonly u: Uint8Array;
  readonly v: Uint8Array;
  readonly w: Uint8Array;
}

export function parseCiphertext(ciphertext: Uint8Array): ParsedCiphertext {
  if (ciphertext.length < HEADER + 16) throw new ProtocolError("truncated", "ciphertext too short");
  if (ciphertext[0] !== CIPHERTEXT_TYPE)
    throw new ProtocolError("unknown-type", "not a Lintel ciphertext");
  if (ciphertext[1] !== CIPHERTEXT_VERSION)
    throw new ProtocolError("unknown-version", "unsupported ciphertext version");
  return {
    u: ciphertext.subarray(2, 2 + G2_BYTES),
    v: ciphertext.subarray(2 + G2_BYTES, HEADER),
    w: ciphertext.subarray(HEADER),
  };
}

/**
 * The KEM half of decryption alone: σ = V ⊕ mask(e(D, U)). Exposed for test vectors, so that
 * environments without the AEAD (workerd) can still check every pairing-based step.
 */
export function recoverSigma(identityKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const { u, v } = parseCiphertext(ciphertext);
  return xor(
    v,
    mask(bls.pairing(decodeG1(identityKey, "identity key"), decodeG2(u, "ciphertext U"))),
  );
}

/** U = r·g2 for r = hash_to_scalar(σ ‖ SHA-256(id) ‖ SHA-256(m)), as encryption computes it. */
export function expectedU(
  sigma: Uint8Array,
  idBytes: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  return G2.BASE.multiply(foScalar(sigma, idBytes, plaintext)).toBytes(true);
}

/**
 * The decoded identity key of the previous call. An authority decrypts every record of a slot
 * with the same key, and decoding it (decompression and a subgroup check) is about a millisecond
 * each time: the last one is kept, compared in constant time before reuse.
 */
let lastIdentityKey:
  | { readonly bytes: Uint8Array; readonly point: ReturnType<typeof decodeG1> }
  | undefined;

function identityKeyPoint(identityKey: Uint8Array): ReturnType<typeof decodeG1> {
  if (lastIdentityKey && constantTimeEqual(lastIdentityKey.bytes, identityKey))
    return lastIdentityKey.point;
  const point = decodeG1(identityKey, "identity key");
  lastIdentityKey = { bytes: identityKey.slice(), point };
  return point;
}

const failed = () =>
  new ProtocolError("decryption-failed", "the ciphertext does not decrypt with this key");

/**
 * Decrypts with a combined identity key (48-byte G1). Throws "decryption-failed" for a wrong key,
 * a wrong identity or any modified byte.
 */
export function decryptWithIdentityKey(
  aead: Aead,
  identityKey: Uint8Array,
  idBytes: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  const { u, v, w } = parseCiphertext(ciphertext);
  const d = identityKeyPoint(identityKey);
  let uPoint: ReturnType<typeof decodeG2>;
  try {
    uPoint = decodeG2(u, "ciphertext U");
  } catch {
    throw failed();
  }
  const sigma = xor(v, mask(bls.pairing(d, uPoint)));
  const plaintext = aead.open(aeadKey(sigma), w, concatBytes(idBytes, u));
  if (!plaintext) throw failed();
  const r = foScalar(sigma, idBytes, plaintext);
  if (r === 0n || !constantTimeEqual(G2.BASE.multiply(r).toBytes(true), u)) throw failed();
  return plaintext;
}
