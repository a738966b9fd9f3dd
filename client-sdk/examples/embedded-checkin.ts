/**
 * Check-in embedded in a venue's own web app, served from the venue's own domain: the page
 * bundles `@lintel/client-sdk` (esbuild, Vite, …) and calls the Lintel service across origins,
 * which its citizen API allows (client-sdk/README.md, "Embedding check-in in your own web app").
 *
 *   const checkIn = await embeddedCheckIn({ serviceUrl, registryVerifierKey });
 *   const outcome = await checkIn(ENTRANCE_CODE_URL, { name, phone }, companions);
 *
 * The app pins two things at release time: the service's URL and the registry's verifier key
 * (GET /api/deployment → `registry.verifierKey`), so a deployment answer or an entrance code
 * signed by anyone else is refused on the device. Each entrance's signed code URL (from its
 * poster) is built in too, or scanned.
 *
 * client-sdk/README.md shows the part between the README markers; `readme.test.ts` keeps the two
 * equal, and tests/e2e/embedding.test.ts runs this file in Chromium on another origin against
 * the real service.
 */
import {
  type ContactDetails,
  checkInQueue,
  fetchDeployment,
  indexedDbQueueStore,
  indexedDbVisitStore,
  loadEncryptionKeys,
  type QueuedOutcome,
  readCode,
} from "@lintel/client-sdk";

export interface EmbeddedCheckInOptions {
  /** The Lintel service, e.g. "https://checkin.example.org". */
  readonly serviceUrl: string;
  /** The registry's C2SP verifier key, pinned in the app. */
  readonly registryVerifierKey: string;
}

export type CheckInAt = (
  codeUrl: string,
  contact: ContactDetails,
  companions?: readonly ContactDetails[],
) => Promise<QueuedOutcome>;

/** Loads and verifies the deployment once; the function it returns checks a party in. */
export async function embeddedCheckIn({
  serviceUrl,
  registryVerifierKey,
}: EmbeddedCheckInOptions): Promise<CheckInAt> {
  // README:begin
  const service = { baseUrl: serviceUrl }; // the service's origin, not the page's; no cookies
  const deployment = await fetchDeployment(service, { registryVerifierKey }); // record verified
  const keys = await loadEncryptionKeys(service, deployment); // verified under the log key
  const queue = checkInQueue({
    service,
    deployment,
    store: indexedDbQueueStore(),
    visits: indexedDbVisitStore(),
  });
  addEventListener("online", () => queue.flush()); // check-ins made offline go out when it is back
  const trust = { registryVerifierKey, deployment: deployment.id };
  // The code's registry signature is checked offline; contacts leave only inside ciphertexts.
  const checkInAt: CheckInAt = (codeUrl, contact, companions = []) =>
    queue.checkIn({ keys, code: readCode(codeUrl, trust), contact, companions });
  // README:end
  return checkInAt;
}
