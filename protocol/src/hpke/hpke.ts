/**
 * HPKE (RFC 9180), base mode, single-shot, for one suite only (PROTOCOL.md §4.8):
 *
 *   KEM  DHKEM(X25519, HKDF-SHA256)  0x0020
 *   KDF  HKDF-SHA256                 0x0001
 *   AEAD AES-128-GCM                 0x0001
 *
 *   sealed = enc (32 bytes) ‖ AEAD ciphertext (plaintext + 16-byte tag)
 *
 * X25519 and HKDF come from @noble (pure, every runtime); AES-128-GCM from WebCrypto, which the
 * browsers, Node ≥ 20 and workerd all provide — so the worker seals without libsodium. Only the
 * first message of a context is ever used (sequence number 0): one seal, one key.
 */
import { x25519 } from "@noble/curves/ed25519.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";

export const HPKE_PUBLIC_KEY_BYTES = 32;
export const HPKE_SECRET_KEY_BYTES = 32;
export const HPKE_ENC_BYTES = 32;
export const HPKE_TAG_BYTES = 16;

const KEM_ID = 0x0020;
const KDF_ID = 0x0001;
const AEAD_ID = 0x0001;
const NK = 16;
const NN = 12;
const NSECRET = 32;

const i2osp2 = (n: number) => new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
const KEM_SUITE = concatBytes(utf8("KEM"), i2osp2(KEM_ID));
const HPKE_SUITE = concatBytes(utf8("HPKE"), i2osp2(KEM_ID), i2osp2(KDF_ID), i2osp2(AEAD_ID));
const VERSION = utf8("HPKE-v1");
const EMPTY = new Uint8Array(0);

function labeledExtract(suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) {
  return extract(sha256, concatBytes(VERSION, suite, utf8(label), ikm), salt);
}

function labeledExpand(
  suite: Uint8Array,
  prk: Uint8Array,
  label: string,
  info: Uint8Array,
  length: number,
) {
  return expand(
    sha256,
    prk,
    concatBytes(i2osp2(length), VERSION, suite, utf8(label), info),
    length,
  );
}

export interface HpkeKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** A fresh key pair, or DeriveKeyPair(ikm) of RFC 9180 §7.1.3 when `ikm` (≥ 32 bytes) is given. */
export function hpkeKeyPair(ikm?: Uint8Array): HpkeKeyPair {
  const seed = ikm ?? crypto.getRandomValues(new Uint8Array(32));
  if (seed.length < 32) throw new ProtocolError("bad-length", "HPKE key material is ≥ 32 bytes");
  const prk = labeledExtract(KEM_SUITE, EMPTY, "dkp_prk", seed);
  const secretKey = labeledExpand(KEM_SUITE, prk, "sk", EMPTY, HPKE_SECRET_KEY_BYTES);
  return { publicKey: x25519.getPublicKey(secretKey), secretKey };
}

/** The X25519 public key of a secret key (the receiver's pkRm). */
export function hpkePublicKey(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== HPKE_SECRET_KEY_BYTES)
    throw new ProtocolError("bad-length", "an HPKE secret key is 32 bytes");
  return x25519.getPublicKey(secretKey);
}

function dh(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== HPKE_PUBLIC_KEY_BYTES)
    throw new ProtocolError("bad-length", "an X25519 public key is 32 bytes");
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    throw new ProtocolError("bad-point", "not a usable X25519 public key");
  }
  // RFC 9180 §7.1.4: an all-zero X25519 output (a small-order point) is an error.
  if (shared.every((b) => b === 0))
    throw new ProtocolError("bad-point", "a small-order X25519 public key");
  return shared;
}

function sharedSecret(dhOut: Uint8Array, enc: Uint8Array, pkR: Uint8Array): Uint8Array {
  const prk = labeledExtract(KEM_SUITE, EMPTY, "eae_prk", dhOut);
  return labeledExpand(KEM_SUITE, prk, "shared_secret", concatBytes(enc, pkR), NSECRET);
}

/** KeySchedule(mode_base, shared_secret, info, "", ""): the AEAD key and base nonce. */
export function hpkeKeySchedule(
  shared: Uint8Array,
  info: Uint8Array,
): { key: Uint8Array; baseNonce: Uint8Array } {
  const pskIdHash = labeledExtract(HPKE_SUITE, EMPTY, "psk_id_hash", EMPTY);
  const infoHash = labeledExtract(HPKE_SUITE, EMPTY, "info_hash", info);
  const context = concatBytes(new Uint8Array([0]), pskIdHash, infoHash);
  const secret = labeledExtract(HPKE_SUITE, shared, "secret", EMPTY);
  return {
    key: labeledExpand(HPKE_SUITE, secret, "key", context, NK),
    baseNonce: labeledExpand(HPKE_SUITE, secret, "base_nonce", context, NN),
  };
}

async function aesGcm(
  mode: "encrypt" | "decrypt",
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array> {
  // Copies: WebCrypto wants ArrayBuffer-backed views, whatever the caller's arrays are.
  const k = await crypto.subtle.importKey("raw", new Uint8Array(key), { name: "AES-GCM" }, false, [
    mode,
  ]);
  const params = {
    name: "AES-GCM" as const,
    iv: new Uint8Array(nonce),
    additionalData: new Uint8Array(aad),
    tagLength: 128,
  };
  const bytes = new Uint8Array(data);
  return new Uint8Array(
    mode === "encrypt"
      ? await crypto.subtle.encrypt(params, k, bytes)
      : await crypto.subtle.decrypt(params, k, bytes),
  );
}

export interface HpkeSealOptions {
  /** Test only: the ephemeral key's ikm (DeriveKeyPair), to reproduce a published vector. */
  readonly ephemeralIkm?: Uint8Array;
}

/** SealBase(pkR, info, aad, pt) → enc ‖ ct. */
export async function hpkeSeal(
  recipientPublicKey: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  options: HpkeSealOptions = {},
): Promise<Uint8Array> {
  const ephemeral = hpkeKeyPair(options.ephemeralIkm);
  const enc = ephemeral.publicKey;
  const shared = sharedSecret(dh(ephemeral.secretKey, recipientPublicKey), enc, recipientPublicKey);
  const { key, baseNonce } = hpkeKeySchedule(shared, info);
  return concatBytes(enc, await aesGcm("encrypt", key, baseNonce, aad, plaintext));
}

/** OpenBase(enc, skR, info, aad, ct); any failure is "decryption-failed" (or a bad length). */
export async function hpkeOpen(
  recipientSecretKey: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  if (sealed.length < HPKE_ENC_BYTES + HPKE_TAG_BYTES)
    throw new ProtocolError("bad-length", "an HPKE message is at least enc and a tag");
  const enc = sealed.subarray(0, HPKE_ENC_BYTES);
  const pkR = hpkePublicKey(recipientSecretKey);
  let shared: Uint8Array;
  try {
    shared = sharedSecret(dh(recipientSecretKey, enc), enc, pkR);
  } catch {
    throw new ProtocolError("decryption-failed", "the HPKE message does not open");
  }
  const { key, baseNonce } = hpkeKeySchedule(shared, info);
  try {
    return await aesGcm("decrypt", key, baseNonce, aad, sealed.subarray(HPKE_ENC_BYTES));
  } catch {
    throw new ProtocolError("decryption-failed", "the HPKE message does not open");
  }
}
