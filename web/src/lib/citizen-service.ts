/**
 * The citizen pages' connection to the service and to this phone's storage: the deployment
 * (every trustee key's proof of possession checked by fetchDeployment), the registry key codes
 * are verified against, the epoch keys (each statement verified under the log key), the diary
 * and the offline queue in IndexedDB, and the day's check-in word.
 *
 * The day word comes with the answer to POST /api/checkins; the SDK keeps it on the visit in the
 * diary, so a pass drawn again after a reload still shows it. It names no one and no venue: it
 * is the same for every pass of that day.
 */
import {
  type CheckInQueue,
  type CheckInQueueStore,
  type CitizenDeployment,
  callRoute,
  checkInQueue,
  checkOut,
  dueForCheckOut,
  type EncryptionKeys,
  fetchDeployment,
  indexedDbQueueStore,
  indexedDbVisitStore,
  LintelError,
  listVisits,
  loadEncryptionKeys,
  pruneDiary,
  type ServiceOptions,
  type Visit,
  type VisitStore,
} from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { keepProofMemory, restoreProofMemory } from "./fast-curves.ts";
import type { Bi } from "./i18n.ts";

export interface CitizenContext {
  readonly service: ServiceOptions;
  readonly deployment: CitizenDeployment;
  /** The registry's C2SP verifier key: every venue code is verified against it on this phone. */
  readonly registryVerifierKey: string;
  readonly visits: VisitStore;
  readonly queueStore: CheckInQueueStore;
  readonly queue: CheckInQueue;
}

/** Where earlier versions of this page kept day words; cleared with the rest of the data. */
const LEGACY_DAY_WORDS_KEY = "lintel.citizen.day-words.v1";

/**
 * The check-in word of the day a visit was stored: the service answered it with the check-in
 * and the SDK keeps it on the visit in the diary. Visits stored before that have none.
 */
export function dayWordFor(visit: Visit): Bi | undefined {
  return visit.dayWord;
}

/** Forgets the day words an earlier version kept outside the diary. */
export function forgetDayWords(): void {
  try {
    window.localStorage.removeItem(LEGACY_DAY_WORDS_KEY);
  } catch {
    // nothing kept
  }
}

function registryKeyOf(deployment: CitizenDeployment): string {
  const registry = (deployment as { registry?: { verifierKey?: unknown } }).registry;
  const key = registry?.verifierKey;
  if (typeof key !== "string" || key === "") {
    throw new LintelError("deployment-incomplete", "The deployment publishes no registry key.");
  }
  return key;
}

/** Loads the deployment and opens this phone's diary and queue. */
export async function openCitizen(): Promise<CitizenContext> {
  const service: ServiceOptions = { baseUrl: location.origin };
  restoreProofMemory();
  const deployment: CitizenDeployment = await fetchDeployment(service);
  const registryVerifierKey = registryKeyOf(deployment);
  const visits = indexedDbVisitStore();
  const queueStore = indexedDbQueueStore();
  const queue = checkInQueue({ service, deployment, store: queueStore, visits });
  return { service, deployment, registryVerifierKey, visits, queueStore, queue };
}

let keysPromise: Promise<EncryptionKeys> | undefined;

/**
 * The epoch keys, verified; fetched once per page (a failure is retried on the next call). The
 * proofs of possession that held are kept for the next load.
 */
export function encryptionKeys(ctx: CitizenContext): Promise<EncryptionKeys> {
  if (!keysPromise) {
    keysPromise = loadEncryptionKeys(ctx.service, ctx.deployment).then((keys) => {
      keepProofMemory();
      return keys;
    });
    keysPromise.catch(() => {
      keysPromise = undefined;
    });
  }
  return keysPromise;
}

/** Visits still open at `now`: not checked out, departure not reached. Newest first. */
export async function openVisits(ctx: CitizenContext, now = new Date()): Promise<Visit[]> {
  const seconds = now.getTime() / 1000;
  return (await listVisits(ctx.visits)).filter(
    (v) => v.checkedOutAt === undefined && v.expectedDeparture > seconds,
  );
}

/**
 * Housekeeping on every load: visits past the retention period leave the diary, and visits whose
 * expected departure has come are checked out automatically (that sends nothing: their
 * ciphertexts already end there). Returns the visits it checked out.
 */
export async function tidyDiary(ctx: CitizenContext, now = new Date()): Promise<Visit[]> {
  await pruneDiary(ctx.visits, ctx.deployment.retentionDays, now);
  const done: Visit[] = [];
  for (const visit of dueForCheckOut(await ctx.visits.list(), now)) {
    const { visit: out } = await checkOut(ctx.service, visit, now);
    await ctx.visits.put(out);
    done.push(out);
  }
  return done;
}

/** Checks a visit out now (deleting the slots still ahead) and keeps the result in the diary. */
export async function checkOutVisit(
  ctx: CitizenContext,
  visit: Visit,
  now = new Date(),
): Promise<{ visit: Visit; deleted: number }> {
  const result = await checkOut(ctx.service, visit, now);
  await ctx.visits.put(result.visit);
  return result;
}

/**
 * POST /api/codes/check: is this code still current? Resolves with whether the entrance is in
 * kiosk mode (then only its screen's rotating code checks in), or throws the service's code.
 */
export async function checkCodeIsCurrent(
  ctx: CitizenContext,
  fragment: string,
): Promise<{ readonly kioskRequired: boolean }> {
  const { kioskRequired } = await callRoute(ctx.service, citizenRoutes.checkCode, {
    body: { code: fragment },
  });
  return { kioskRequired };
}
