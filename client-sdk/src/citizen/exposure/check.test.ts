import {
  formatCosignatureVerifierKey,
  generateEd25519KeyPair,
  memoryLogReader,
  type ReadPath,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { memoryExposureAuditStore } from "../../audit/log-store.ts";
import { fetchDeployment } from "../../deployment/index.ts";
import type { FetchLike } from "../../http.ts";
import { FakeService, ORIGIN } from "../testing/fake-service.ts";
import { checkExposure, type ExposureCheck } from "./check.ts";
import { HOUR, T, TestLog, visit } from "./test-log.ts";

const NOW = new Date(T * 1000);
const LOG_ORIGIN = `${ORIGIN}/log`;

/**
 * The fake service's GET /api/deployment, plus its log at /log/… served from whatever entries
 * `publish` last gave it, signed with the deployment's log key (or another key, to tamper).
 */
function service() {
  const fake = new FakeService({ clock: () => NOW, aheadDays: 0 });
  let read: ReadPath = memoryLogReader([], LOG_ORIGIN, fake.log.secretKey);
  const logCalls: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    if (!url.pathname.startsWith("/log/")) return fake.fetch(input, init);
    const path = url.pathname.slice("/log/".length);
    logCalls.push(path);
    try {
      // A copy on its own ArrayBuffer, which is what BodyInit accepts.
      return new Response(new Uint8Array(await read(path)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
  return {
    fake,
    options: { baseUrl: ORIGIN, fetch },
    logCalls,
    newLog: () => new TestLog({ registry: fake.registry, log: fake.log }, fake.deployment),
    publish(entries: readonly Uint8Array[], signingKey = fake.log.secretKey) {
      read = memoryLogReader(entries, LOG_ORIGIN, signingKey);
    },
  };
}

const diary = [
  visit("inside", "hbr-main", T - 3 * HOUR + 1200, T - 2 * HOUR + 1200),
  visit("other-door", "hbr-back", T - 3 * HOUR, T - HOUR),
  visit("other-hours", "hbr-main", T - 6 * HOUR, T - 4 * HOUR),
];

function scenario(s: ReturnType<typeof service>): TestLog {
  const log = s.newLog().setUp();
  const q = log.query(["hbr-main"], T - 3 * HOUR, T - HOUR);
  log.release(q, "trustee-a", 2);
  log.warning(q, "hbr-main", T - 3 * HOUR, T - 2 * HOUR);
  return log;
}

function expectOk(result: ExposureCheck): Extract<ExposureCheck, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result;
}

describe("checkExposure", () => {
  it("audits the served log and reports the covered visit and its warning", async () => {
    const s = service();
    const log = scenario(s);
    s.publish(log.entries);
    const store = memoryExposureAuditStore();
    const result = expectOk(
      await checkExposure({ service: s.options, visits: diary, store, now: NOW }),
    );
    expect(result.logSize).toBe(BigInt(log.entries.length));
    expect(result.newEntries).toBe(BigInt(log.entries.length));
    expect(result.report.covered.map((c) => [c.visitId, c.releasedBy, c.fullyReleased])).toEqual([
      ["inside", ["trustee-a"], false],
    ]);
    expect(result.report.covered[0]!.signedBy.map((x) => x.label).sort()).toEqual([
      "Officer Chan",
      "Officer Lee",
    ]);
    expect(result.report.warnings.map((w) => w.visitId)).toEqual(["inside"]);
    // Only the deployment and the log's public files were asked for: nothing about the diary.
    expect(s.fake.calls.filter((c) => !c.startsWith("GET /log/"))).toEqual(["GET /api/deployment"]);
    expect(s.fake.requests).toEqual([]);
  });

  it("fails, rather than reporting nothing, when an entry was altered after signing", async () => {
    const s = service();
    const log = scenario(s);
    const tampered = log.entries.map((e) => e.slice());
    // The query's first entrance byte: "hbr-main" becomes "ibr-main"; the tree and checkpoint are
    // rebuilt over the altered entry, so only the officers' signatures can tell.
    const query = tampered[5]!;
    const at = Buffer.from(query).indexOf(Buffer.from("hbr-main"));
    query[at] = "i".charCodeAt(0);
    s.publish(tampered);
    const result = await checkExposure({
      service: s.options,
      visits: diary,
      store: memoryExposureAuditStore(),
      now: NOW,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/entry 5 breaks the Lintel log policy/);
  });

  it("fails when the checkpoint is not signed by the deployment's log key", async () => {
    const s = service();
    const log = scenario(s);
    s.publish(log.entries, new TestLog().keys.log.secretKey);
    const result = await checkExposure({
      service: s.options,
      visits: diary,
      store: memoryExposureAuditStore(),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.reason).toMatch(/checkpoint does not verify/);
  });

  it("fails when the log cannot be read", async () => {
    const s = service();
    s.publish(scenario(s).entries);
    const broken: FetchLike = async (input, init) =>
      new URL(input).pathname.startsWith("/log/")
        ? new Response("", { status: 503 })
        : s.options.fetch(input, init);
    const result = await checkExposure({
      service: { baseUrl: ORIGIN, fetch: broken },
      visits: diary,
      store: memoryExposureAuditStore(),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.reason).toMatch(/answered 503/);
  });

  it("requires every witness the caller names to have cosigned, unless a quorum says less", async () => {
    const s = service();
    s.publish(scenario(s).entries);
    const witness = formatCosignatureVerifierKey(
      "witness.example/w1",
      generateEd25519KeyPair().publicKey,
    );
    const run = (quorum?: number) =>
      checkExposure({
        service: s.options,
        visits: diary,
        store: memoryExposureAuditStore(),
        witnesses: [witness],
        ...(quorum === undefined ? {} : { quorum }),
        now: NOW,
      });
    const strict = await run();
    expect(strict).toMatchObject({ ok: false });
    if (!strict.ok) expect(strict.reason).toMatch(/checkpoint does not verify/);
    expectOk(await run(0));
  });

  it("fails for the log of another deployment signed by the same keys", async () => {
    const s = service();
    const other = new TestLog({ registry: s.fake.registry, log: s.fake.log }, "staging").setUp();
    s.publish(other.entries);
    const result = await checkExposure({
      service: s.options,
      visits: diary,
      store: memoryExposureAuditStore(),
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.reason).toMatch(/deployment "staging", not "demo"/);
  });

  it("keeps the audit state: a later fork or rollback is caught, and the state survives it", async () => {
    const s = service();
    const log = scenario(s);
    s.publish(log.entries);
    const store = memoryExposureAuditStore();
    const deployment = await fetchDeployment(s.options);
    const check = () =>
      checkExposure({ service: s.options, visits: diary, store, deployment, now: NOW });
    expectOk(await check());

    // Rollback: fewer entries than last time.
    s.publish(log.entries.slice(0, 4));
    const rollback = await check();
    expect(rollback).toMatchObject({ ok: false, misbehaviour: { kind: "rollback" } });

    // Fork: same size, another history (the query for another entrance).
    const fork = s.newLog().setUp();
    const q = fork.query(["hbr-back"], T - 3 * HOUR, T - HOUR);
    fork.release(q, "trustee-a", 2);
    fork.warning(q, "hbr-back", T - 3 * HOUR, T - 2 * HOUR);
    s.publish(fork.entries);
    const forked = await check();
    expect(forked).toMatchObject({ ok: false, misbehaviour: { kind: "fork" } });

    // The honest log grows: the saved state is still the first one, and it extends it.
    log.release(6n, "log", 2);
    s.publish(log.entries);
    const grown = expectOk(await check());
    expect(grown.newEntries).toBe(1n);
    expect(grown.report.covered[0]!.releasedBy).toEqual(["trustee-a", "log"]);
  });

  it("downloads full tiles and bundles once; later checks read them from the store", async () => {
    const s = service();
    const log = scenario(s);
    log.filler(300);
    s.publish(log.entries);
    const store = memoryExposureAuditStore();
    const deployment = await fetchDeployment(s.options);
    const check = () =>
      checkExposure({ service: s.options, visits: diary, store, deployment, now: NOW });
    const first = expectOk(await check());
    expect(s.logCalls).toContain("tile/0/000");
    expect(s.logCalls).toContain("tile/entries/000");
    expect(first.report.covered.map((c) => c.visitId)).toEqual(["inside"]);

    s.logCalls.length = 0;
    log.release(6n, "log", 2);
    s.publish(log.entries);
    const second = expectOk(await check());
    expect(second.newEntries).toBe(1n);
    expect(s.logCalls).not.toContain("tile/0/000");
    expect(s.logCalls).not.toContain("tile/entries/000");
    // The checkpoint and the partial tiles and bundle at the right edge.
    expect(s.logCalls.sort()).toEqual(
      ["checkpoint", "tile/0/001.p/54", "tile/1/000.p/1", "tile/entries/001.p/54"].sort(),
    );
    expect(second.logRequests).toBe(4);
    expect(second.report.covered[0]!.releasedBy).toEqual(["trustee-a", "log"]);

    // The policy state is kept with the audit state, so the next check replays only what is new:
    // a stored policy that says nobody is an officer any more makes the next officer-signed
    // entry fail to replay — proof that the old entries were not replayed over it.
    const saved = (await store.list()).find((r) => r.kind === "state");
    if (saved?.kind !== "state") throw new Error("no state saved");
    expect(saved.state.policy?.size).toBe(saved.state.size);
    await store.put({
      ...saved,
      state: { ...saved.state, policy: { ...saved.state.policy!, officers: [] } },
    });
    log.warning(6n, "hbr-main", T - 3 * HOUR, T - 2 * HOUR);
    s.publish(log.entries);
    const third = await check();
    expect(third.ok ? "" : third.reason).toMatch(/breaks the Lintel log policy/);
  });
});
