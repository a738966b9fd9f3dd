/**
 * An entrance's kiosk secret (PROTOCOL.md §3.5): derived from the data key, the entrance and its
 * code version, so replacing the code replaces the secret. Only the operator's kiosk set-up and
 * the entrance's own kiosk devices are given it; the check-in route derives it to verify.
 */
import { deriveSubkey } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";

export function kioskSecret(env: Env, entranceId: string, version: number): Promise<Uint8Array> {
  return deriveSubkey(env, `lintel kiosk v1|${entranceId}|${version}`);
}
