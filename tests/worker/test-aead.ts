/**
 * A stand-in AEAD for check-ins encrypted *inside workerd* by tests: the real one
 * (XChaCha20-Poly1305 from libsodium, "@lintel/protocol/seal") does not load in workerd, and the
 * worker itself never needs it. What these tests check is which identity keys get released, and
 * that the IBE layer (real BLS12-381, real FO check) opens exactly the in-scope ciphertexts; any
 * sound AEAD shows that. The end-to-end tests use the real one in Node and Chromium.
 *
 *   keystream = SHA-256(key ‖ counter_u32) blocks;  tag = HMAC-SHA-256(key, ad ‖ ct)[0..16]
 */
import type { Aead } from "@lintel/protocol";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

function keystream(key: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i * 32 < length; i++) {
    const block = new Uint8Array(36);
    block.set(key);
    new DataView(block.buffer).setUint32(32, i);
    out.set(sha256(block).subarray(0, Math.min(32, length - i * 32)), i * 32);
  }
  return out;
}

const tagOf = (key: Uint8Array, ad: Uint8Array, ct: Uint8Array) => {
  const input = new Uint8Array(ad.length + ct.length);
  input.set(ad);
  input.set(ct, ad.length);
  return hmac(sha256, key, input).subarray(0, 16);
};

export const testAead: Aead = {
  keyBytes: 32,
  tagBytes: 16,
  seal(key, plaintext, ad) {
    const ks = keystream(key, plaintext.length);
    const ct = plaintext.map((b, i) => b ^ ks[i]!);
    const out = new Uint8Array(ct.length + 16);
    out.set(ct);
    out.set(tagOf(key, ad, ct), ct.length);
    return out;
  },
  open(key, sealed, ad) {
    if (key.length !== 32 || sealed.length < 16) return null;
    const ct = sealed.subarray(0, sealed.length - 16);
    const tag = tagOf(key, ad, ct);
    let diff = 0;
    for (let i = 0; i < 16; i++) diff |= tag[i]! ^ sealed[ct.length + i]!;
    if (diff !== 0) return null;
    const ks = keystream(key, ct.length);
    return ct.map((b, i) => b ^ ks[i]!);
  },
};
