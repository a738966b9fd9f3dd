import {
  decodeBase64url,
  encodeBase64url,
  generateEd25519KeyPair,
  generateEpochKey,
  PreparedMasterKey,
  signEpochStatement,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { fetchDeployment } from "../deployment/index.ts";
import { encryptionKeysFromStatements, loadEncryptionKeys } from "./keys.ts";
import { FakeService, ORIGIN } from "./testing/fake-service.ts";
import { T0 } from "./testing/fixture.ts";

const today = Math.floor(T0.getTime() / 86_400_000);

async function setUp() {
  const fake = new FakeService({ clock: () => T0 });
  const service = { baseUrl: ORIGIN, fetch: fake.fetch };
  return { fake, service, deployment: await fetchDeployment(service) };
}

type Entries = Array<{ day: number; statement: string }>;

/** Replaces today's statement with `statement`. */
const replaceToday = (statement: Uint8Array) => (entries: Entries) =>
  entries.map((e) => (e.day === today ? { day: e.day, statement: encodeBase64url(statement) } : e));

describe("loadEncryptionKeys", () => {
  it("builds each day's master key from every trustee key and that day's verified epoch key", async () => {
    const { fake, service, deployment } = await setUp();
    const keys = await loadEncryptionKeys(service, deployment);
    expect(keys.days).toEqual(Array.from({ length: 9 }, (_, i) => today - 1 + i));
    const mpk = keys.masterKeyForDay(today);
    const expected = PreparedMasterKey.fromShares([...fake.trustees, fake.epochKeys.get(today)!]);
    expect(mpk.bytes).toEqual(expected.bytes);
    // Share order: trustees as the deployment lists them, then the epoch key.
    expect(mpk.shares.map((s) => s.publicKey)).toEqual([
      ...fake.trustees.map((t) => t.publicKey),
      fake.epochKeys.get(today)!.publicKey,
    ]);
    expect(keys.masterKeyForDay(today)).toBe(mpk); // cached per day
  });

  it("throws no-epoch-key for a day without a published key", async () => {
    const { service, deployment } = await setUp();
    const keys = await loadEncryptionKeys(service, deployment);
    expect(() => keys.masterKeyForDay(today + 30)).toThrow(
      expect.objectContaining({ code: "no-epoch-key" }),
    );
  });

  it("refuses the answer when one statement was tampered with", async () => {
    const { fake, service, deployment } = await setUp();
    fake.tamperStatements = (entries) =>
      entries.map((e) => {
        if (e.day !== today) return e;
        const bytes = decodeBase64url(e.statement);
        bytes[10]! ^= 1; // inside the epoch public key
        return { day: e.day, statement: encodeBase64url(bytes) };
      });
    await expect(loadEncryptionKeys(service, deployment)).rejects.toMatchObject({
      code: "bad-signature",
    });
  });

  it("refuses an epoch key signed by a key other than the log's", async () => {
    const { fake, service, deployment } = await setUp();
    const other = generateEd25519KeyPair();
    const key = generateEpochKey(today);
    fake.tamperStatements = replaceToday(
      signEpochStatement({ deployment: "demo", ...key }, other.secretKey),
    );
    await expect(loadEncryptionKeys(service, deployment)).rejects.toMatchObject({
      code: "bad-signature",
    });
  });

  it("refuses a log-signed epoch key without a valid proof of possession", async () => {
    const { fake, service, deployment } = await setUp();
    const key = generateEpochKey(today);
    const rogue = { ...key, proofOfPossession: generateEpochKey(today).proofOfPossession };
    fake.tamperStatements = replaceToday(
      signEpochStatement({ deployment: "demo", ...rogue }, fake.log.secretKey),
    );
    await expect(loadEncryptionKeys(service, deployment, T0)).rejects.toMatchObject({
      code: "bad-proof-of-possession",
    });
  });

  it("checks another day's proof of possession when that day's key is first used", async () => {
    const { fake, service, deployment } = await setUp();
    const key = generateEpochKey(today + 1);
    const rogue = { ...key, proofOfPossession: generateEpochKey(today + 1).proofOfPossession };
    fake.tamperStatements = (entries: Entries) =>
      entries.map((e) =>
        e.day === today + 1
          ? {
              day: e.day,
              statement: encodeBase64url(
                signEpochStatement({ deployment: "demo", ...rogue }, fake.log.secretKey),
              ),
            }
          : e,
      );
    const keys = await loadEncryptionKeys(service, deployment, T0);
    expect(keys.masterKeyForDay(today)).toBeInstanceOf(PreparedMasterKey);
    expect(() => keys.masterKeyForDay(today + 1)).toThrow(
      expect.objectContaining({ code: "bad-proof-of-possession" }),
    );
  });

  it("refuses an epoch key of another deployment or filed under another day", async () => {
    const { fake, service, deployment } = await setUp();
    const key = generateEpochKey(today);
    fake.tamperStatements = replaceToday(
      signEpochStatement({ deployment: "other", ...key }, fake.log.secretKey),
    );
    await expect(loadEncryptionKeys(service, deployment)).rejects.toMatchObject({
      code: "unknown-key",
    });
    const tomorrow = generateEpochKey(today + 1);
    fake.tamperStatements = replaceToday(
      signEpochStatement({ deployment: "demo", ...tomorrow }, fake.log.secretKey),
    );
    await expect(loadEncryptionKeys(service, deployment)).rejects.toMatchObject({
      code: "bad-value",
    });
  });

  it("refuses a deployment without a log key before asking for epoch keys", async () => {
    const { fake, service, deployment } = await setUp();
    const calls = fake.calls.length;
    const { log: _, ...withoutLog } = deployment as typeof deployment & { log?: unknown };
    await expect(loadEncryptionKeys(service, withoutLog)).rejects.toMatchObject({
      code: "deployment-incomplete",
    });
    expect(fake.calls.length).toBe(calls);
  });

  it("rebuilds from kept statements without the network, for offline devices", async () => {
    const { fake, service, deployment } = await setUp();
    const keys = await loadEncryptionKeys(service, deployment);
    fake.offline = true;
    const again = encryptionKeysFromStatements(deployment, structuredClone(keys.statements));
    expect(again.masterKeyForDay(today + 6).bytes).toEqual(keys.masterKeyForDay(today + 6).bytes);
  });
});
