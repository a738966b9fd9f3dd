import { describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "../keys/ed25519.ts";
import { codeOf } from "../testing/code-of.ts";
import {
  epochDay,
  epochDestructionDay,
  generateEpochKey,
  signEpochStatement,
  verifyEpochStatement,
} from "./epoch-key.ts";
import { generateTrusteeKey } from "./trustee-key.ts";

const log = generateEd25519KeyPair();
const key = generateEpochKey(20_000);
const statement = {
  deployment: "demo",
  day: key.day,
  publicKey: key.publicKey,
  proofOfPossession: key.proofOfPossession,
};

describe("epoch keys", () => {
  it("publishes a statement the log key signed, with a proof of possession", () => {
    const signed = signEpochStatement(statement, log.secretKey);
    expect(verifyEpochStatement(signed, log.publicKey)).toEqual(statement);
  });

  it("refuses another signer, a flipped byte, trailing bytes and an unproven key", () => {
    const signed = signEpochStatement(statement, log.secretKey);
    expect(codeOf(() => verifyEpochStatement(signed, generateEd25519KeyPair().publicKey))).toBe(
      "bad-signature",
    );
    for (const pos of [3, 10, 60, 150, signed.length - 1]) {
      const bad = signed.slice();
      bad[pos]! ^= 1;
      expect(codeOf(() => verifyEpochStatement(bad, log.publicKey))).not.toBe("no error");
    }
    expect(codeOf(() => verifyEpochStatement(new Uint8Array([...signed, 0]), log.publicKey))).toBe(
      "trailing-bytes",
    );
    const other = generateTrusteeKey();
    const unproven = signEpochStatement(
      { ...statement, proofOfPossession: other.proofOfPossession },
      log.secretKey,
    );
    expect(codeOf(() => verifyEpochStatement(unproven, log.publicKey))).toBe(
      "bad-proof-of-possession",
    );
  });

  it("maps slots to UTC days and schedules destruction after retention", () => {
    expect(epochDay(Date.UTC(2026, 10, 21, 23, 59, 59) / 1000)).toBe(
      Date.UTC(2026, 10, 21) / 86_400_000,
    );
    expect(epochDay(Date.UTC(2026, 10, 22) / 1000)).toBe(Date.UTC(2026, 10, 22) / 86_400_000);
    // Slots of day d end at d+1; kept 21 days after that, so the secret goes at d + 22.
    expect(epochDestructionDay(100, 21)).toBe(122);
  });

  it("refuses a seed that is not 48 bytes with bad-length", () => {
    expect(codeOf(() => generateEpochKey(1, new Uint8Array(32)))).toBe("bad-length");
    expect(codeOf(() => generateEpochKey(1, new Uint8Array(49)))).toBe("bad-length");
    expect(generateEpochKey(1, new Uint8Array(48).fill(3)).publicKey).toHaveLength(48);
  });

  it("gives each day an independent random secret", () => {
    expect(generateEpochKey(1).secretShare).not.toEqual(generateEpochKey(1).secretShare);
  });
});
