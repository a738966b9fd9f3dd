import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { afterAll, describe, expect, it } from "vitest";
import { sideBySideBenchmarks } from "../bench/side-by-side.ts";
import {
  CROWDNOTIFIER_DIR_SETTING,
  CROWDNOTIFIER_REPOSITORY,
  installCommand,
  loadCrowdNotifier,
  locateCrowdNotifier,
  type McLPoint,
  realProbe,
} from "./crowdnotifier.ts";

const scratch = mkdtempSync(path.join(os.tmpdir(), "lintel-sbs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder shaped like their clone: the primitives file, but whatever packages `resolves` says. */
function fakeClone(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, "lib/src/v2"), { recursive: true });
  writeFileSync(path.join(dir, "lib/src/v2/ibe_primitives.ts"), "export {};\n");
  return dir;
}

const expectOneSkipLine = (message: string) => {
  expect(message).toMatch(/^bench: side-by-side skipped: /);
  expect(message).not.toContain("\n");
};

describe("locateCrowdNotifier", () => {
  it("skips with one line naming the setting and the repository when the setting is absent", () => {
    for (const env of [{}, { [CROWDNOTIFIER_DIR_SETTING]: "  " }]) {
      const r = locateCrowdNotifier(env);
      expect(r.found).toBe(false);
      if (r.found) continue;
      expectOneSkipLine(r.message);
      expect(r.message).toContain(CROWDNOTIFIER_DIR_SETTING);
      expect(r.message).toContain(CROWDNOTIFIER_REPOSITORY);
    }
  });

  it("skips when the folder named does not exist", () => {
    const missing = path.join(scratch, "no-such-clone");
    const r = locateCrowdNotifier({ [CROWDNOTIFIER_DIR_SETTING]: missing });
    expect(r).toEqual({
      found: false,
      message: expect.stringContaining(`${missing} is not a folder`),
    });
    if (!r.found) expectOneSkipLine(r.message);
  });

  it("skips a folder that is not their clone", () => {
    const empty = path.join(scratch, "empty");
    mkdirSync(empty);
    const r = locateCrowdNotifier({ [CROWDNOTIFIER_DIR_SETTING]: empty });
    expect(r.found).toBe(false);
    if (!r.found) {
      expectOneSkipLine(r.message);
      expect(r.message).toContain("lib/src/v2/ibe_primitives.ts");
    }
  });

  it("skips a clone without its runtime packages and gives the command that installs them", () => {
    const dir = fakeClone("no-packages");
    const r = locateCrowdNotifier(
      { [CROWDNOTIFIER_DIR_SETTING]: dir },
      { ...realProbe, resolves: (name) => name === "libsodium-wrappers-sumo" },
    );
    expect(r.found).toBe(false);
    if (!r.found) {
      expectOneSkipLine(r.message);
      expect(r.message).toContain("mcl-wasm missing");
      expect(r.message).not.toContain("libsodium-wrappers-sumo missing");
      expect(r.message).toContain(installCommand);
    }
  });

  it("looks for the packages from their primitives' folder, not from Lintel's", () => {
    const dir = fakeClone("resolve-from");
    const asked: string[] = [];
    const r = locateCrowdNotifier(
      { [CROWDNOTIFIER_DIR_SETTING]: dir },
      {
        ...realProbe,
        resolves: (_name, from) => {
          asked.push(from);
          return true;
        },
      },
    );
    expect(r).toEqual({ found: true, dir });
    expect(new Set(asked)).toEqual(new Set([path.join(dir, "lib/src/v2")]));
  });

  it("installs only the two runtime packages, without touching their package.json", () => {
    expect(installCommand).toBe(
      "npm install --no-save --no-package-lock mcl-wasm@0.7 libsodium-wrappers-sumo@0.7",
    );
  });
});

describe("sideBySideBenchmarks without the clone", () => {
  it("prints the skip line once and measures nothing", async () => {
    const lines: string[] = [];
    const figures = await sideBySideBenchmarks((l) => lines.push(l), {});
    expect(figures).toEqual({});
    expect(lines).toHaveLength(1);
    expectOneSkipLine(lines[0]!);
  });
});

// Only where a clone is set up (BENCHMARKS.md says how): their primitives, loaded as the bench
// loads them, must still round-trip a Lintel-sized record.
const clone = locateCrowdNotifier(process.env);
describe.skipIf(!clone.found)(
  "loadCrowdNotifier from the clone in LINTEL_CROWDNOTIFIER_DIR",
  () => {
    it("bundles their enc/dec and round-trips 240 bytes through c1's serialized form", async () => {
      if (!clone.found) return;
      const cn = await loadCrowdNotifier(clone.dir);
      expect(cn.describe).toMatch(/^libcrowdnotifier \S+ \(mcl-wasm 0\.7\.\d+, /);
      const [mpk, msk] = cn.keyGen();
      const id = new Uint8Array(32).fill(7);
      const m = new Uint8Array(240).fill(1);
      const ct = cn.enc(mpk, id, m);
      const c1 = cn.newG2();
      c1.deserialize(ct.c1.serialize());
      expect(cn.dec(id, cn.keyDer(msk, id), { ...ct, c1 })).toEqual(m);
      const other = new Uint8Array(32).fill(8);
      expect(cn.dec(other, cn.keyDer(msk, other), { ...ct, c1 })).toBeUndefined();
      cn.verifyOrderG2(true);
      try {
        const checked = cn.newG2();
        checked.deserialize(ct.c1.serialize());
        expect(cn.dec(id, cn.keyDer(msk, id), { ...ct, c1: checked })).toEqual(m);
      } finally {
        cn.verifyOrderG2(false);
      }
    });

    it("accepts a c1 outside G2's subgroup by default, as BENCHMARKS.md says; verifyOrderG2 refuses it", async () => {
      if (!clone.found) return;
      const cn = await loadCrowdNotifier(clone.dir);
      // A point of the twist y² = x³ + 4(1 + i) with x = k, the first k for which one exists: on
      // the curve, but (checked below) not in the r-order subgroup.
      const Fp2 = bls12_381.fields.Fp2;
      const b = Fp2.create({ c0: 4n, c1: 4n });
      let x = 0n;
      let y: ReturnType<typeof Fp2.create> | undefined;
      while (!y) {
        x++;
        const X = Fp2.create({ c0: x, c1: 0n });
        const rhs = Fp2.add(Fp2.mul(Fp2.sqr(X), X), b);
        try {
          const root = Fp2.sqrt(rhs);
          if (Fp2.eql(Fp2.sqr(root), rhs)) y = root;
        } catch {
          // not a square: try the next x
        }
      }
      type Settable = McLPoint & { setStr(s: string): void; isValidOrder(): boolean };
      const outside = cn.newG2() as Settable;
      outside.setStr(`1 ${x} 0 ${y.c0} ${y.c1}`);
      expect(outside.isValidOrder()).toBe(false);
      const bytes = outside.serialize();
      expect(() => cn.newG2().deserialize(bytes)).not.toThrow();
      cn.verifyOrderG2(true);
      try {
        expect(() => cn.newG2().deserialize(bytes)).toThrow();
      } finally {
        cn.verifyOrderG2(false);
      }
    });
  },
);
