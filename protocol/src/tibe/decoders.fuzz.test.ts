/** Fuzzing the threshold-IBE decoders: arbitrary and mutated inputs raise only ProtocolError. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { generateEd25519KeyPair } from "../keys/ed25519.ts";
import { xchacha20poly1305 as aead, ready } from "../seal/index.ts";
import { mutatedBytes } from "../testing/mutated-bytes.ts";
import { curves } from "./backend.ts";
import { generateEpochKey, signEpochStatement, verifyEpochStatement } from "./epoch-key.ts";
import { decryptWithIdentityKey, encryptToIdentity } from "./ibe.ts";
import { identityBytes } from "./identity.ts";
import { PreparedMasterKey } from "./master-key.ts";
import { combinePartialKeys, extractPartialKey, verifyPartialKey } from "./partial-key.ts";
import { generateTrusteeKey, verifyProofOfPossession } from "./trustee-key.ts";

await ready();

function onlyProtocolErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
  }
}

const mutated = (valid: Uint8Array) => mutatedBytes(valid, 4);

const trustee = generateTrusteeKey();
const epoch = generateEpochKey(20_000);
const mpk = PreparedMasterKey.fromShares([trustee, epoch]);
const id = identityBytes({
  deployment: "demo",
  entranceId: "door",
  slotStart: 1_763_719_200,
  slotSeconds: 3600,
});
const record = new Uint8Array(240).fill(7);
const ct = encryptToIdentity(aead, mpk, id, record);
const key = combinePartialKeys(mpk, id, [
  extractPartialKey(trustee.secretShare, id),
  extractPartialKey(epoch.secretShare, id),
]);
const log = generateEd25519KeyPair();
const statement = signEpochStatement(
  {
    deployment: "demo",
    day: 20_000,
    publicKey: epoch.publicKey,
    proofOfPossession: epoch.proofOfPossession,
  },
  log.secretKey,
);

describe("fuzzing IBE decoders", () => {
  it("point decoders", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), (b) => {
        onlyProtocolErrors(() => curves().g1FromBytes(b, "p"));
        onlyProtocolErrors(() => curves().g2FromBytes(b, "p"));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(mutated(trustee.publicKey), mutated(trustee.proofOfPossession), (p, pop) => {
        onlyProtocolErrors(() => curves().g2FromBytes(p, "p"));
        expect(verifyProofOfPossession(p, pop)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it("decryption never accepts a mutated ciphertext and raises only typed errors", () => {
    fc.assert(
      fc.property(mutated(ct), (bad) => {
        expect(() => decryptWithIdentityKey(aead, key, id, bad)).toThrow(ProtocolError);
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bad) => {
        expect(() => decryptWithIdentityKey(aead, key, id, bad)).toThrow(ProtocolError);
      }),
      { numRuns: 60 },
    );
  });

  it("partial keys: mutated ones never verify", () => {
    const partial = extractPartialKey(trustee.secretShare, id);
    fc.assert(
      fc.property(mutated(partial), (bad) => {
        expect(verifyPartialKey(trustee.publicKey, id, bad)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("epoch statements", () => {
    fc.assert(
      fc.property(fc.oneof(mutated(statement), fc.uint8Array({ maxLength: 300 })), (bad) => {
        expect(() => verifyEpochStatement(bad, log.publicKey)).toThrow(ProtocolError);
      }),
      { numRuns: 60 },
    );
  });
});
