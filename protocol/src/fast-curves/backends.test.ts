/**
 * mcl-wasm gives the reference's bytes for every operation the protocol uses (the properties in
 * testing/cross-backend.ts), also without mcl-raw.ts, and useFastCurves switches to it.
 */
import { bls12_381 as bls } from "@noble/curves/bls12-381.js";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  expectUOutsideTheSubgroupRefused,
  itGivesTheReferenceBytes,
  message,
  scalar,
} from "../testing/cross-backend.ts";
import { curves, useCurves } from "../tibe/backend.ts";
import { IDENTITY_DST } from "../tibe/identity.ts";
import { nobleCurves } from "../tibe/noble-curves.ts";
import { POP_DST } from "../tibe/trustee-key.ts";
import { activeCurves, loadFastCurves, useFastCurves } from "./index.ts";
import { loadMcl } from "./load-mcl.ts";
import { mclCurves } from "./mcl-curves.ts";
import { loadMclRaw } from "./mcl-raw.ts";

const noble = nobleCurves;
const mcl = await loadFastCurves();
const r = bls.fields.Fr.ORDER;

describe("the noble and mcl backends", () => {
  itGivesTheReferenceBytes(mcl);
});

describe("the mcl backend without mcl-raw.ts (as where its functions are out of reach)", () => {
  it("hashes to G2 and checks pairing products as the reference does", async () => {
    const mclLib = await loadMcl();
    expect(await loadMclRaw(mclLib)).toBeDefined(); // in Node the fast path is the one in use
    const maps = mclCurves(mclLib);
    fc.assert(
      fc.property(message, fc.constantFrom(IDENTITY_DST, POP_DST), scalar, (m, dst, s) => {
        const q = maps.hashToG2(m, dst);
        expect(maps.g2ToBytes(q)).toEqual(noble.g2ToBytes(noble.hashToG2(m, dst)));
        expect(
          maps.pairingProductIsOne([
            [maps.g1Base(r - 1n), maps.g2Mul(q, s)],
            [maps.g1Base(s), q],
          ]),
        ).toBe(true);
      }),
      { numRuns: 10 },
    );
  });
});

describe("useFastCurves", () => {
  afterAll(() => useCurves(noble));

  it("switches this thread to mcl and reports it", async () => {
    expect(curves().name).toBe("noble");
    expect(await useFastCurves()).toBe(true);
    expect(activeCurves()).toBe("mcl");
    expect(await useFastCurves()).toBe(true);
  });
});

describe("the mcl backend and a ciphertext's U outside the subgroup", () => {
  afterAll(() => useCurves(noble));
  it("is refused by both backends, even when U + T (T of small order) re-seals W for the new U", () =>
    expectUOutsideTheSubgroupRefused(mcl));
});
