/**
 * The witness role (C2SP tlog-witness add-checkpoint) run from the same worker code with witness
 * settings, and the log's side of it: submitting, keeping cosignatures, serving them, and an
 * auditor requiring a quorum of one.
 */

import { createExecutionContext, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import {
  auditLog,
  decodeBase64url,
  EMPTY_ROOT,
  ed25519PublicKey,
  formatAddCheckpointRequest,
  formatCosignatureVerifierKey,
  formatVerifierKey,
  parseCosignatureVerifierKey,
  parseVerifierKey,
  verifyCheckpoint,
} from "@lintel/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { httpLogSource } from "../../client-sdk/src/audit/source.ts";
import { createApp } from "../../worker/src/app.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import { LogWriter } from "../../worker/src/log/writer.ts";
import { createWitnessApp } from "../../worker/src/witness/app.ts";
import { checkAgainstContract } from "./contract-check.ts";
import { deploymentLog, enrolment, genesis, wipeDeploymentLog } from "./log-fixtures.ts";

const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
const logSecret = decodeBase64url(env.LOG_SIGNING_KEY!, 32);
const logKeyText = formatVerifierKey(deployment.logOrigin, ed25519PublicKey(logSecret));
const witnessSecret = crypto.getRandomValues(new Uint8Array(32));
const witnessName = "witness.test/w1";
const witnessKeyText = formatCosignatureVerifierKey(witnessName, ed25519PublicKey(witnessSecret));

const witnessEnv = {
  ...env,
  LINTEL_DEPLOYMENT: { ...(env.LINTEL_DEPLOYMENT as object), role: "witness" },
  LINTEL_WITNESS: JSON.stringify({
    name: witnessName,
    logs: [{ origin: deployment.logOrigin, key: logKeyText }],
  }),
  WITNESS_SIGNING_KEY: btoa(String.fromCharCode(...witnessSecret))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, ""),
};
const witnessApp = createWitnessApp();
/** A request to the witness's own app; its answer is checked against the API contract. */
async function toWitness(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const res = await witnessApp.fetch(request.clone(), witnessEnv, createExecutionContext());
  await checkAgainstContract(request, res);
  return res;
}

const log = deploymentLog;

/** The log writer's private way to its witnesses, reached from tests with runInDurableObject. */
interface WitnessReach {
  reachWitness: typeof fetch;
  offerToWitnesses(): Promise<void>;
}

async function fresh(): Promise<void> {
  await env.DB.exec("DELETE FROM witnessed_logs");
  await wipeDeploymentLog();
}

async function appendAndOffer(entries: Uint8Array[]): Promise<void> {
  const outcome = await log().append(entries);
  if (!outcome.ok) throw new Error(outcome.reason);
  await runInDurableObject(log(), async (object) => {
    const instance = object as unknown as LogWriter;
    const withWitness = instance as unknown as { env: typeof env };
    const saved = withWitness.env;
    withWitness.env = {
      ...saved,
      LINTEL_WITNESSES: JSON.stringify([
        { name: witnessName, key: witnessKeyText, url: "http://witness.test/witness" },
      ]),
    };
    try {
      const writer = instance as unknown as WitnessReach;
      writer.reachWitness = toWitness as typeof fetch;
      await writer.offerToWitnesses();
    } finally {
      withWitness.env = saved;
    }
  });
}

async function addCheckpoint(body: string): Promise<Response> {
  return toWitness("http://witness.test/witness/add-checkpoint", { method: "POST", body });
}

beforeEach(fresh);

describe("witness role: add-checkpoint", () => {
  it("answers each failure with the spec's status code and cosigns a consistent checkpoint", async () => {
    const outcome = await log().append([genesis(), enrolment("a")]);
    if (!outcome.ok) throw new Error(outcome.reason);
    const note = outcome.checkpoint;

    expect((await addCheckpoint("garbage")).status).toBe(400);
    const foreign = note.replace(deployment.logOrigin, "other.example/log");
    expect(
      (
        await addCheckpoint(
          formatAddCheckpointRequest({ oldSize: 0n, proof: [], signedCheckpoint: note }).replace(
            note,
            foreign,
          ),
        )
      ).status,
    ).toBe(404);
    const forged = note.replace(
      /— (\S+) (\S+)/,
      (_m, n: string, sig: string) =>
        `— ${n} ${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`,
    );
    expect(
      (
        await addCheckpoint(
          formatAddCheckpointRequest({ oldSize: 0n, proof: [], signedCheckpoint: forged }),
        )
      ).status,
    ).toBe(403);
    const wrongOld = await addCheckpoint(
      formatAddCheckpointRequest({ oldSize: 1n, proof: [EMPTY_ROOT], signedCheckpoint: note }),
    );
    expect(wrongOld.status).toBe(409);
    expect(wrongOld.headers.get("content-type")).toBe("text/x.tlog.size");
    expect(await wrongOld.text()).toBe("0\n");
    // A client must not send a proof from size 0; the witness refuses one that does (422).
    const proofFromZero = `old 0\n${btoa(String.fromCharCode(...EMPTY_ROOT))}\n\n${note}`;
    expect((await addCheckpoint(proofFromZero)).status).toBe(422);

    const ok = await addCheckpoint(
      formatAddCheckpointRequest({ oldSize: 0n, proof: [], signedCheckpoint: note }),
    );
    expect(ok.status).toBe(200);
    const cosigned = `${note}${await ok.text()}`;
    const v = verifyCheckpoint(cosigned, {
      logKey: parseVerifierKey(logKeyText),
      witnesses: [parseCosignatureVerifierKey(witnessKeyText)],
      quorum: 1,
    });
    expect(v.cosigners.map((w) => w.name)).toEqual([witnessName]);
    // The witness now holds size 2: offering size 2 again "from 0" is a conflict.
    expect(
      (
        await addCheckpoint(
          formatAddCheckpointRequest({ oldSize: 0n, proof: [], signedCheckpoint: note }),
        )
      ).status,
    ).toBe(409);
  });

  it("answers its health checks without a log writer of its own", async () => {
    const health = await toWitness("http://witness.test/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "pass",
      deployment: deployment.id,
      role: "witness",
      checks: { database: "pass" },
    });
    expect((await toWitness("http://witness.test/healthz/live")).status).toBe(200);
  });

  it("is not served by an instance whose role is not witness", async () => {
    // The witness's own entry, configured as another role, and the main service's app.
    for (const app of [createWitnessApp(), createApp()]) {
      const request = new Request("http://x/witness/add-checkpoint", { method: "POST", body: "x" });
      const res = await app.fetch(request.clone(), env, createExecutionContext());
      expect(res.status).toBe(404);
      await checkAgainstContract(request, res);
    }
  });
});

