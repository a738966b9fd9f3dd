/**
 * The properties every fast BLS12-381 backend must share with the reference (@noble/curves): the
 * same bytes for every operation the protocol uses — point encodings, hash to G2 under Lintel's
 * DSTs (RFC 9380), scalar multiplication, sums, pairings (plain, prepared and as a product check)
 * and GT powers — on random inputs, and the same decisions, with the same codes, on mutated
 * encodings. A backend's test file calls these inside its own describe block.
 */
import { bls12_381 as bls } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { expect, it } from "vitest";
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { xchacha20poly1305Js as aead } from "../record/xchacha20poly1305.ts";
import { type CurveBackend, useCurves } from "../tibe/backend.ts";
import { generateEpochKey } from "../tibe/epoch-key.ts";
import { decryptWithIdentityKey, encryptToIdentity } from "../tibe/ibe.ts";
import { IDENTITY_DST, identityBytes } from "../tibe/identity.ts";
import { PreparedMasterKey } from "../tibe/master-key.ts";
import { nobleCurves as noble } from "../tibe/noble-curves.ts";
import { combinePartialKeys, extractPartialKey } from "../tibe/partial-key.ts";
import { generateTrusteeKey, POP_DST } from "../tibe/trustee-key.ts";
import { codeOf } from "./code-of.ts";
import { mutatedBytes } from "./mutated-bytes.ts";

const r = bls.fields.Fr.ORDER;
export const scalar = fc.bigInt({ min: 1n, max: r - 1n });
export const message = fc.uint8Array({ minLength: 0, maxLength: 80 });
const runs = { numRuns: 25 };

/** The bytes, or the error code. */
function encoded(f: () => Uint8Array): Uint8Array | string {
  try {
    return f();
  } catch (e) {
    return (e as { code?: string }).code ?? `untyped ${String(e)}`;
  }
}

export function itGivesTheReferenceBytes(fast: CurveBackend): void {
  it("hash to G2 identically under both of Lintel's DSTs", () => {
    fc.assert(
      fc.property(message, fc.constantFrom(IDENTITY_DST, POP_DST), (m, dst) => {
        expect(fast.g2ToBytes(fast.hashToG2(m, dst))).toEqual(
          noble.g2ToBytes(noble.hashToG2(m, dst)),
        );
      }),
      runs,
    );
  });

  it("multiply, add and encode identically in G1 and G2", () => {
    fc.assert(
      fc.property(scalar, scalar, message, (a, b, m) => {
        const p = noble.g1Base(a);
        const pm = fast.g1Base(a);
        expect(fast.g1ToBytes(pm)).toEqual(noble.g1ToBytes(p));
        // b = r − 1 makes the point at infinity, which both refuse to encode.
        expect(encoded(() => fast.g1ToBytes(fast.g1Add(fast.g1Mul(pm, b), pm)))).toEqual(
          encoded(() => noble.g1ToBytes(noble.g1Add(noble.g1Mul(p, b), p))),
        );
        const q = noble.g2Mul(noble.hashToG2(m, IDENTITY_DST), b);
        const qm = fast.g2Mul(fast.hashToG2(m, IDENTITY_DST), b);
        expect(fast.g2ToBytes(qm)).toEqual(noble.g2ToBytes(q));
        expect(fast.g2ToBytes(fast.g2Add(qm, qm))).toEqual(noble.g2ToBytes(noble.g2Add(q, q)));
        // Decoding the other backend's bytes gives the same point back.
        expect(noble.g1ToBytes(noble.g1FromBytes(fast.g1ToBytes(pm), "p"))).toEqual(
          noble.g1ToBytes(p),
        );
        expect(fast.g2ToBytes(fast.g2FromBytes(noble.g2ToBytes(q), "q"))).toEqual(
          fast.g2ToBytes(qm),
        );
      }),
      runs,
    );
  });

  it("pair, pair with prepared lines, exponentiate and serialise GT identically", () => {
    fc.assert(
      fc.property(scalar, scalar, message, (a, e, m) => {
        const p = noble.g1Base(a);
        const pm = fast.g1Base(a);
        const q = noble.hashToG2(m, IDENTITY_DST);
        const qm = fast.hashToG2(m, IDENTITY_DST);
        const k = noble.gtToBytes(noble.pairing(p, q));
        expect(fast.gtToBytes(fast.pairing(pm, qm))).toEqual(k);
        expect(fast.gtToBytes(fast.pairPrepared(pm, fast.prepareG2(qm)))).toEqual(k);
        expect(noble.gtToBytes(noble.pairPrepared(p, noble.prepareG2(q)))).toEqual(k);
        expect(fast.gtToBytes(fast.gtPow(fast.pairing(pm, qm), e))).toEqual(
          noble.gtToBytes(noble.gtPow(noble.pairing(p, q), e)),
        );
      }),
      { numRuns: 8 },
    );
  });

  it("agree on pairing-product checks, true and false", () => {
    fc.assert(
      fc.property(scalar, message, fc.boolean(), (s, m, honest) => {
        // e(−g1, s·Q) · e(s'·g1, Q) = 1 iff s' = s
        for (const c of [noble, fast]) {
          const q = c.hashToG2(m, POP_DST);
          const other = honest ? s : (s % (r - 1n)) + 1n;
          const holds = c.pairingProductIsOne([
            [c.g1Base(r - 1n), c.g2Mul(q, s)],
            [c.g1Base(other), q],
          ]);
          expect(holds).toBe(honest);
        }
      }),
      { numRuns: 6 },
    );
  });

  it("accept and refuse the same mutated point encodings, with the same codes", () => {
    const g1 = noble.g1ToBytes(noble.g1Base(987654321n));
    const g2 = noble.g2ToBytes(noble.hashToG2(new Uint8Array([1, 2, 3]), IDENTITY_DST));
    fc.assert(
      fc.property(mutatedBytes(g1, 3), mutatedBytes(g2, 3), (b1, b2) => {
        expect(codeOf(() => fast.g1FromBytes(b1, "p"))).toBe(
          codeOf(() => noble.g1FromBytes(b1, "p")),
        );
        expect(codeOf(() => fast.g2FromBytes(b2, "q"))).toBe(
          codeOf(() => noble.g2FromBytes(b2, "q")),
        );
      }),
      { numRuns: 200 },
    );
  });
}

