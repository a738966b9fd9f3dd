import { env } from "cloudflare:workers";
import {
  decodeEntryBundle,
  decodeTile,
  encodeBase64url,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyCheckpoint,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import { clientKey, LIMITS, limiterStub } from "../../worker/src/rate-limit/limiter.ts";
import { call, expectProblem, postJson } from "./helpers.ts";
import { enrolment, genesis, logVerifierKey, wipeDeploymentLog } from "./log-fixtures.ts";

const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);

const logKey = logVerifierKey;

/** The deployment's log object is shared by every test in this file: empty it first. */
beforeEach(wipeDeploymentLog);

async function append(entries: Uint8Array[]): Promise<Response> {
  return postJson("/log/entries", { entries: entries.map(encodeBase64url) });
}

describe("log read API (C2SP tlog-tiles) and appends", () => {
  it("answers an empty log's checkpoint with a not-found problem", async () => {
    await expectProblem(await call("/log/checkpoint"), 404, "not-found");
  });

  it("appends signed entries and serves a checkpoint, tiles and entry bundles that agree", async () => {
    const entries = [genesis(), ...Array.from({ length: 299 }, (_, i) => enrolment(`O${i}`))];
    for (let i = 0; i < entries.length; i += 100) {
      const res = await append(entries.slice(i, i + 100));
      expect(res.status).toBe(201);
    }
    const note = await (await call("/log/checkpoint")).text();
    const { checkpoint } = verifyCheckpoint(note, { logKey: logKey(), witnesses: [], quorum: 0 });
    expect(checkpoint.size).toBe(300n);
    expect(checkpoint.origin).toBe(deployment.logOrigin);
    expect(checkpoint.rootHash).toEqual(rootFromLeafHashes(entries.map(leafHash)));

    const full = await call("/log/tile/0/000");
    expect(full.headers.get("cache-control")).toContain("immutable");
    const level0 = decodeTile(new Uint8Array(await full.arrayBuffer()), 256);
    expect(level0[5]).toEqual(leafHash(entries[5]!));
    const partial = await call("/log/tile/0/001.p/44");
    expect(partial.headers.get("cache-control")).not.toContain("immutable");
    expect(decodeTile(new Uint8Array(await partial.arrayBuffer()), 44)[43]).toEqual(
      leafHash(entries[299]!),
    );
    // The level-1 tile holds the roots of 256-leaf subtrees: here one of them.
    const level1 = decodeTile(
      new Uint8Array(await (await call("/log/tile/1/000.p/1")).arrayBuffer()),
      1,
    );
    expect(level1[0]).toEqual(rootFromLeafHashes(entries.slice(0, 256).map(leafHash)));
    expect(nodeHash(level1[0]!, rootFromLeafHashes(entries.slice(256).map(leafHash)))).toEqual(
      checkpoint.rootHash,
    );

    const bundle = decodeEntryBundle(
      new Uint8Array(await (await call("/log/tile/entries/001.p/44")).arrayBuffer()),
      44,
    );
    expect(bundle[43]).toEqual(entries[299]);
  });

  it("refuses tiles it does not hold and malformed tile paths with not-found problems", async () => {
    await append([genesis()]);
    for (const path of [
      "/log/tile/0/000",
      "/log/tile/0/000.p/2",
      "/log/tile/0/x",
      "/log/tile/0/0001",
      "/log/tile/entries/001",
    ]) {
      await expectProblem(await call(path), 404, "not-found");
    }
  });

  it("refuses policy violations and malformed entries with 4xx problems, appending nothing", async () => {
    expect((await append([genesis()])).status).toBe(201);
    const again = await expectProblem(await append([genesis()]), 422, "log-policy-violation");
    expect(again.detail).toMatch(/only the first entry/);
    await expectProblem(await postJson("/log/entries", { entries: ["!!"] }), 422, "invalid-body");
    await expectProblem(
      await postJson("/log/entries", { entries: ["AAAA"] }),
      422,
      "log-policy-violation",
    );
    await expectProblem(await postJson("/log/entries", { entries: [] }), 422, "invalid-body");
    const cp = verifyCheckpoint(await (await call("/log/checkpoint")).text(), {
      logKey: logKey(),
      witnesses: [],
      quorum: 0,
    });
    expect(cp.checkpoint.size).toBe(1n);
  });
});

describe("appends without an account", () => {
  it("are limited to 600 an hour from one network, then 429 with Retry-After; reads go on", async () => {
    expect((await append([genesis()])).status).toBe(201);
    const from = { "cf-connecting-ip": "203.0.113.77" };
    // 570 appends already counted for this network (as if sent from other isolates)…
    const client = await clientKey(env, new Request("http://lintel.test/", { headers: from }));
    const limit = LIMITS.logAppend;
    const stub = limiterStub(env, limit, client);
    await stub.hit(`${limit.bucket}|${client}`, limit.limit, limit.windowSeconds, 570);
    // …then 30 more, here: 20 bytes that are no entry, refused at once, and still counted.
    const junk = { entries: [encodeBase64url(new Uint8Array(20))] };
    for (let i = 0; i < 30; i++)
      await expectProblem(await postJson("/log/entries", junk, from), 422, "log-policy-violation");
    const limited = await postJson("/log/entries", junk, from);
    expect(limited.headers.get("retry-after")).not.toBeNull();
    await expectProblem(limited, 429, "rate-limited");
    // Another network may still append, and reading is not limited.
    expect(
      (await postJson("/log/entries", { entries: [encodeBase64url(enrolment())] })).status,
    ).toBe(201);
    expect((await call("/log/checkpoint")).status).toBe(200);
  });
});

describe("tlog-proof bundles", () => {
  it("prove an entry offline against the signed checkpoint they carry", async () => {
    const { parseTlogProof, verifyInclusion } = await import("@lintel/protocol");
    const entries = [genesis(), enrolment("a"), enrolment("b"), enrolment("c"), enrolment("d")];
    await append(entries);
    const res = await call("/log/proof/3");
    expect(res.status).toBe(200);
    const bundle = parseTlogProof(await res.text());
    const { checkpoint } = verifyCheckpoint(bundle.signedCheckpoint, {
      logKey: logKey(),
      witnesses: [],
      quorum: 0,
    });
    expect(bundle.index).toBe(3n);
    expect(() =>
      verifyInclusion(
        3n,
        checkpoint.size,
        leafHash(entries[3]!),
        bundle.proof,
        checkpoint.rootHash,
      ),
    ).not.toThrow();
    expect(() =>
      verifyInclusion(
        3n,
        checkpoint.size,
        leafHash(entries[2]!),
        bundle.proof,
        checkpoint.rootHash,
      ),
    ).toThrow();
    for (const path of [
      "/log/proof/5",
      "/log/proof/01",
      "/log/proof/-1",
      "/log/proof/x",
      "/log/proof/99999999999999999999999",
    ]) {
      await expectProblem(await call(path), 404, "not-found");
    }
  });
});
