import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ready, xchacha20poly1305 } from "../src/seal/index.ts";
import { checkVectors } from "./check.ts";
import { generateVectors, type Vectors } from "./generate.ts";

await ready();
const file = JSON.parse(readFileSync(path.join(import.meta.dirname, "lintel-v1.json"), "utf8")) as Vectors;

describe("test vectors (protocol/vectors/lintel-v1.json)", () => {
  it("are exactly what the code generates from the fixed seeds", () => {
    expect(JSON.parse(JSON.stringify(generateVectors(xchacha20poly1305)))).toEqual(file);
  });

  it("all verify in Node, including the AEAD half of every ciphertext", () => {
    const result = checkVectors(file, xchacha20poly1305);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.checks).toBeGreaterThan(60);
  });

  it("are caught when a vector is wrong", () => {
    const broken = structuredClone(file);
    broken.masterPublicKey = broken.masterPublicKey.replace(/^../, "ab");
    broken.reject[0] = { ...broken.reject[0]!, error: "expired" };
    const result = checkVectors(broken, xchacha20poly1305);
    expect(result.failures.some((f) => f.startsWith("master public key"))).toBe(true);
    expect(result.failures.some((f) => f.startsWith("reject venue-code"))).toBe(true);
  });
});