/**
 * A ciphertext's U outside the subgroup (the FO check is its subgroup check): asserts it is refused
 * by the reference and by `fast`, even when U + T (T of small order) re-seals W for the new U.
 * Leaves the reference active.
 */
export function expectUOutsideTheSubgroupRefused(fast: CurveBackend): void {
  {
    const Fp = bls.fields.Fp;
    const G1 = bls.G1.Point;
    // T: a point of E(Fp) of order dividing the cofactor (r·P for P outside the subgroup).
    const y5 = Fp.sqrt(129n);
    // Plain double-and-add: a scalar multiplication through the endomorphism assumes the subgroup.
    let t = G1.ZERO;
    for (let k = r, p = G1.fromAffine({ x: 5n, y: y5 }); k > 0n; k >>= 1n, p = p.double()) {
      if (k & 1n) t = t.add(p);
    }
    expect(t.is0()).toBe(false);
    const shares = [generateTrusteeKey(), generateEpochKey(20_000)];
    const mpk = PreparedMasterKey.fromShares(shares);
    const id = identityBytes({
      deployment: "d",
      entranceId: "e",
      slotStart: 20_000 * 86_400,
      slotSeconds: 3600,
    });
    const key = combinePartialKeys(
      mpk,
      id,
      shares.map((s) => extractPartialKey(s.secretShare, id)),
    );
    const record = new Uint8Array(240).fill(7);
    const sigma = new Uint8Array(32).fill(3);
    const honest = encryptToIdentity(aead, mpk, id, record, { sigma });
    // The attacker knows σ, so it can seal W again under the shifted U; V stays, since the
    // pairing of U + T with D equals the pairing of U (T vanishes in the final exponentiation).
    const shifted = G1.fromBytes(honest.subarray(2, 50)).add(t).toAffine();
    const u = new Uint8Array(48);
    let v = shifted.x;
    for (let i = 47; i >= 0; i--, v >>= 8n) u[i] = Number(v & 0xffn);
    u[0]! |= 0x80;
    if (shifted.y > Fp.neg(shifted.y)) u[0]! |= 0x20;
    const aeadKey = sha256(concatBytes(utf8("LINTEL-V1 ibe key"), new Uint8Array([0]), sigma));
    const forged = concatBytes(
      honest.subarray(0, 2),
      u,
      honest.subarray(50, 82),
      aead.seal(aeadKey, record, concatBytes(id, u)),
    );
    expect(decryptWithIdentityKey(aead, key, id, honest)).toEqual(record);
    try {
      for (const backend of [noble, fast]) {
        useCurves(backend);
        expect(
          codeOf(() => decryptWithIdentityKey(aead, key, id, forged)),
          backend.name,
        ).toBe("decryption-failed");
      }
    } finally {
      useCurves(noble);
    }
  }
}
