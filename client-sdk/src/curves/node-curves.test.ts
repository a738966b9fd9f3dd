/**
 * The native blst backend: built at install time and loaded here, it gives the reference's bytes
 * for every operation the protocol uses (protocol's cross-backend properties), reproduces every
 * test vector, refuses a U outside the subgroup, and its addon refuses malformed arguments with an
 * exception instead of reading past a buffer.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CurveBackend, curves, useCurves } from "@lintel/protocol";
import { type BlstAddon, useFastCurves } from "@lintel/protocol/fast-curves";
import { afterAll, describe, expect, it } from "vitest";
import { xchacha20poly1305Js as aead } from "../../../protocol/src/record/xchacha20poly1305.ts";
import {
  expectUOutsideTheSubgroupRefused,
  itGivesTheReferenceBytes,
} from "../../../protocol/src/testing/cross-backend.ts";
import { checkVectors } from "../../../protocol/vectors/check.ts";
import {
  generateSealedReleaseVectors,
  generateVectors,
  type Vectors,
} from "../../../protocol/vectors/generate.ts";
import { loadNativeCurves, useNodeCurves } from "./node-curves.ts";

const reference = curves();
const blst = await loadNativeCurves();
const wanted = process.env.LINTEL_NATIVE_CURVES !== "off";

describe("the native curves addon", () => {
  it(`is built at install time and loads here${wanted ? "" : " (not: LINTEL_NATIVE_CURVES=off)"}`, () => {
    // Built by scripts/blst-native.mjs from npm ci's postinstall; on this project's machines
    // (Linux x64 with cc and Node's headers) a missing addon is a broken install, not a skip.
    expect(blst?.name).toBe(wanted ? "blst" : undefined);
  });
});

describe.runIf(blst)("the noble and blst backends", () => {
  const fast = blst as CurveBackend;
  afterAll(() => useCurves(reference));

  itGivesTheReferenceBytes(fast);
  it("refuse a U outside the subgroup, even when U + T (T of small order) re-seals W for the new U", () =>
    expectUOutsideTheSubgroupRefused(fast));

  it("reproduce every test vector, and generate the same file", async () => {
    const file = JSON.parse(
      readFileSync(
        path.join(import.meta.dirname, "../../../protocol/vectors/lintel-v1.json"),
        "utf8",
      ),
    ) as Vectors;
    useCurves(fast);
    try {
      const result = checkVectors(file, aead);
      expect(result.failures).toEqual([]);
      expect(result.skipped).toEqual([]);
      const generated = {
        ...generateVectors(aead),
        sealedRelease: await generateSealedReleaseVectors(),
      };
      expect(JSON.parse(JSON.stringify(generated))).toEqual(file);
    } finally {
      useCurves(reference);
    }
  });

  it("refuses arguments of the wrong type or length with an exception", () => {
    const addon = createRequire(import.meta.url)(
      fileURLToPath(new URL("../../native/build/lintel-blst.node", import.meta.url)),
    ) as BlstAddon;
    const scalar = new Uint8Array(32).fill(1);
    const p = addon.g1Mul(null, scalar);
    expect(addon.g1Decode(addon.g1Encode(p), true)).toEqual(p);
    const wrong: [string, () => unknown][] = [
      ["a short point", () => addon.g1Encode(p.subarray(0, 95))],
      ["a long scalar", () => addon.g1Mul(p, new Uint8Array(33))],
      ["a Uint16Array", () => addon.g1Encode(new Uint16Array(48) as unknown as Uint8Array)],
      ["a string", () => addon.g2Decode("00" as unknown as Uint8Array)],
      ["a missing argument", () => (addon.pairing as (p: Uint8Array) => Uint8Array)(p)],
      ["G2 points of another size", () => addon.pairingProductIsOne(p, new Uint8Array(191))],
      ["short lines", () => addon.pairPrepared(p, new Uint8Array(288))],
      [
        "a missing subgroup flag",
        () => (addon.g1Decode as (b: Uint8Array) => unknown)(new Uint8Array(48)),
      ],
    ];
    for (const [what, call] of wrong) expect(call, what).toThrow(/bad argument/);
    // An encoding blst refuses is null, not an exception: the backend turns it into "bad-point".
    expect(addon.g1Decode(new Uint8Array(48), true)).toBeNull();
  });
});

describe.runIf(blst)("useNodeCurves", () => {
  afterAll(() => useCurves(reference));

  it("makes blst active, and useFastCurves keeps it", async () => {
    expect(await useNodeCurves()).toBe("blst");
    expect(await useFastCurves()).toBe(true);
    expect(curves().name).toBe("blst");
  });
});
