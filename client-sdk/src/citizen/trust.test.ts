import { encodeBase64url, formatVerifierKey, generateEd25519KeyPair } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import type { DeploymentInfo } from "../deployment/index.ts";
import { type CitizenDeploymentKeys, logVerifierKey, receiptPublicKey } from "./trust.ts";

const base: DeploymentInfo = {
  id: "demo",
  role: "main",
  name: { en: "Demo", zh: "演示" },
  timezone: "Asia/Shanghai",
  retentionDays: 21,
  slotMinutes: 60,
  logOrigin: "checkin.test/log",
  registry: { id: "registry", publicKey: "", verifierKey: "" },
  trustees: [],
  officers: [],
  auditors: [],
};
const key = generateEd25519KeyPair();
const other = generateEd25519KeyPair();
const verifierKey = formatVerifierKey("demo/receipts", key.publicKey);
const with_ = (keys: CitizenDeploymentKeys) => ({ ...base, ...keys });

describe("the citizen keys of a deployment answer", () => {
  it("takes the receipt key from its verifier key, its raw form, or both when they agree", () => {
    expect(receiptPublicKey(with_({ receipt: { verifierKey } }))).toEqual(key.publicKey);
    const publicKey = encodeBase64url(key.publicKey);
    expect(receiptPublicKey(with_({ receipt: { publicKey } }))).toEqual(key.publicKey);
    expect(receiptPublicKey(with_({ receipt: { publicKey, verifierKey } }))).toEqual(key.publicKey);
  });

  it.each([
    ["no receipt key", {}],
    ["a null receipt key", { receipt: { verifierKey: null } }],
    ["a malformed one", { receipt: { verifierKey: "demo/receipts+00000000+AQ" } }],
    [
      "two different ones",
      { receipt: { publicKey: encodeBase64url(other.publicKey), verifierKey } },
    ],
  ])("refuses %s with deployment-incomplete", (_, keys) => {
    expect(() => receiptPublicKey(with_(keys))).toThrow(
      expect.objectContaining({ code: "deployment-incomplete" }),
    );
  });

  it("needs the log's verifier key", () => {
    const log = formatVerifierKey("checkin.test/log", key.publicKey);
    expect(logVerifierKey(with_({ log: { verifierKey: log } })).publicKey).toEqual(key.publicKey);
    for (const keys of [
      {},
      { log: null },
      { log: { verifierKey: null } },
      { log: { verifierKey: "x" } },
    ]) {
      expect(() => logVerifierKey(with_(keys))).toThrow(
        expect.objectContaining({ code: "deployment-incomplete" }),
      );
    }
  });
});
