import { ed25519 } from "@noble/curves/ed25519.js";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import edgeCases from "../testing/ed25519-edge-cases.json" with { type: "json" };
import { ed25519Sign, ed25519Verify, generateEd25519KeyPair } from "./ed25519.ts";
import {
  ed25519VerifyAsync,
  ed25519VerifyBatch,
  ed25519VerifyExplained,
  ed25519WebCryptoAvailable,
  KEY_CACHE_SIZE,
} from "./ed25519-async.ts";
import { ed25519Precheck, SMALL_ORDER_Y_FOR_TESTS } from "./ed25519-precheck.ts";

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");

interface Case {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

const cases: Case[] = edgeCases.cases.map((c) => ({
  id: c.id,
  publicKey: fromHex(c.pk),
  message: fromHex(c.msg),
  signature: fromHex(c.sig),
}));

/** The platform's own answer, no precheck, no fallback: what the precheck has to correct. */
async function rawWebCrypto(c: Case): Promise<boolean> {
  if (c.publicKey.length !== 32) return false;
  try {
    const key = await crypto.subtle.importKey(
      "raw",
      c.publicKey.slice(),
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    return await crypto.subtle.verify("Ed25519", key, c.signature.slice(), c.message.slice());
  } catch {
    return false;
  }
}

describe("WebCrypto Ed25519 against the strict pure-JS verifier", () => {
  it("finds WebCrypto on Node 20 (so the cases below exercise it)", async () => {
    expect(await ed25519WebCryptoAvailable()).toBe(true);
  });

  it("answers every edge case (speccheck, Wycheproof) exactly as ed25519Verify", async () => {
    expect(cases.length).toBeGreaterThan(150);
    const disagreements: string[] = [];
    const batch = await ed25519VerifyBatch(cases);
    for (const [i, c] of cases.entries()) {
      const strict = ed25519Verify(c.publicKey, c.message, c.signature);
      const one = await ed25519VerifyAsync(c.publicKey, c.message, c.signature);
      if (one !== strict || batch[i] !== strict) disagreements.push(c.id);
    }
    expect(disagreements).toEqual([]);
  });

  it("speccheck cases: small-order A refused (0, 1), small or mixed-order R accepted (2–5) as noble does, S ≥ L (6, 7) and non-canonical R or A (8–11) refused", async () => {
    const spec = cases.filter((c) => c.id.startsWith("speccheck-"));
    expect(spec).toHaveLength(12);
    const answers = await Promise.all(
      spec.map((c) => ed25519VerifyExplained(c.publicKey, c.message, c.signature)),
    );
    // noble strict: cofactored equation, small-order A refused, canonical encodings only.
    expect(answers.map((a) => a.valid)).toEqual(
      spec.map((c) => ed25519Verify(c.publicKey, c.message, c.signature)),
    );
    expect(answers.map((a) => (a.valid ? "V" : "X")).join("")).toBe("XXVVVVXXXXXX");
    // Cases 0–1 (small A), 6–7 (S ≥ L), 8–11 (non-canonical R or A): never reach WebCrypto.
    expect([0, 1, 6, 7, 8, 9, 10, 11].map((i) => answers[i]!.by)).toEqual(
      Array(8).fill("precheck"),
    );
    // Cases 2 and 3 hold cofactorless too; 4 and 5 need the cofactored equation, which OpenSSL
    // does not check: the pure-JS fallback accepts them.
    expect([answers[2]!.by, answers[3]!.by]).toEqual(["webcrypto", "webcrypto"]);
    expect([answers[4]!.by, answers[5]!.by]).toEqual(["pure-js", "pure-js"]);
  });

  it("the precheck is needed: raw WebCrypto accepts some inputs noble refuses, and each of those is prechecked", async () => {
    const corrected: string[] = [];
    for (const c of cases) {
      const raw = await rawWebCrypto(c);
      const strict = ed25519Verify(c.publicKey, c.message, c.signature);
      if (raw && !strict) {
        corrected.push(c.id);
        expect(ed25519Precheck(c.publicKey, c.signature), c.id).toBe(false);
      }
      // Nothing WebCrypto accepts after the precheck is refused by noble.
      if (raw && c.publicKey.length === 32 && c.signature.length === 64) {
        if (ed25519Precheck(c.publicKey, c.signature)) expect(strict, c.id).toBe(true);
      }
    }
    // OpenSSL 3 accepts speccheck 0–1 (small-order A) and 11 (non-canonical A).
    expect(corrected).toEqual(
      expect.arrayContaining(["speccheck-0", "speccheck-1", "speccheck-11"]),
    );
  });

  it("the precheck refuses nothing noble accepts (every case)", () => {
    for (const c of cases) {
      if (c.publicKey.length !== 32 || c.signature.length !== 64) continue;
      if (ed25519Verify(c.publicKey, c.message, c.signature)) {
        expect(ed25519Precheck(c.publicKey, c.signature), c.id).toBe(true);
      }
    }
  });

  it("the small-order y list is exactly the y coordinates of E[8], recomputed with noble", () => {
    const P = ed25519.Point;
    // A point of order 8: L × (a point of full order 8L), found from the first y that decodes.
    let t8: InstanceType<typeof P> | undefined;
    for (let y = 2; !t8; y++) {
      const bytes = new Uint8Array(32);
      bytes[0] = y;
      try {
        const p = P.fromBytes(bytes);
        const t = p.multiplyUnsafe(P.Fn.ORDER - 1n).add(p);
        if (!t.multiplyUnsafe(4n).is0()) t8 = t;
      } catch {}
    }
    const ys = new Set<string>();
    for (let k = 0n; k < 8n; k++) {
      const bytes = k === 0n ? P.ZERO.toBytes() : t8.multiplyUnsafe(k).toBytes();
      bytes[31]! &= 0x7f;
      ys.add(toHex(bytes));
    }
    expect([...ys].sort()).toEqual(SMALL_ORDER_Y_FOR_TESTS.map(toHex).sort());
  });

  it("refuses wrong lengths without asking anyone", async () => {
    const { secretKey, publicKey } = generateEd25519KeyPair();
    const sig = ed25519Sign(secretKey, new Uint8Array([1]));
    expect(await ed25519VerifyExplained(publicKey.subarray(1), new Uint8Array([1]), sig)).toEqual({
      valid: false,
      by: "length",
    });
    expect(
      await ed25519VerifyExplained(publicKey, new Uint8Array([1]), sig.subarray(0, 63)),
    ).toEqual({ valid: false, by: "length" });
  });
});

describe("random and mutated signatures (property)", () => {
  const keys = Array.from({ length: 4 }, (_, i) =>
    generateEd25519KeyPair(new Uint8Array(32).fill(i + 1)),
  );
  const strictAndAsyncAgree = async (publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array) =>
    expect(await ed25519VerifyAsync(publicKey, message, sig)).toBe(
      ed25519Verify(publicKey, message, sig),
    );

  it("a valid signature with any bytes changed, or any key or message swapped: both say the same", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(3),
        fc.uint8Array({ maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(127), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
        fc.boolean(),
        async (k, message, flips, swapKey) => {
          const { secretKey } = keys[k]!;
          const sig = ed25519Sign(secretKey, message);
          const publicKey = keys[swapKey ? (k + 1) % 4 : k]!.publicKey.slice();
          // Flips over the 64 signature bytes and the 32 key bytes (indexes ≥ 64 hit the key).
          for (const [at, mask] of flips) {
            if (at < 64) sig[at]! ^= mask;
            else if (at < 96) publicKey[at - 64]! ^= mask;
          }
          await strictAndAsyncAgree(publicKey, message, sig);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("random keys and signatures, with R, A and S from the edge values: both say the same", async () => {
    const edges = [
      ...SMALL_ORDER_Y_FOR_TESTS,
      fromHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // p
      fromHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // p + 1
      fromHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"), // L
      new Uint8Array(32).fill(0xff),
    ];
    const part = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.tuple(fc.constantFrom(...edges), fc.boolean()).map(([e, sign]) => {
        const b = e.slice();
        if (sign) b[31]! |= 0x80;
        return b;
      }),
    );
    await fc.assert(
      fc.asyncProperty(part, part, part, fc.uint8Array({ maxLength: 40 }), async (a, r, s, m) => {
        const sig = new Uint8Array(64);
        sig.set(r, 0);
        sig.set(s, 32);
        await strictAndAsyncAgree(a, m, sig);
      }),
      { numRuns: 300 },
    );
  });
});

describe("keys imported once, at most KEY_CACHE_SIZE kept", () => {
  afterEach(() => vi.restoreAllMocks());

  it("imports a repeated key once, and again once more than KEY_CACHE_SIZE others were used since", async () => {
    expect(await ed25519WebCryptoAvailable()).toBe(true);
    const imports = vi.spyOn(crypto.subtle, "importKey");
    const signer = generateEd25519KeyPair(new Uint8Array(32).fill(0xa1));
    const signed = (i: number) => {
      const message = new Uint8Array([i]);
      return {
        publicKey: signer.publicKey,
        message,
        signature: ed25519Sign(signer.secretKey, message),
      };
    };
    expect(await ed25519VerifyBatch([1, 2, 3, 4, 5].map(signed))).toEqual(Array(5).fill(true));
    expect(imports).toHaveBeenCalledTimes(1);
    // Other keys' verifications (the signature does not matter: each key is imported to verify).
    const others = Array.from({ length: KEY_CACHE_SIZE }, (_, i) => {
      const publicKey = ed25519.Point.BASE.multiply(BigInt(i + 2)).toBytes();
      return { publicKey, message: new Uint8Array(0), signature: signed(0).signature };
    });
    await ed25519VerifyBatch(others);
    expect(imports).toHaveBeenCalledTimes(1 + KEY_CACHE_SIZE);
    expect(await ed25519VerifyAsync(signer.publicKey, signed(6).message, signed(6).signature)).toBe(
      true,
    );
    expect(imports).toHaveBeenCalledTimes(2 + KEY_CACHE_SIZE);
  });
});

describe("without WebCrypto Ed25519", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("detects its absence once and answers every edge case in pure JS, as ed25519Verify", async () => {
    vi.resetModules();
    vi.stubGlobal("crypto", { getRandomValues: crypto.getRandomValues.bind(crypto) });
    const fresh = await import("./ed25519-async.ts");
    expect(await fresh.ed25519WebCryptoAvailable()).toBe(false);
    const answers = await fresh.ed25519VerifyBatch(cases);
    expect(answers).toEqual(cases.map((c) => ed25519Verify(c.publicKey, c.message, c.signature)));
    const verdict = await fresh.ed25519VerifyExplained(
      cases[0]!.publicKey,
      cases[0]!.message,
      cases[0]!.signature,
    );
    expect(["precheck", "pure-js", "length"]).toContain(verdict.by);
  });
});
