/**
 * Is this scanned code one that checks people in today? The check-in API asks this before it
 * stores anything: the signature must be the registry's, the code in its validity days, and its
 * version the entrance's current one. Each refusal has its own problem code, because a person at
 * the door needs to know whether to look for a new poster (replaced), report a fake (invalid) or
 * retype (unknown).
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
import { codeStanding } from "./store.ts";

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
