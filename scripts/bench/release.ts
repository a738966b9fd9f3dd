/**
 * `query.release_ms`: one trustee's release for a 48-slot scope (one entrance, 48 hours) on the
 * local deployment — the trustee's whole check: audit of the log from its saved state, the
 * officer's statement against the log's enrolments, the proof against its view, 48 partial keys
 * (BLS signatures) and its release entry appended to the log. Measured at both trustees (each
 * its own wrangler dev), first ask and an idempotent second ask, plus the log's epoch release.
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
  type OfficerOptions,
  signedJson,
  signedOptions,
} from "@lintel/client-sdk";
import { decodeBase64url } from "@lintel/protocol";
import type { DemoIdentities } from "../lib/demo-identities.ts";
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
  for (let run = 0; run < 3; run++) {
    const now = Math.floor(Date.now() / 1000);
    const s = now - (now % HOUR);
    const entry = await buildQuery({
      deployment: "demo",
      caseReference: `BENCH-${now}-${run}`,
      legalBasis: "benchmark",
      legalDocument: new TextEncoder().encode("benchmark"),
      entrances: ["hbr-main"],
      windowStart: s - 47 * HOUR,
      windowEnd: s + HOUR,
      reason: "benchmark of a 48-slot release",
      issuedAt: now,
    });
    const { draftId } = await fileQuery(a, entry);
    const draft = (await listQueries(b)).find((d) => d.draftId === draftId)!;
    const { queryIndex } = await approveQuery(b, draft);
    const proof = await fetchProof(
      a,
      BigInt(queryIndex),
      { deployment: deployment.id, logKey: deployment.logKey, witnesses: deployment.witnesses },
      { cosignatures: deployment.witnesses.length },
    );
    for (const trustee of deployment.trustees) {
      const url = new URL(`${trustee.url}/release`);
      const ask = async () => {
        const t0 = performance.now();
        const answer = await signedJson<{ partialKeys: unknown[] }>(
          signedOptions(a, url.origin),
          "POST",
          url.pathname,
          { proof: proof.text },
        );
        if (answer.partialKeys.length !== 48) throw new Error("not a 48-slot release");
        return performance.now() - t0;
      };
      firsts.push(await ask());
      repeats.push(await ask());
    }
    const t0 = performance.now();
    await signedJson(signedOptions(a), "POST", `/api/queries/${queryIndex}/release`);
    logs.push(performance.now() - t0);
  }
  const figures: Record<string, Figure> = {
    "query.release_ms": {
      value: median(firsts),
      unit: "ms (trustee, 48 slots, first ask, median)",
    },
    "query.release_repeat_ms": { value: median(repeats), unit: "ms (trustee, same query again)" },
    "query.log_release_ms": { value: median(logs), unit: "ms (the log's epoch share, 48 slots)" },
  };
  say(
    `query: trustee release of 48 slots ${median(firsts).toFixed(0)} ms (again ${median(repeats).toFixed(0)} ms), ` +
      `log's epoch share ${median(logs).toFixed(0)} ms`,
  );
  return figures;
}
