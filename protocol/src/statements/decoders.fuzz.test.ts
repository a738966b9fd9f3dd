/** Fuzzing statement and receipt decoders: arbitrary and mutated inputs raise only ProtocolError. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { generateEd25519KeyPair } from "../keys/ed25519.ts";
import { mutatedBytes } from "../testing/mutated-bytes.ts";
import { generateTrusteeKey } from "../tibe/trustee-key.ts";
import { signDeploymentRecord, verifyDeploymentRecord } from "./deployment-record.ts";
import { signReceipt, verifyReceipt } from "./receipt.ts";
import { decodeRequestStatement, signRequest, verifyRequestStatement } from "./signed-request.ts";

const key = generateEd25519KeyPair();
const now = new Date("2026-11-21T10:00:00Z");
const body = new Uint8Array([1, 2, 3]);
const statement = signRequest(
  { deployment: "demo", keyId: new Uint8Array(4), method: "POST", path: "/api/x", body, now },
  key.secretKey,
);
const receipt = signReceipt(
  {
    deployment: "demo",
    entranceId: "door",
    firstSlot: 1_763_719_200,
    slotCount: 1,
    ciphertextsHash: new Uint8Array(32),
    storedAt: 1_763_719_300,
  },
  key.secretKey,
);

const trustee = generateTrusteeKey();
const record = signDeploymentRecord(
  {
    deployment: "demo",
    issuedAt: 1_763_719_300,
    logKey: key.publicKey,
    receiptKey: key.publicKey,
    authorityBoxKey: new Uint8Array(32),
    trustees: [{ id: "t", ...trustee }],
  },
  key.secretKey,
);

const mutated = (valid: Uint8Array) => mutatedBytes(valid, 3);

describe("fuzzing statement decoders", () => {
  it("request statements: mutated ones never verify, garbage raises only ProtocolError", () => {
    const request = {
      deployment: "demo",
      method: "POST",
      path: "/api/x",
      body,
      now,
      publicKey: key.publicKey,
    };
    fc.assert(
      fc.property(fc.oneof(mutated(statement), fc.uint8Array({ maxLength: 400 })), (bad) => {
        expect(() => verifyRequestStatement(decodeRequestStatement(bad), request)).toThrow(
          ProtocolError,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("receipts", () => {
    fc.assert(
      fc.property(fc.oneof(mutated(receipt), fc.uint8Array({ maxLength: 300 })), (bad) => {
        expect(() => verifyReceipt(bad, key.publicKey)).toThrow(ProtocolError);
      }),
      { numRuns: 1000 },
    );
  });

  it("deployment records", () => {
    fc.assert(
      fc.property(fc.oneof(mutated(record), fc.uint8Array({ maxLength: 400 })), (bad) => {
        expect(() => verifyDeploymentRecord(bad, key.publicKey)).toThrow(ProtocolError);
      }),
      { numRuns: 500 },
    );
  });
});
