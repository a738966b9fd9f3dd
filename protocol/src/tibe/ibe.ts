/**
 * Boneh–Franklin identity-based encryption with the Fujisaki–Okamoto transform, the construction
 * CrowdNotifier uses (PROTOCOL.md §4.4), with the groups swapped: identities in G2, the master
 * key and U in G1 (48 bytes instead of 96 per ciphertext, and the authority's fixed identity key
 * is the G2 argument whose Miller-loop lines it computes once).
 *
 *   encrypt(mpk, id, m):
 *     σ ← 32 random bytes
 *     r = hash_to_scalar(σ ‖ SHA-256(id) ‖ SHA-256(m))      DST "LINTEL-V1-IBE-FO-BLS12381_XMD:SHA-256_SSWU_RO_"
 *     U = r · g1
 *     k = e(r · mpk, Q)            (= e(mpk, Q)^r when e(mpk, Q) is cached)
 *     V = σ ⊕ SHA-256("LINTEL-V1 ibe mask" ‖ 0x00 ‖ Fp12(k))
 *     W = AEAD(SHA-256("LINTEL-V1 ibe key" ‖ 0x00 ‖ σ), m, ad = id ‖ U)
 *     ciphertext = u8 0x45 ('E') ‖ u8 1 ‖ U (48) ‖ V (32) ‖ W (|m| + 16)
 *
 *   decrypt(D, id, ciphertext):   D = Σ D_i, so e(U, D) = e(mpk, Q)^r = k
 *     σ = V ⊕ mask(e(U, D)); m = AEAD-open(W); r = hash_to_scalar(σ ‖ SHA-256(id) ‖ SHA-256(m))
 *     reject unless U = r · g1     — the Fujisaki–Okamoto check: a modified ciphertext never
 *                                    decrypts, so no decryptor can be used as an oracle
 *
 * Every failure after parsing is the single error "decryption-failed", whatever step failed.
 * Fp12(k) is the canonical 576-byte serialisation of the GT element (backend.ts gtToBytes).
 * U is decoded once, on the curve but without a subgroup check of its own: the FO check's
 * equality with r·g1, made here, is what proves U is in G1 (PROTOCOL.md §4.4), and r·g1 is
 * compared as a point, never re-checked.
 */

import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import type { Aead } from "../record/aead.ts";
import {
  type CurveBackend,
  curves,
  G1_BYTES,
  type G1Handle,
  type GtHandle,
  type PreparedG2,
} from "./backend.ts";
import type { PreparedMasterKey } from "./master-key.ts";

export const FO_DST = "LINTEL-V1-IBE-FO-BLS12381_XMD:SHA-256_SSWU_RO_";
export const CIPHERTEXT_TYPE = 0x45;
export const CIPHERTEXT_VERSION = 1;
export const SIGMA_BYTES = 32;
const HEADER = 2 + G1_BYTES + SIGMA_BYTES;

export function ciphertextBytes(plaintextBytes: number): number {
  return HEADER + plaintextBytes + 16;
}

const ZERO = new Uint8Array([0]);
const MASK_LABEL = concatBytes(utf8("LINTEL-V1 ibe mask"), ZERO);
const KEY_LABEL = concatBytes(utf8("LINTEL-V1 ibe key"), ZERO);

function mask(k: GtHandle): Uint8Array {
  return sha256(concatBytes(MASK_LABEL, curves().gtToBytes(k)));
}

function aeadKey(sigma: Uint8Array): Uint8Array {
  return sha256(concatBytes(KEY_LABEL, sigma));
}

function foScalar(sigma: Uint8Array, idBytes: Uint8Array, plaintext: Uint8Array): bigint {
  return bls12_381.G1.hashToScalar(concatBytes(sigma, sha256(idBytes), sha256(plaintext)), {
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
  const c = curves();
  const u = c.g1ToBytes(c.g1Base(r));
  const cached = mpk.identity(idBytes);
  const k = cached.gt ? c.gtPow(cached.gt, r) : c.pairing(c.g1Mul(mpk.point(), r), cached.point);
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
    u: ciphertext.subarray(2, 2 + G1_BYTES),
    v: ciphertext.subarray(2 + G1_BYTES, HEADER),
    w: ciphertext.subarray(HEADER),
  };
}

/**
 * The KEM half of decryption alone: σ = V ⊕ mask(e(U, D)). Exposed for test vectors, so that
 * environments without the AEAD (workerd) can still check every pairing-based step.
 */
export function recoverSigma(identityKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const { u, v } = parseCiphertext(ciphertext);
  const c = curves();
  return xor(v, mask(c.pairPrepared(c.g1FromBytes(u, "ciphertext U"), preparedKey(identityKey))));
}

/** U = r·g1 for r = hash_to_scalar(σ ‖ SHA-256(id) ‖ SHA-256(m)), as encryption computes it. */
export function expectedU(
  sigma: Uint8Array,
  idBytes: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const c = curves();
  return c.g1ToBytes(c.g1Base(foScalar(sigma, idBytes, plaintext)));
}

/**
 * Decoded identity keys with their Miller-loop lines, per backend. An authority decrypts every
 * record of a slot with the same key, and decoding it (decompression and a subgroup check) and
 * computing its lines costs more than a millisecond: the few most recent are kept.
 */
const KEPT_KEYS = 16;
const preparedKeys = new WeakMap<CurveBackend, Map<string, PreparedG2>>();

function preparedKey(identityKey: Uint8Array): PreparedG2 {
  const c = curves();
  let kept = preparedKeys.get(c);
  if (!kept) {
    kept = new Map();
    preparedKeys.set(c, kept);
  }
  let name = "";
  for (const b of identityKey) name += String.fromCharCode(b);
  let prepared = kept.get(name);
  if (prepared) {
    kept.delete(name); // re-inserted below: the map's order is least recently used first
  } else {
    prepared = c.prepareG2(c.g2FromBytes(identityKey, "identity key"));
    if (kept.size >= KEPT_KEYS) kept.delete(kept.keys().next().value!);
  }
  kept.set(name, prepared);
  return prepared;
}

const failed = () =>
  new ProtocolError("decryption-failed", "the ciphertext does not decrypt with this key");

/**
 * Decrypts with a combined identity key (96-byte G2). Throws "decryption-failed" for a wrong key,
 * a wrong identity or any modified byte.
 */
export function decryptWithIdentityKey(
  aead: Aead,
  identityKey: Uint8Array,
  idBytes: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  const { u, v, w } = parseCiphertext(ciphertext);
  const key = preparedKey(identityKey);
  const c = curves();
  let uPoint: G1Handle;
  try {
    // Not checked for the subgroup here: the FO check below compares U with r·g1, and only a
    // point of the subgroup can equal it. Until then U only enters the pairing, whose value for
    // a point outside the subgroup yields a σ that opens nothing; every such U is refused.
    uPoint = c.g1FromBytesCheckedLater(u, "ciphertext U");
  } catch {
    throw failed();
  }
  const sigma = xor(v, mask(c.pairPrepared(uPoint, key)));
  const plaintext = aead.open(aeadKey(sigma), w, concatBytes(idBytes, u));
  if (!plaintext) throw failed();
  const r = foScalar(sigma, idBytes, plaintext);
  if (r === 0n || !c.g1Equal(c.g1Base(r), uPoint)) throw failed();
  return plaintext;
}
