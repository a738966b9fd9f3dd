/**
 * Test helper: answers mcl-wasm computes after `loadMcl()`, next to the same answers from
 * @noble/curves, as hex. The same function runs in Node, in workerd and in Chromium, so each test
 * proves that the mcl loaded there computes right and speaks noble's byte formats:
 *
 * - `pairing`: e(a·G1, b·G2) for fixed a, b. mcl's GT bytes (ETH mode) are noble's
 *   `Fp12.toBytes` with each adjacent pair of 48-byte limbs swapped.
 * - `hashToG1` / `hashToG2`: RFC 9380 hash-to-curve (BLS12381G1_XMD:SHA-256_SSWU_RO_ and
 *   BLS12381G2_XMD:SHA-256_SSWU_RO_ with the RFC's test DSTs): noble's `hash_to_field` gives
 *   u0, u1; mcl maps each (`mapToG1` / `mapToG2`, IRTF mode) and adds them.
 * - G1 / G2 points on the curve but outside the prime-order subgroup (the first such x, which
 *   noble refuses to decode): mcl decodes each with its subgroup check off — so the encoding is
 *   a point on the curve — and refuses it with the check on, as `loadMcl` leaves it.
 */
import { hash_to_field } from "@noble/curves/abstract/hash-to-curve.js";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { Mcl } from "../fast-curves/load-mcl.ts";

export interface KnownAnswer {
  readonly name: string;
  readonly mcl: string;
  readonly noble: string;
}

const { G1, G2, fields } = bls12_381;
const { Fp, Fp2, Fp12 } = fields;
const A = 0x5eed_1234_5678n;
const B = 0x0dd_c0ffee_beefn;
const MESSAGE = new TextEncoder().encode("lintel fast-curves known answer");
const DST_G1 = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_";
const DST_G2 = "QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";

export function mclKnownAnswers(mcl: Mcl): KnownAnswer[] {
  return [pairing(mcl), hashToG1(mcl), hashToG2(mcl), ...outsideSubgroup(mcl)];
}

function pairing(mcl: Mcl): KnownAnswer {
  const p = G1.Point.BASE.multiply(A);
  const q = G2.Point.BASE.multiply(B);
  const mp = new mcl.G1();
  mp.deserialize(p.toBytes());
  const mq = new mcl.G2();
  mq.deserialize(q.toBytes());
  const noble = Fp12.toBytes(bls12_381.pairing(p, q));
  const swapped = new Uint8Array(noble.length);
  for (let limb = 0; limb < noble.length / 48; limb += 2) {
    swapped.set(noble.subarray((limb + 1) * 48, (limb + 2) * 48), limb * 48);
    swapped.set(noble.subarray(limb * 48, (limb + 1) * 48), (limb + 1) * 48);
  }
  return { name: "pairing", mcl: hex(mcl.pairing(mp, mq).serialize()), noble: hex(swapped) };
}

function hashToG1(mcl: Mcl): KnownAnswer {
  const u = hash_to_field(MESSAGE, 2, {
    DST: DST_G1,
    p: Fp.ORDER,
    m: 1,
    k: 128,
    expand: "xmd",
    hash: sha256,
  });
  const [u0, u1] = u.map(([x]) => {
    const fp = new mcl.Fp();
    fp.deserialize(Fp.toBytes(x!));
    return fp.mapToG1();
  });
  const noble = G1.hashToCurve(MESSAGE, { DST: DST_G1 }).toBytes();
  return { name: "hashToG1", mcl: hex(mcl.add(u0!, u1!).serialize()), noble: hex(noble) };
}

function hashToG2(mcl: Mcl): KnownAnswer {
  const u = hash_to_field(MESSAGE, 2, {
    DST: DST_G2,
    p: Fp.ORDER,
    m: 2,
    k: 128,
    expand: "xmd",
    hash: sha256,
  });
  const [u0, u1] = u.map(([c0, c1]) => {
    const fp2 = new mcl.Fp2();
    fp2.set_a(fp(mcl, c0!));
    fp2.set_b(fp(mcl, c1!));
    return fp2.mapToG2();
  });
  const noble = G2.hashToCurve(MESSAGE, { DST: DST_G2 }).toBytes();
  return { name: "hashToG2", mcl: hex(mcl.add(u0!, u1!).serialize()), noble: hex(noble) };
}

/** Compressed encodings of the first curve points (smallest x) outside the subgroup. */
function outsideSubgroup(mcl: Mcl): KnownAnswer[] {
  const g1 = firstOutside(
    (x) => {
      const y2 = Fp.add(Fp.pow(x, 3n), 4n);
      return Fp.eql(Fp.pow(y2, (Fp.ORDER - 1n) / 2n), Fp.ONE) ? Fp.toBytes(x) : undefined;
    },
    (bytes) => G1.Point.fromBytes(bytes),
  );
  const g2 = firstOutside(
    (x) => {
      const xx = Fp2.fromBigTuple([x, 1n]);
      const y2 = Fp2.add(Fp2.pow(xx, 3n), Fp2.fromBigTuple([4n, 4n]));
      try {
        Fp2.sqrt(y2);
      } catch {
        return undefined;
      }
      return Fp2.toBytes(xx);
    },
    (bytes) => G2.Point.fromBytes(bytes),
  );
  return [
    {
      name: "G1 outside the subgroup: accepted without, rejected with the order check",
      mcl: orderChecked(mcl.verifyOrderG1, () => new mcl.G1().deserialize(g1)),
      noble: "accepted/rejected",
    },
    {
      name: "G2 outside the subgroup: accepted without, rejected with the order check",
      mcl: orderChecked(mcl.verifyOrderG2, () => new mcl.G2().deserialize(g2)),
      noble: "accepted/rejected",
    },
  ];
}

/**
 * Decodes as loadMcl left mcl (its subgroup check on), then with the check off, which proves the
 * point is on the curve, and turns the check back on.
 */
function orderChecked(verifyOrder: (on: boolean) => void, decode: () => void): string {
  const withCheck = rejects(decode);
  verifyOrder(false);
  try {
    return `${rejects(decode)}/${withCheck}`;
  } finally {
    verifyOrder(true);
  }
}

/**
 * The compressed encoding (flag 0x80 on the first byte) of the first x whose point is on the
 * curve, checked to be refused by noble (which verifies the subgroup on decoding).
 */
function firstOutside(
  onCurve: (x: bigint) => Uint8Array | undefined,
  nobleDecode: (bytes: Uint8Array) => unknown,
): Uint8Array {
  for (let x = 1n; ; x++) {
    const raw = onCurve(x);
    if (raw === undefined) continue;
    const bytes = raw.slice();
    bytes[0] = bytes[0]! | 0x80;
    if (rejects(() => nobleDecode(bytes)) === "rejected") return bytes;
  }
}

function fp(mcl: Mcl, value: bigint): InstanceType<Mcl["Fp"]> {
  const out = new mcl.Fp();
  out.deserialize(Fp.toBytes(value));
  return out;
}

function rejects(f: () => unknown): string {
  try {
    f();
    return "accepted";
  } catch {
    return "rejected";
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
