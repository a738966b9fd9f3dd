import { readFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { verifyKioskSuffix } from "../src/codes/kiosk-code.ts";
import { ready, xchacha20poly1305 } from "../src/seal/index.ts";
import { bls12_381 as bls } from "@noble/curves/bls12-381.js";
import { loadFastCurves } from "../src/fast-curves/index.ts";
import { curves, useCurves } from "../src/tibe/backend.ts";
import { checkVectors } from "./check.ts";
import { encodeBase64url } from "../src/encoding/base64url.ts";
import { partialKeysHash } from "../src/exposure/release.ts";
import { openSealedRelease } from "../src/exposure/sealed-release.ts";
import { hpkeOpen } from "../src/hpke/hpke.ts";
import { decodeRequestStatement } from "../src/statements/signed-request.ts";
import { generateSealedReleaseVectors, generateVectors, seed, type Vectors } from "./generate.ts";
import { fromHex, toHex } from "./hex.ts";

const G1 = bls.G1.Point;

await ready();
const file = JSON.parse(readFileSync(path.join(import.meta.dirname, "lintel-v1.json"), "utf8")) as Vectors;

describe("test vectors (protocol/vectors/lintel-v1.json)", () => {
  it("are exactly what the code generates from the fixed seeds", async () => {
    const generated = {
      ...generateVectors(xchacha20poly1305),
      sealedRelease: await generateSealedReleaseVectors(),
    };
    expect(JSON.parse(JSON.stringify(generated))).toEqual(file);
  });

  it("open the sealed release with its release key, to the keys the log commits to (§11.3)", async () => {
    const v = file.sealedRelease;
    const release = await openSealedRelease(
      {
        format: "lintel-release/2",
        ...v.release,
        sealedKeys: encodeBase64url(fromHex(v.sealedKeys)),
      },
      { deployment: "demo", releaseSecretKey: fromHex(v.releaseKey.secretKey), expectedCount: 4 },
    );
    expect(toHex(partialKeysHash(release.partialKeys))).toBe(v.partialKeysHash);
    expect(toHex(await hpkeOpen(fromHex(v.releaseKey.secretKey), fromHex(v.info), new Uint8Array(0), fromHex(v.sealedKeys)))).toBe(v.plaintext);
    const statement = decodeRequestStatement(fromHex(v.statementV2.signed));
    expect(statement.statement.audience).toEqual({ id: "trustee-a", origin: "https://trustee-a.example" });
  });

  it("all verify in Node, including the AEAD half of every ciphertext", () => {
    const result = checkVectors(file, xchacha20poly1305);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.checks).toBeGreaterThan(60);
  });

  it("all verify, and generate the same file, with the fast (mcl) backend too", async () => {
    const reference = curves();
    useCurves(await loadFastCurves());
    try {
      const result = checkVectors(file, xchacha20poly1305);
      expect(result.failures).toEqual([]);
      expect(result.skipped).toEqual([]);
      const generated = {
        ...generateVectors(xchacha20poly1305),
        sealedRelease: await generateSealedReleaseVectors(),
      };
      expect(JSON.parse(JSON.stringify(generated))).toEqual(file);
    } finally {
      useCurves(reference);
    }
  });

  it("are caught when a vector is wrong", () => {
    const broken = structuredClone(file);
    broken.masterPublicKey = broken.masterPublicKey.replace(/^../, "ab");
    broken.reject[0] = { ...broken.reject[0]!, error: "expired" };
    const result = checkVectors(broken, xchacha20poly1305);
    expect(result.failures.some((f) => f.startsWith("master public key"))).toBe(true);
    expect(result.failures.some((f) => f.startsWith("reject venue-code"))).toBe(true);
  });

  it("derive seeds as documented: SHA-256(\"lintel test vector \" ‖ label ‖ \" \" ‖ i) per 32-byte block", () => {
    const block = (label: string, i: number) => sha256(new TextEncoder().encode(`lintel test vector ${label} ${i}`));
    expect(seed("registry", 32)).toEqual(block("registry", 0));
    expect(seed("trustee-a", 48)).toEqual(
      new Uint8Array([...block("trustee-a", 0), ...block("trustee-a", 1).subarray(0, 16)]),
    );
    expect(toHex(seed("registry", 32))).toBe(file.keys.registry.seed);
  });

  it("describe their inputs truthfully", () => {
    const reject = (description: string) => {
      const r = file.reject.find((x) => x.description === description);
      if (!r) throw new Error(`no reject vector "${description}"`);
      return fromHex(r.input);
    };
    // The kiosk vector is exactly two 30-second steps behind now: the nearest step refused.
    const suffix = reject("two steps old");
    const step = new DataView(suffix.buffer, suffix.byteOffset).getUint32(0);
    const nowStep = Math.floor(file.venueCode.kiosk.nowMs / 30_000);
    expect(nowStep - step).toBe(2);
    const secret = fromHex(file.venueCode.kiosk.secret);
    const signed = fromHex(file.venueCode.signed);
    expect(verifyKioskSuffix(secret, signed, suffix, (nowStep - 1) * 30_000)).toBeUndefined();
    // "x not on the curve": x³ + 4 has no square root mod p, and x is the smallest such x ≥ 1.
    const Fp = bls.fields.Fp;
    const isSquare = (x: bigint) => Fp.eql(Fp.pow(Fp.add(Fp.pow(x, 3n), 4n), (Fp.ORDER - 1n) / 2n), Fp.ONE);
    const offCurve = reject("x not on the curve");
    expect([0x80, 0xa0]).toContain(offCurve[0]);
    const x = BigInt(`0x${toHex(offCurve.subarray(1))}`);
    expect(isSquare(x)).toBe(false);
    for (let smaller = 1n; smaller < x; smaller++) expect(isSquare(smaller)).toBe(true);
    // The subgroup vector's x is on the curve; only the subgroup check refuses it.
    const outside = reject("on the curve, outside the prime-order subgroup");
    const x5 = BigInt(`0x${toHex(outside.subarray(1))}`);
    expect(isSquare(x5)).toBe(true);
    expect(G1.fromAffine({ x: x5, y: Fp.sqrt(Fp.add(Fp.pow(x5, 3n), 4n)) }).isTorsionFree()).toBe(false);
    for (const d of ["x not on the curve", "on the curve, outside the prime-order subgroup"]) {
      expect(file.reject.find((r) => r.description === d)?.error).toBe("bad-point");
    }
  });
});
