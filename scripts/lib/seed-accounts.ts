/**
 * The demo's accounts, made through the running service exactly as a real deployment makes its
 * own (DEPLOY.md §6): the registry key asks for the first reviewer (`npm run bootstrap --
 * reviewer`'s own function), the reviewer's device enrols with that one-time code, and the
 * reviewer makes the officers' accounts, whose devices enrol with theirs — which also enrols
 * their keys in the log (already there from the demo's first batch, so the log keeps that entry
 * and its label). The demo holds every device key (the identities file) so that one person, the
 * CLIs and the tests can play each part; nothing is written to D1 directly.
 *
 * Run on every start: an account whose device still signs in is kept. A device past its lifetime
 * (or unused for the registry's and officers' idle limit of three days) cannot enrol its key
 * again, so that identity gets a new key, saved in the identities file.
 */
import {
  deviceKeyFromSeed,
  LintelError,
  type SignedServiceOptions,
  signedCall,
} from "@lintel/client-sdk";
import { accountRoutes, type RouteAnswer } from "@lintel/contract";
import { decodeBase64url, deviceKeyName, encodeBase64url } from "@lintel/protocol";
import { ed25519Pair } from "./bootstrap/keys.ts";
import { requestReviewer } from "./bootstrap/reviewer.ts";
import { type DemoIdentities, saveDemoIdentities } from "./demo-identities.ts";

function device(baseUrl: string, deployment: string, seed: string): SignedServiceOptions {
  return {
    baseUrl,
    deployment,
    keyName: deviceKeyName(deployment),
    key: deviceKeyFromSeed(decodeBase64url(seed, 32)),
  };
}

type SignedInAs = Pick<RouteAnswer<typeof accountRoutes.me>, "accountId" | "role">;

/** Who a device signs in as, or null when the service does not know it (or no longer). */
async function whoAmI(d: SignedServiceOptions): Promise<SignedInAs | null> {
  try {
    return await signedCall(d, accountRoutes.me);
  } catch (e) {
    if (e instanceof LintelError && e.status === 401) return null;
    throw e;
  }
}

/**
 * Enrols the key `seed` with a one-time code; when that key was enrolled before (its device
 * expired), a new key takes its place. Returns the seed and public key that are now enrolled.
 */
async function enrolWithCode(
  baseUrl: string,
  deployment: string,
  code: string,
  seed: string,
): Promise<{ secretKey: string; publicKey: string }> {
  for (const key of [seed, ed25519Pair().secretKey]) {
    const d = device(baseUrl, deployment, key);
    try {
      await signedCall(d, accountRoutes.enrol, {
        body: { code, publicKey: encodeBase64url(d.key.publicKey) },
      });
      return { secretKey: key, publicKey: encodeBase64url(d.key.publicKey) };
    } catch (e) {
      // A refused enrolment writes nothing: the code is still unused for the next key.
      if (!(e instanceof LintelError && e.code === "key-already-enrolled")) throw e;
    }
  }
  throw new Error("a fresh key was refused as already enrolled");
}

export interface SeededAccounts {
  /** The identities, with any key that had to be replaced. */
  readonly identities: DemoIdentities;
  /** A fresh one-time code that signs a browser in as the demo registry reviewer. */
  readonly registryEnrolmentCode: string;
}

export async function seedAccounts(
  baseUrl: string,
  deployment: string,
  ids: DemoIdentities,
  identitiesFile: string,
): Promise<SeededAccounts> {
  let staff = ids.registryStaff;
  let me = await whoAmI(device(baseUrl, deployment, staff.deviceSecretKey));
  if (me?.role !== "registry") {
    const reviewer = await requestReviewer(
      baseUrl,
      deployment,
      ids.registry.secretKey,
      staff.label,
    );
    const key = await enrolWithCode(
      baseUrl,
      deployment,
      reviewer.enrolmentCode,
      staff.deviceSecretKey,
    );
    staff = {
      ...staff,
      accountId: reviewer.accountId,
      deviceSecretKey: key.secretKey,
      devicePublicKey: key.publicKey,
    };
    me = { accountId: reviewer.accountId, role: "registry" };
  }
  const reviewer = device(baseUrl, deployment, staff.deviceSecretKey);
  const officers = [];
  for (const officer of ids.officers) {
    if ((await whoAmI(device(baseUrl, deployment, officer.secretKey)))?.role === "officer") {
      officers.push(officer);
      continue;
    }
    const account = await signedCall(reviewer, accountRoutes.createAccount, {
      body: { role: "officer", label: officer.label },
    });
    officers.push({
      ...officer,
      ...(await enrolWithCode(baseUrl, deployment, account.enrolmentCode, officer.secretKey)),
    });
  }
  // For the browser: the reviewer's account gets another device with this code.
  const { enrolmentCode } = await signedCall(reviewer, accountRoutes.newEnrolmentCode, {
    params: { id: me.accountId },
  });
  const identities: DemoIdentities = { ...ids, registryStaff: staff, officers };
  // Saved only when an account was made: a restart leaves the file as it was.
  if (JSON.stringify(identities) === JSON.stringify(ids))
    return { identities: ids, registryEnrolmentCode: enrolmentCode };
  saveDemoIdentities(identitiesFile, identities);
  return { identities, registryEnrolmentCode: enrolmentCode };
}
