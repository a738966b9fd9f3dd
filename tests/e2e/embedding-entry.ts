/**
 * What the venue's page in tests/e2e/embedding.test.ts runs: the SDK's embedded check-in example,
 * bundled with `@lintel/client-sdk` by esbuild as a venue would bundle its app, plus two probes a
 * venue app cannot do without (reading a problem) or must not be able to do (a staff check-in).
 */
import { encodeBase64url } from "@lintel/protocol";
import { embeddedCheckIn } from "../../client-sdk/examples/embedded-checkin.ts";

export interface EmbeddedResult {
  readonly status: "stored" | "queued";
  readonly error?: string;
  readonly entranceId?: string;
  readonly headCount?: number;
  readonly receipts?: readonly string[];
}

async function checkInMember(
  serviceUrl: string,
  registryVerifierKey: string,
  codeUrl: string,
): Promise<EmbeddedResult> {
  const checkInAt = await embeddedCheckIn({ serviceUrl, registryVerifierKey });
  const outcome = await checkInAt(codeUrl, { name: "Member 1042", phone: "+852 5555 0142" }, [
    { name: "Child of member 1042", phone: "+852 5555 0142" },
  ]);
  if (outcome.status === "queued") {
    return { status: "queued", ...(outcome.error ? { error: outcome.error.code } : {}) };
  }
  const { visit } = outcome;
  return {
    status: "stored",
    entranceId: visit.entranceId,
    headCount: visit.headCount,
    receipts: [visit.receipt, ...visit.companions.map((c) => c.receipt)].map(encodeBase64url),
  };
}

/** A refused code check, read as a venue app reads it: status, media type and problem code. */
async function readProblem(serviceUrl: string) {
  const res = await fetch(new URL("/api/codes/check", serviceUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: "AAAA" }),
  });
  const problem = (await res.json()) as { code?: string };
  return { status: res.status, type: res.headers.get("content-type"), code: problem.code };
}

/** A staff check-in from this origin: the browser must refuse it (no CORS on privileged routes). */
async function tryStaffCheckIn(serviceUrl: string): Promise<string> {
  try {
    const res = await fetch(new URL("/api/checkins/staff", serviceUrl), {
      method: "POST",
      headers: { "content-type": "application/json", "lintel-statement": "x" },
      body: "{}",
    });
    return `answered ${res.status}`;
  } catch (e) {
    return e instanceof TypeError ? "refused by the browser" : String(e);
  }
}

Object.assign(globalThis, { lintelVenueApp: { checkInMember, readProblem, tryStaffCheckIn } });
