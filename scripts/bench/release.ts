/**
 * `query.release_ms`: one trustee's release for a 12-slot scope (one entrance, 12 hours: the
 * demo's entrance-hour budget for two officers) on the local deployment — the trustee's whole
 * check: audit of the log from its saved state, the officer's statement against the log's
 * enrolments, the proof against its view, 12 partial keys
 * (BLS signatures) and its release entry appended to the log. Measured at both trustees (each
 * its own wrangler dev), first ask and an idempotent second ask, plus the log's epoch release.
 *
 * `query.release_grown_log_ms`: the same first ask once the log has grown by 2,000 entries (and
 * the trustees have audited them once): what a release costs in a log of a real deployment's
 * size, now that a trustee resumes its audit from its saved policy state.
 */
import {
  approveQuery,
  buildQuery,
  type DeviceKey,
  deviceKeyFromSeed,
  fetchAuthorityDeployment,
  fetchProof,
  fileQuery,
  listQueries,
  newReleaseKey,
  type OfficerOptions,
  signedCall,
  signedJson,
  signedOptions,
} from "@lintel/client-sdk";
import { queryRoutes } from "@lintel/contract";
import { decodeBase64url } from "@lintel/protocol";
import type { DemoIdentities } from "../lib/demo-identities.ts";
import { appendBatches, enrolmentBatches } from "./filler.ts";
import type { Figure } from "./protocol.ts";

const HOUR = 3600;

function officer(baseUrl: string, ids: DemoIdentities, id: string): OfficerOptions {
  const o = ids.officers.find((x) => x.id === id)!;
  const key: DeviceKey = deviceKeyFromSeed(decodeBase64url(o.secretKey, 32));
  return { baseUrl, deployment: "demo", key };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function releaseBenchmarks(
  say: (line: string) => void,
  baseUrl: string,
  ids: DemoIdentities,
): Promise<Record<string, Figure>> {
  const a = officer(baseUrl, ids, "officer-a");
  const b = officer(baseUrl, ids, "officer-b");
  const deployment = await fetchAuthorityDeployment({ baseUrl });
  const firsts: number[] = [];
  const repeats: number[] = [];
  const logs: number[] = [];
  /** One query filed, approved, proven and released by every trustee and the log. */
  const round = async (tag: string) => {
    const now = Math.floor(Date.now() / 1000);
    const s = now - (now % HOUR);
    const entry = await buildQuery({
      deployment: "demo",
      releaseKey: newReleaseKey().publicKey,
      caseReference: `BENCH-${now}-${tag}`,
      legalBasis: "benchmark",
      legalDocument: new TextEncoder().encode("benchmark"),
      entrances: ["hbr-main"],
      // The demo's entrance-hour budget for two officers (12): a wider query needs a third.
      windowStart: s - 11 * HOUR,
      windowEnd: s + HOUR,
      reason: "benchmark of a 12-slot release",
      issuedAt: now,
    });
    const { draftId } = await fileQuery(a, entry);
    const draft = (await listQueries(b)).find((d) => d.draftId === draftId)!;
    const approved = await approveQuery(b, draft, {
      caseReference: `BENCH-${now}-${tag}`,
      legalDocument: new TextEncoder().encode("benchmark"),
    });
    if (approved.status !== "logged") throw new Error("the query was not logged");
    const { queryIndex } = approved;
    const proof = await fetchProof(
      a,
      BigInt(queryIndex),
      { deployment: deployment.id, logKey: deployment.logKey, witnesses: deployment.witnesses },
      { cosignatures: deployment.witnesses.length },
    );
    const first: number[] = [];
    const again: number[] = [];
    for (const trustee of deployment.trustees) {
      const url = new URL(`${trustee.url}/release`);
      const ask = async () => {
        const t0 = performance.now();
        const answer = await signedJson<{ sealedKeys: string }>(
          { ...signedOptions(a, url.origin), audience: { id: trustee.id, origin: url.origin } },
          "POST",
          url.pathname,
          { proof: proof.text },
        );
        // 12 slots of 49 bytes, sealed: enc (32) ‖ ciphertext ‖ tag (16), in base64url.
        if (answer.sealedKeys.length !== Math.ceil(((32 + 12 * 49 + 16) * 4) / 3))
          throw new Error("not a 12-slot release");
        return performance.now() - t0;
      };
      first.push(await ask());
      again.push(await ask());
    }
    const t0 = performance.now();
    await signedCall(
      { ...signedOptions(a), audience: { id: "log", origin: "" } },
      queryRoutes.releaseEpochShare,
      { params: { queryIndex: String(queryIndex) } },
    );
    return { first, again, log: performance.now() - t0 };
  };
  for (let run = 0; run < 3; run++) {
    const r = await round(String(run));
    firsts.push(...r.first);
    repeats.push(...r.again);
    logs.push(r.log);
  }

  say("query: growing the log by 2,000 entries, then releasing again…");
  await appendBatches(
    baseUrl,
    enrolmentBatches(decodeBase64url(ids.registry.secretKey, 32), 20, 100, "release bench"),
  );
  const catchUp = await round("catch-up");
  const grown: number[] = [];
  for (let run = 0; run < 3; run++) grown.push(...(await round(`grown ${run}`)).first);
  const figures: Record<string, Figure> = {
    "query.release_ms": {
      value: median(firsts),
      unit: "ms (trustee, 12 slots, first ask, median)",
    },
    "query.release_repeat_ms": { value: median(repeats), unit: "ms (trustee, same query again)" },
    "query.log_release_ms": { value: median(logs), unit: "ms (the log's epoch share, 12 slots)" },
    "query.release_catch_up_ms": {
      value: median(catchUp.first),
      unit: "ms (trustee, first release after the log grew by 2,000 entries)",
    },
    "query.release_grown_log_ms": {
      value: median(grown),
      unit: "ms (trustee, 12 slots, first ask, log of 2,000+ entries, median)",
    },
  };
  say(
    `query: trustee release of 12 slots ${median(firsts).toFixed(0)} ms (again ${median(repeats).toFixed(0)} ms), ` +
      `log's epoch share ${median(logs).toFixed(0)} ms`,
  );
  return figures;
}
