import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import type { Aead } from "../record/aead.ts";
import { xchacha20poly1305Js } from "../record/xchacha20poly1305.ts";
import { ready, xchacha20poly1305 as sodiumAead } from "./index.ts";

beforeAll(ready);

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
const message = fc.uint8Array({ maxLength: 300 });
const ad = fc.uint8Array({ maxLength: 100 });

/** Flips bit `bit` (taken modulo the length) of a copy; the array must not be empty. */
function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const i = bit % (bytes.length * 8);
  out[i >> 3]! ^= 1 << (i & 7);
  return out;
}

const implementations: [string, Aead][] = [
  ["libsodium", sodiumAead],
  ["@noble/ciphers", xchacha20poly1305Js],
];

describe("the two XChaCha20-Poly1305 implementations", () => {
  it("seal to identical bytes and open each other's ciphertexts", () => {
    fc.assert(
      fc.property(key, message, ad, (k, m, a) => {
        const c = sodiumAead.seal(k, m, a);
        expect(xchacha20poly1305Js.seal(k, m, a)).toEqual(c);
        expect(xchacha20poly1305Js.open(k, c, a)).toEqual(m);
        expect(sodiumAead.open(k, xchacha20poly1305Js.seal(k, m, a), a)).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(implementations)("xchacha20poly1305 (%s)", (_, aead) => {
  it("declares 32-byte keys and 16-byte tags", () => {
    expect(aead.keyBytes).toBe(32);
    expect(aead.tagBytes).toBe(16);
  });

  it("opens what it sealed; the ciphertext is the plaintext length plus the tag", () => {
    fc.assert(
      fc.property(key, message, ad, (k, m, a) => {
        const c = aead.seal(k, m, a);
        expect(c).toHaveLength(m.length + 16);
        expect(aead.open(k, c, a)).toEqual(m);
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic for a key (the nonce is fixed), so each key must seal one message only", () => {
    const k = new Uint8Array(32).fill(1);
    const m = new TextEncoder().encode("check-in");
    expect(aead.seal(k, m, new Uint8Array(0))).toEqual(aead.seal(k, m, new Uint8Array(0)));
    expect(aead.seal(k, m, new Uint8Array([1]))).not.toEqual(aead.seal(k, m, new Uint8Array(0)));
  });

  it("encrypts: the ciphertext does not contain the plaintext", () => {
    const k = new Uint8Array(32).fill(9);
    const m = new Uint8Array(64).fill(0x41);
    const c = aead.seal(k, m, new Uint8Array(0));
    expect(Buffer.from(c).includes(Buffer.from(m.subarray(0, 16)))).toBe(false);
  });

  it("returns null when any bit of the ciphertext or tag changes", () => {
    fc.assert(
      fc.property(key, message, ad, fc.nat(), (k, m, a, bit) => {
        const c = aead.seal(k, m, a);
        expect(aead.open(k, flip(c, bit), a)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("returns null when any bit of the associated data or key changes", () => {
    fc.assert(
      fc.property(key, message, ad, fc.nat(), (k, m, a, bit) => {
        const c = aead.seal(k, m, a);
        expect(aead.open(flip(k, bit), c, a)).toBeNull();
        if (a.length > 0) expect(aead.open(k, c, flip(a, bit))).toBeNull();
        expect(aead.open(k, c, new Uint8Array([...a, 0]))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("returns null, never throws, for wrong lengths and non-byte inputs", () => {
    const k = new Uint8Array(32).fill(3);
    const a = new Uint8Array([1, 2, 3]);
    const c = aead.seal(k, new Uint8Array([4, 5, 6]), a);
    for (const n of [0, 16, 31, 33, 64]) expect(aead.open(new Uint8Array(n), c, a)).toBeNull();
    for (let n = 0; n < c.length; n++) expect(aead.open(k, c.subarray(0, n), a)).toBeNull();
    expect(aead.open(k, new Uint8Array([...c, 0]), a)).toBeNull();
    expect(aead.open(k, c.subarray(1), a)).toBeNull();
    const notBytes = [undefined, null, "text", 42, [1, 2, 3], {}] as unknown as Uint8Array[];
    for (const x of notBytes) {
      expect(aead.open(x, c, a)).toBeNull();
      expect(aead.open(k, x, a)).toBeNull();
      expect(aead.open(k, c, x)).toBeNull();
    }
  });

  it("returns null for arbitrary input", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 100 }),
        ad,
        (k, c, a) => {
          expect(aead.open(k, c, a)).toBeNull();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses to seal under a key that is not 32 bytes", () => {
    for (const n of [0, 16, 31, 33]) {
      expect(() => aead.seal(new Uint8Array(n), new Uint8Array(1), new Uint8Array(0))).toThrowError(
        expect.objectContaining({ name: "ProtocolError", code: "bad-length" }),
      );
    }
    expect(() =>
      aead.seal(new Uint8Array(32), "text" as unknown as Uint8Array, new Uint8Array(0)),
    ).toThrowError(ProtocolError);
  });

  it("accepts views into larger buffers", () => {
    const buf = new Uint8Array(100).map((_, i) => i);
    const k = buf.subarray(3, 35);
    const m = buf.subarray(50, 70);
    const a = buf.subarray(80, 90);
    const c = aead.seal(k, m, a);
    expect(aead.open(k.slice(), c, a.slice())).toEqual(m.slice());
  });
});
