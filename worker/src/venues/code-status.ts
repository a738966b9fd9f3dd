/**
 * Is this scanned code one that checks people in today? The check-in API asks this before it
 * stores anything: the signature must be the registry's, the code in its validity days, and its
 * version the entrance's current one. Each refusal has its own problem code, because a person at
 * the door needs to know whether to look for a new poster (replaced), report a fake (invalid),
 * retype (unknown) or go to another entrance (retired: the problem names which, or none).
 */
import {
  formatVerifierKey,
  isProtocolError,
  parseVerifierKey,
  registryKeyName,
  toHex,
  verifyVenueCode,
} from "@lintel/protocol";
import { loadDeployment } from "../config/deployment.ts";
import { secretPublicKey } from "../config/secrets.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import { type CodeStanding, codeStanding } from "./store.ts";

export interface CurrentCode {
  readonly venueId: string;
  readonly entranceId: string;
  readonly version: number;
  /** Check-ins from a person's device need the kiosk's rotating suffix here. */
  readonly kioskRequired: boolean;
}

/**
 * Codes found current, remembered for a few seconds per isolate: at thousands of check-ins a
 * second a poster's code is asked about again and again. A replacement clears this isolate's
 * memory at once (forgetCurrentCodes); other isolates follow within CURRENT_CODE_TTL_MS.
 * Refusals are never remembered.
 */
export const CURRENT_CODE_TTL_MS = 5000;
const remembered = new Map<string, { code: CurrentCode; until: number }>();

export function forgetCurrentCodes(): void {
  remembered.clear();
}

export async function currentCode(env: Env, signed: Uint8Array): Promise<CurrentCode> {
  const id = toHex(signed);
  const now = Date.now();
  const hit = remembered.get(id);
  if (hit && hit.until > now) return hit.code;
  const code = await lookUpCode(env, signed);
  if (remembered.size > 50_000) remembered.clear();
  remembered.set(id, { code, until: now + CURRENT_CODE_TTL_MS });
  return code;
}

function retiredProblem(row: CodeStanding): ProblemError {
  if (row.insteadId === null) {
    return new ProblemError(
      "entrance-retired",
      "This entrance was retired and its code checks nobody in; ask the venue's staff where to check in.",
      { scanInstead: null },
    );
  }
  const name = { en: row.insteadEn ?? "", zh: row.insteadZh ?? "" };
  return new ProblemError(
    "entrance-retired",
    `This entrance was retired and its code checks nobody in; scan the code at the entrance "${name.en}" (${name.zh}) instead.`,
    { scanInstead: { entranceId: row.insteadId, name } },
  );
}

async function lookUpCode(env: Env, signed: Uint8Array): Promise<CurrentCode> {
  const deployment = loadDeployment(env.LINTEL_DEPLOYMENT).id;
  let code: ReturnType<typeof verifyVenueCode>["code"];
  try {
    code = verifyVenueCode(signed, {
      registry: parseVerifierKey(
        formatVerifierKey(
          registryKeyName(deployment),
          secretPublicKey(env, "REGISTRY_SIGNING_KEY"),
        ),
      ),
      now: new Date(),
      deployment,
    }).code;
  } catch (e) {
    if (!isProtocolError(e)) throw e;
    if (e.code === "expired" || e.code === "not-yet-valid") {
      throw new ProblemError("code-expired", "This poster's code is outside its validity dates.");
    }
    throw new ProblemError("invalid-code", "This is not a code signed by this service's registry.");
  }
  const row = await codeStanding(env.DB, code.venueId, code.entranceId, code.codeVersion);
  if (!row) throw new ProblemError("unknown-code", "No entrance has this code.");
  // Retirement comes first: any code of a retired entrance, replaced or not, is answered with
  // where to scan instead, which is what the person at the door needs.
  if (row.retiredAt !== null) throw retiredProblem(row);
  if (row.replacedAt !== null) {
    throw new ProblemError("code-replaced", "This code was replaced; scan the new poster.");
  }
  if (row.status === "suspended") {
    throw new ProblemError("venue-suspended", "The registry suspended this venue.");
  }
  if (row.active !== 1 || row.status !== "approved") {
    throw new ProblemError("venue-closed", "This entrance is not taking check-ins.");
  }
  return {
    venueId: code.venueId,
    entranceId: code.entranceId,
    version: code.codeVersion,
    kioskRequired: row.kioskRequired === 1,
  };
}
