/**
 * Reading a venue code (PROTOCOL.md §3): what the camera saw or the person typed, checked on the
 * device, offline, against the registry key the app pinned. Nothing here asks the service whether
 * to trust a code: a forged code, a code signed by another key, a code for another deployment,
 * or one outside its validity days is refused before any contact detail is asked for. (Whether
 * the code's version is still current is the server's knowledge; it answers at check-in.)
 *
 * `readCode` takes a code URL (`https://…/c#BASE32[.KIOSK]`), the bare fragment, or the base32
 * code that POST /api/codes/manual returned for a typed manual code. `lookUpManualCode` does that
 * lookup and also checks that the typed code is the hash of exactly the code returned (§3.4), so
 * the service cannot hand back another venue's code.
 */

import { citizenRoutes } from "@lintel/contract";
import {
  encodeBase32,
  manualCodeFor,
  normalizeManualCode,
  parseCodeUrl,
  parseVerifierKey,
  type VenueCode,
  type VerifierKey,
  verifyVenueCode,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { callRoute, type ServiceOptions } from "../http.ts";
import { checked } from "./protocol-error.ts";

/** A kiosk suffix is u32 step ‖ 16-byte MAC (§3.5). */
const KIOSK_SUFFIX_BYTES = 20;

/** What a code is checked against: all of it pinned by the app, none of it from the server. */
export interface CodeTrust {
  /** The registry's C2SP verifier key, e.g. "demo/registry+1a2b3c4d+AQ…". */
  readonly registryVerifierKey: string;
  /** The deployment id the app belongs to; a code for any other deployment is refused. */
  readonly deployment: string;
  /** The device's clock; now by default. */
  readonly now?: Date;
}

/** A verified venue code. */
export interface ScannedCode {
  /** The decoded, signature-checked code. */
  readonly code: VenueCode;
  /** payload ‖ signature, as the registry signed it. */
  readonly signed: Uint8Array;
  /** base32 of `signed` (upper case, no kiosk suffix): the `code` a check-in sends. */
  readonly fragment: string;
  /** A kiosk's rotating suffix (20 bytes), when the code came from a kiosk screen. */
  readonly kiosk?: Uint8Array;
}

function pinnedKey(text: string): VerifierKey {
  try {
    return parseVerifierKey(text);
  } catch {
    throw new LintelError("bad-registry-key", "The pinned registry key is not a verifier key.");
  }
}

/**
 * Parses and verifies a scanned code. Throws a LintelError with the protocol's code:
 * "bad-encoding" (not a code), "unknown-key" (another registry key or another deployment),
 * "bad-signature" (forged or altered), "expired", "not-yet-valid", and the decoding codes.
 */
export function readCode(text: string, trust: CodeTrust): ScannedCode {
  const registry = pinnedKey(trust.registryVerifierKey);
  const parsed = checked("This is not a venue code", () => parseCodeUrl(text));
  const decoded = checked("The venue code was refused", () =>
    verifyVenueCode(parsed.code, {
      registry,
      deployment: trust.deployment,
      now: trust.now ?? new Date(),
    }),
  );
  if (parsed.kiosk !== undefined && parsed.kiosk.length !== KIOSK_SUFFIX_BYTES) {
    throw new LintelError("bad-length", "The kiosk part of the code is not a kiosk code.");
  }
  return {
    code: decoded.code,
    signed: decoded.bytes,
    fragment: encodeBase32(decoded.bytes),
    ...(parsed.kiosk === undefined ? {} : { kiosk: parsed.kiosk }),
  };
}

/**
 * Looks a typed manual code up (POST /api/codes/manual, the code in the body: in a URL it would
 * name the venue in access logs and caches), verifies the signed code it stands for
 * like a scanned one, and checks that the typed code is that code's hash (PROTOCOL.md §3.4).
 * A typo is "bad-encoding" or "bad-check-character" before anything is sent; a code that does not
 * match what was typed is "manual-code-mismatch".
 */
export async function lookUpManualCode(
  service: ServiceOptions,
  typed: string,
  trust: CodeTrust,
): Promise<ScannedCode> {
  const manual = checked("Check the code and type it again", () => normalizeManualCode(typed));
  const { code } = await callRoute(service, citizenRoutes.manualCode, { body: { code: manual } });
  const scanned = readCode(code, trust);
  if (scanned.kiosk !== undefined || manualCodeFor(scanned.signed) !== manual) {
    throw new LintelError(
      "manual-code-mismatch",
      "The service answered with a code other than the one typed.",
    );
  }
  return scanned;
}