describe("a log with a witness", () => {
  it("collects cosignatures as it grows, serves them, and satisfies an auditor's quorum of one", async () => {
    await appendAndOffer([genesis(), enrolment("a")]);
    await appendAndOffer([enrolment("b"), enrolment("c")]);
    const served = await (
      await exports.default.fetch(new Request("http://lintel.test/log/checkpoint"))
    ).text();
    expect(served).toContain(`— ${witnessName} `);

    const source = httpLogSource("http://lintel.test/log", (url, init) =>
      exports.default.fetch(new Request(url, init)),
    );
    const withQuorum = await auditLog({
      source,
      logKey: parseVerifierKey(logKeyText),
      witnesses: [parseCosignatureVerifierKey(witnessKeyText)],
      quorum: 1,
    });
    expect(withQuorum).toMatchObject({ ok: true, cosigners: [witnessName] });

    // Another witness key: the same checkpoint no longer meets the quorum.
    const stranger = formatCosignatureVerifierKey(
      witnessName,
      ed25519PublicKey(crypto.getRandomValues(new Uint8Array(32))),
    );
    const wrongWitness = await auditLog({
      source,
      logKey: parseVerifierKey(logKeyText),
      witnesses: [parseCosignatureVerifierKey(stranger)],
      quorum: 1,
    });
    expect(wrongWitness.ok).toBe(false);
  });

  it("without a cosignature the auditor's quorum of one fails", async () => {
    const outcome = await log().append([genesis()]);
    expect(outcome.ok).toBe(true);
    const source = httpLogSource("http://lintel.test/log", (url, init) =>
      exports.default.fetch(new Request(url, init)),
    );
    const audit = await auditLog({
      source,
      logKey: parseVerifierKey(logKeyText),
      witnesses: [parseCosignatureVerifierKey(witnessKeyText)],
      quorum: 1,
    });
    expect(audit.ok ? "" : audit.reason).toMatch(/quorum|cosign/i);
  });
});

describe("the witness alarm", () => {
  const witnessed = {
    LINTEL_WITNESSES: JSON.stringify([
      { name: witnessName, key: witnessKeyText, url: "http://witness.test/witness" },
    ]),
  };
  let offers = 0;
  const down: typeof fetch = async () => {
    offers++;
    throw new Error("connection refused");
  };

  /** Gives the deployment's log object the test witness, reached through `reach`. */
  async function configure(reach: typeof fetch, witnesses: object = witnessed): Promise<void> {
    await runInDurableObject(log(), (object) => {
      const writer = object as unknown as WitnessReach & { env: typeof env };
      writer.env = { ...env, ...witnesses };
      writer.reachWitness = reach;
    });
  }
  const alarmAt = () => runInDurableObject(log(), (_o, state) => state.storage.getAlarm());
  /** Waits until the alarm has run against the down witness and set itself for later. */
  async function waitForBackoff(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const at = await alarmAt();
      if (offers > 0 && at !== null && at > Date.now() + 500) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the alarm did not set itself again");
  }
  const served = async () =>
    (await exports.default.fetch(new Request("http://lintel.test/log/checkpoint"))).text();

  beforeEach(() => {
    offers = 0;
  });
  afterEach(() => configure((input, init) => fetch(input, init), {}));

  it("offers the newest checkpoint again once a witness that was down is back, with no new append", async () => {
    await configure(down);
    expect(await log().append([genesis(), enrolment("a")])).toMatchObject({ ok: true });
    // The batch set the alarm; it ran, the witness was down, and it set itself for later.
    await waitForBackoff();
    expect(await served()).not.toContain(`— ${witnessName} `);

    await configure(toWitness as typeof fetch);
    expect(await runDurableObjectAlarm(log())).toBe(true);
    expect(await served()).toContain(`— ${witnessName} `);
    expect((await log().status()).size).toBe("2");
    // Every witness has cosigned: nothing left to retry.
    expect(await alarmAt()).toBeNull();
  });

  it("is set again at start-up when the newest checkpoint lacks a cosignature (a crash after a batch)", async () => {
    await configure(down);
    expect(await log().append([genesis()])).toMatchObject({ ok: true });
    await waitForBackoff();
    await runInDurableObject(log(), async (_object, state) => {
      // The crash: the alarm is gone, and the object starts again over the same storage.
      await state.storage.deleteAlarm();
      expect(await state.storage.getAlarm()).toBeNull();
      new LogWriter(state, { ...env, ...witnessed });
      await state.blockConcurrencyWhile(async () => {});
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
    await configure(toWitness as typeof fetch);
    await runDurableObjectAlarm(log());
    expect(await served()).toContain(`— ${witnessName} `);
    expect(await alarmAt()).toBeNull();
  });
});
