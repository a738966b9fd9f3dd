/**
 * A venue's own app checks its member in — no scanning. A swimming pool's membership app knows
 * which gate the member is at (the turnstile they tapped), so it ships the registry-signed code
 * of each of its entrances and checks the member in when they enter:
 *
 *   npx tsx client-sdk/examples/venue-app.ts http://127.0.0.1:8787 hbr-main
 *
 * (With `npm run dev` running. The example fetches the entrance's code once, standing in for
 * the constant a real app would build in; everything after that is what the app does.)
 */
import {
  checkIn,
  checkOut,
  fetchDeployment,
  loadEncryptionKeys,
  readCode,
  type ServiceOptions,
} from "../src/index.ts";

const [baseUrl = "http://127.0.0.1:8787", entranceId = "hbr-main"] = process.argv.slice(2);
const service: ServiceOptions = { baseUrl };

// Built into the app at release time: the signed code URL printed on each entrance's poster.
const res = await fetch(`${baseUrl}/api/entrances/${encodeURIComponent(entranceId)}/code`);
if (!res.ok) throw new Error(`no code for entrance ${entranceId}: ${res.status}`);
const ENTRANCE_CODE_URL = ((await res.json()) as { url: string }).url;

// ── What the app does when the member walks in ────────────────────────────────────────────
const deployment = await fetchDeployment(service); // trustee keys' proofs checked here
const code = readCode(ENTRANCE_CODE_URL, {
  registryVerifierKey: deployment.registry.verifierKey,
  deployment: deployment.id,
}); // the registry's signature checked offline
const keys = await loadEncryptionKeys(service, deployment); // epoch keys checked under the log key
const visit = await checkIn({
  service,
  deployment,
  keys,
  code,
  // The member's details stay in the app; they leave the phone only inside the ciphertexts.
  contact: { name: "Member 1042", phone: "+852 5555 0142" },
  companions: [{ name: "Child of member 1042", phone: "+852 5555 0142" }],
});
console.log(
  `checked in: ${visit.venueName.zh} · ${visit.entranceName.zh} ` +
    `(${visit.venueName.en} · ${visit.entranceName.en}), ${visit.headCount} people, ` +
    `${visit.slots.length} slot(s), receipt ${visit.receipt.length} bytes`,
);

// Leaving early: the slots still ahead are deleted with the visit's deletion secret.
const { deleted } = await checkOut(service, visit);
console.log(`checked out: ${deleted} slot(s) ahead deleted`);
