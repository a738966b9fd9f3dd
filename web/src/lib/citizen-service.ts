/**
 * The citizen pages' connection to the service and to this phone's storage: the deployment
 * (every trustee key's proof of possession checked by fetchDeployment), the registry key codes
 * are verified against, the epoch keys (each statement verified under the log key), the diary
 * and the offline queue in IndexedDB, and the day's check-in word.
 *
 * The day word comes with the answer to POST /api/checkins, which the SDK reads for the receipt
 * only; the service's `fetch` here also reads the word from that answer (a copy of the response)
 * and keeps it on this phone by local date, so a pass drawn again after a reload still shows it.
 * It names no one and no venue: it is the same for every pass of that day.
 */
import {
  type CheckInQueue,
  type CheckInQueueStore,
  type CitizenDeployment,
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

const DAY_WORDS_KEY = "lintel.citizen.day-words.v1";
/** Day words are kept for today and yesterday only (a pass of last night, after midnight). */
const DAY_WORDS_KEPT = 2;

function isBi(value: unknown): value is Bi {
  if (typeof value !== "object" || value === null) return false;
  const { en, zh } = value as Record<string, unknown>;
  return typeof en === "string" && typeof zh === "string" && en.length <= 40 && zh.length <= 40;
}

function readDayWords(): Record<string, Bi> {
  try {
    const raw = window.localStorage.getItem(DAY_WORDS_KEY);
    const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const words: Record<string, Bi> = {};
    for (const [day, word] of Object.entries(parsed)) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(day) && isBi(word)) words[day] = word;
    }
    return words;
  } catch {
    return {};
  }
}

/** "YYYY-MM-DD" of a Unix time in the deployment's time zone: the day a word belongs to. */
export function localDay(unixSeconds: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(unixSeconds * 1000));
}

function keepDayWord(storedAt: number, word: Bi, timeZone: string): void {
  const words = readDayWords();
  words[localDay(storedAt, timeZone)] = { en: word.en, zh: word.zh };
  const kept = Object.keys(words).sort().slice(-DAY_WORDS_KEPT);
  try {
    window.localStorage.setItem(
      DAY_WORDS_KEY,
      JSON.stringify(Object.fromEntries(kept.map((d) => [d, words[d]]))),
    );
  } catch {
    // Storage refused: the pass shows the word while this page is open only.
    memoryWords.set(localDay(storedAt, timeZone), word);
  }
}

const memoryWords = new Map<string, Bi>();

/** The check-in word of the day a visit was stored, if this phone has it. */
export function dayWordFor(visit: Visit, timeZone: string): Bi | undefined {
  const day = localDay(visit.storedAt, timeZone);
  return readDayWords()[day] ?? memoryWords.get(day);
}

/** Forgets every kept day word. */
export function forgetDayWords(): void {
  memoryWords.clear();
  try {
    window.localStorage.removeItem(DAY_WORDS_KEY);
  } catch {
    // nothing kept
  }
}

/** The service, with the day word read from every check-in answer. */
function citizenService(timeZone: () => string): ServiceOptions {
  const fetchWithDayWord = async (input: string, init?: RequestInit): Promise<Response> => {
    const res = await window.fetch(input, init);
    if (res.ok && init?.method === "POST" && new URL(input).pathname === "/api/checkins") {
      try {
        const body = (await res.clone().json()) as Record<string, unknown>;
        if (isBi(body.dayWord) && Number.isSafeInteger(body.storedAt)) {
          keepDayWord(body.storedAt as number, body.dayWord, timeZone());
        }
      } catch {
        // Not JSON: the SDK refuses the answer itself.
      }
    }
    return res;
  };
  return { baseUrl: location.origin, fetch: fetchWithDayWord };
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
  let timeZone = "UTC";
  const service = citizenService(() => timeZone);
  const deployment: CitizenDeployment = await fetchDeployment(service);
  timeZone = deployment.timezone;
  const registryVerifierKey = registryKeyOf(deployment);
  const visits = indexedDbVisitStore();
  const queueStore = indexedDbQueueStore();
  const queue = checkInQueue({ service, deployment, store: queueStore, visits });
  return { service, deployment, registryVerifierKey, visits, queueStore, queue };
}

let keysPromise: Promise<EncryptionKeys> | undefined;

/** The epoch keys, verified; fetched once per page (a failure is retried on the next call). */
export function encryptionKeys(ctx: CitizenContext): Promise<EncryptionKeys> {
  if (!keysPromise) {
    keysPromise = loadEncryptionKeys(ctx.service, ctx.deployment);
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
  let res: Response;
  try {
    res = await window.fetch(new URL("/api/codes/check", ctx.service.baseUrl).href, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ code: fragment }),
    });
  } catch {
    throw new LintelError("network", "The service could not be reached.");
  }
  if (res.ok) {
    const answer = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    return { kioskRequired: answer?.kioskRequired === true };
  }
  let code = "unexpected-response";
  let detail = `The service answered ${res.status}.`;
  if ((res.headers.get("content-type") ?? "").startsWith("application/problem+json")) {
    const problem = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (typeof problem?.code === "string") code = problem.code;
    if (typeof problem?.detail === "string") detail = problem.detail;
  }
  throw new LintelError(code, detail, res.status);
}
