/**
 * The offline queue: check-ins that are stored on the service exactly once, whatever the network
 * does. A check-in is prepared on the device — records encrypted, deletion secrets and
 * idempotency keys drawn — and kept in the queue before anything is sent. `flush()` sends what is
 * still unconfirmed, always the same bytes with the same idempotency key, until the service
 * answers 201 (stored) or 200 (already stored: a retry after a lost answer, with a receipt for
 * the same check-in signed afresh, PROTOCOL.md §6.2), or refuses it for good (a 4xx problem other than 408 and 429, or a receipt that does
 * not match). A lost connection, a timeout, 429 and 5xx leave it queued for the next flush.
 *
 * Progress is written to the store after every answer, so a reload (with the IndexedDB store)
 * resumes where it stopped: a submission is either confirmed in the store, or is sent again with
 * its idempotency key and answered with a receipt of what was stored the first time (its
 * storedAt the retry's time: the service keeps no receipt).
 *
 * Each party is a submission of its own; the head's goes first and the companions' only after it
 * was stored. A confirmed check-in becomes a Visit in the diary (when one is given) and leaves
 * the queue. A refused one stays, marked refused with the service's code, until `discard(id)`, so
 * the app can tell the person even when the flush ran in the background.
 *
 * The queue holds no contact details: only ciphertexts, the venue facts of visit.ts and the
 * deletion secrets (see diary.ts for what a seized phone reveals).
 *
 * Slots and clocks: the service takes a "self" check-in while its first slot is the current
 * slot or one of the two before it, or the next one within two minutes of it
 * (worker/src/routes/checkins.ts). A check-in that waits longer than that is refused
 * ("bad-slots") and stays in the queue marked refused, for the app to tell the person. But a
 * bad-slots refusal whose first slot is still ahead of the service's time (the `serviceTime` of
 * the problem: the device's clock is fast) is no refusal of the check-in: it stays pending, is
 * tried again by later flushes (it becomes acceptable when the service's clock reaches its slot)
 * and does not hold up the rest of the queue. Every answer also corrects the SDK's clock
 * (clock.ts), so check-ins prepared after it use the service's time.
 */
import { LintelError } from "../errors.ts";
import type { ServiceOptions } from "../http.ts";
import { type CheckInOptions, prepareCheckIn, submitOne, visitOf } from "./checkin.ts";
import { defaultServiceClock, type ServiceClock } from "./clock.ts";
import type { VisitStore } from "./diary.ts";
import { isSignedName, withSignedNames } from "./signed-names.ts";
import { indexedDbStore, type KeyedStore, memoryStore } from "./store.ts";
import { type CitizenDeployment, receiptPublicKey } from "./trust.ts";
import type { ConfirmedSubmission, PreparedCheckIn, Visit } from "./visit.ts";

/** Where one party's submission stands. */
export type SubmissionState =
  | { readonly state: "pending" }
  | { readonly state: "confirmed"; readonly confirmed: ConfirmedSubmission }
  | { readonly state: "refused"; readonly code: string; readonly status?: number };

/** A check-in in the queue. */
export interface QueuedCheckIn {
  /** The prepared check-in's id (and the visit's, once confirmed). */
  readonly id: string;
  readonly prepared: PreparedCheckIn;
  /** One per submission, in the same order (head first). */
  readonly submissions: readonly SubmissionState[];
  /** Sends tried so far. */
  readonly attempts: number;
  /** The last failure, transient or not. */
  readonly lastError?: { readonly code: string; readonly status?: number; readonly at: number };
}

export type CheckInQueueStore = KeyedStore<QueuedCheckIn>;

/** What one flush did. */
export interface FlushResult {
  /** Check-ins confirmed by this flush, now in the diary. */
  readonly stored: readonly Visit[];
  /** Submissions refused for good by this flush (a refused head refuses the whole check-in). */
  readonly refused: ReadonlyArray<{
    readonly id: string;
    readonly party: "head" | "companion";
    readonly error: LintelError;
  }>;
  /** Check-ins still waiting to be sent. */
  readonly pending: number;
  /** The transient error that stopped this flush, if one did (usually "network"). */
  readonly error?: LintelError;
}

/** What {@link CheckInQueue.checkIn} did with a new check-in. */
export type QueuedOutcome =
  | { readonly status: "stored"; readonly visit: Visit }
  | { readonly status: "queued"; readonly id: string; readonly error?: LintelError };

export interface CheckInQueue {
  /**
   * Prepares a check-in, keeps it, and tries to send it at once. Resolves with the visit when the
   * service confirmed it, or "queued" when it could not be reached (flush later); throws the
   * service's error when it was refused for good (the refused item stays in the queue).
   */
  checkIn(options: Omit<CheckInOptions, "service" | "deployment">): Promise<QueuedOutcome>;
  /** Keeps an already prepared check-in, to be sent by the next flush. */
  add(prepared: PreparedCheckIn): Promise<void>;
  /** Sends everything unconfirmed, oldest first; calls run one after another. */
  flush(): Promise<FlushResult>;
  /** The queue's check-ins, oldest first: pending ones and refused ones. */
  list(): Promise<QueuedCheckIn[]>;
  /** Drops a check-in from the queue (a refused one the person has seen). */
  discard(id: string): Promise<void>;
}

export interface CheckInQueueOptions {
  readonly service: ServiceOptions;
  readonly deployment: CitizenDeployment;
  /** Where queued check-ins are kept: memoryQueueStore() or indexedDbQueueStore(). */
  readonly store: CheckInQueueStore;
  /** The diary confirmed visits go to. */
  readonly visits?: VisitStore;
  /** The clock for `lastError.at`; now by default. */
  readonly now?: () => Date;
  /** The service's clock, corrected from its answers (clock.ts); the SDK's shared one by default. */
  readonly serviceClock?: ServiceClock;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Whether a stored value is a queued check-in this SDK wrote (shape only). */
export function isQueuedCheckIn(value: unknown): value is QueuedCheckIn {
  if (!isObject(value) || typeof value.id !== "string" || !isObject(value.prepared)) return false;
  const { prepared, submissions } = value;
  return (
    prepared.id === value.id &&
    isSignedName(prepared.venueName) &&
    isSignedName(prepared.entranceName) &&
    Array.isArray(prepared.submissions) &&
    Array.isArray(submissions) &&
    submissions.length === prepared.submissions.length &&
    submissions.every((s) => isObject(s) && typeof s.state === "string") &&
    Number.isInteger(value.attempts)
  );
}

/** A queue that lasts as long as the page or process. */
export function memoryQueueStore(): CheckInQueueStore {
  return memoryStore<QueuedCheckIn>();
}

/** A queue in IndexedDB (browser): database "lintel", object store "check-in-queue". */
export function indexedDbQueueStore(): CheckInQueueStore {
  return indexedDbStore("check-in-queue", isQueuedCheckIn, (value) =>
    isObject(value) ? { ...value, prepared: withSignedNames(value.prepared) } : value,
  );
}

/** A failure worth trying again: no answer, or an answer that is not a refusal of this request. */
function transient(e: LintelError): boolean {
  if (e.code === "bad-receipt") return false;
  if (e.code === "network" || e.code === "unexpected-response") return true;
  const status = e.status;
  if (status === undefined) return true;
  return status === 408 || status === 429 || status >= 500 || status < 400;
}

/**
 * A bad-slots refusal because the device's clock ran ahead: the service says its time, and the
 * check-in's first slot has not started there yet. It will be taken later; it is not refused.
 */
function aheadOfService(e: LintelError, prepared: PreparedCheckIn): boolean {
  if (e.code !== "bad-slots" || e.serviceTime === undefined) return false;
  const current = e.serviceTime - (e.serviceTime % prepared.slotSeconds);
  return (prepared.slots[0] ?? 0) > current;
}

function byAge(a: QueuedCheckIn, b: QueuedCheckIn): number {
  return a.prepared.preparedAt - b.prepared.preparedAt || (a.id < b.id ? -1 : 1);
}

/** Creates the queue. Fails at once ("deployment-incomplete") without a receipt key. */
export function checkInQueue(options: CheckInQueueOptions): CheckInQueue {
  const { service, deployment, store, visits } = options;
  const receiptKey = receiptPublicKey(deployment);
  const clock = options.now ?? (() => new Date());
  const serviceTime = options.serviceClock ?? defaultServiceClock;
  let chain: Promise<unknown> = Promise.resolve();

  const add = async (prepared: PreparedCheckIn) => {
    if (prepared.deployment !== deployment.id) {
      throw new LintelError("unknown-key", "This check-in was prepared for another deployment.");
    }
    const existing = (await store.list()).find((q) => q.id === prepared.id);
    if (existing) return; // the same check-in twice: keep its progress
    await store.put({
      id: prepared.id,
      prepared,
      submissions: prepared.submissions.map(() => ({ state: "pending" as const })),
      attempts: 0,
    });
  };

  /** Sends one check-in's pending submissions; returns a transient error that stopped it. */
  const sendItem = async (
    item: QueuedCheckIn,
    stored: Visit[],
    refused: Array<FlushResult["refused"][number]>,
  ): Promise<LintelError | undefined> => {
    let current = item;
    const states = [...item.submissions];
    for (let i = 0; i < states.length; i++) {
      if (states[i]!.state !== "pending") continue;
      // Companions go only after the head was stored.
      if (i > 0 && states[0]!.state !== "confirmed") break;
      const submission = item.prepared.submissions[i]!;
      try {
        const confirmed = await submitOne(
          service,
          receiptKey,
          item.prepared,
          submission,
          serviceTime,
        );
        states[i] = { state: "confirmed", confirmed };
        current = { ...current, submissions: [...states], attempts: current.attempts + 1 };
        await store.put(current);
      } catch (e) {
        if (!(e instanceof LintelError)) throw e;
        const lastError = {
          code: e.code,
          ...(e.status === undefined ? {} : { status: e.status }),
          at: Math.floor(clock().getTime() / 1000),
        };
        if (transient(e)) {
          await store.put({ ...current, attempts: current.attempts + 1, lastError });
          return e;
        }
        if (aheadOfService(e, item.prepared)) {
          // Kept pending for a later flush; the rest of the queue goes on.
          await store.put({ ...current, attempts: current.attempts + 1, lastError });
          return undefined;
        }
        states[i] = {
          state: "refused",
          code: e.code,
          ...(e.status === undefined ? {} : { status: e.status }),
        };
        current = {
          ...current,
          submissions: [...states],
          attempts: current.attempts + 1,
          lastError,
        };
        await store.put(current);
        refused.push({ id: item.id, party: submission.party, error: e });
        if (i === 0) return undefined; // the head refused: the whole check-in is
      }
    }
    const [head, ...rest] = states;
    if (head?.state !== "confirmed" || rest.some((s) => s.state === "pending")) return undefined;
    const companions = rest.flatMap((s) => (s.state === "confirmed" ? [s.confirmed] : []));
    const visit = visitOf(item.prepared, head.confirmed, companions);
    // Into the diary first, then out of the queue: a reload between the two only repeats the put.
    await visits?.put(visit);
    await store.remove(item.id);
    stored.push(visit);
    return undefined;
  };

  const runFlush = async (): Promise<FlushResult> => {
    const stored: Visit[] = [];
    const refused: Array<FlushResult["refused"][number]> = [];
    let error: LintelError | undefined;
    const items = (await store.list()).sort(byAge);
    for (const item of items) {
      if (item.submissions[0]?.state === "refused") continue;
      error = await sendItem(item, stored, refused);
      if (error) break; // the network is down or the service busy: the rest would fail too
    }
    const pending = (await store.list()).filter(
      (q) => q.submissions[0]?.state !== "refused",
    ).length;
    return { stored, refused, pending, ...(error ? { error } : {}) };
  };

  const flush = (): Promise<FlushResult> => {
    const next = chain.then(runFlush, runFlush);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    async checkIn(checkInOptions) {
      const prepared = await prepareCheckIn({
        clock: serviceTime,
        ...checkInOptions,
        deployment,
      });
      await add(prepared);
      const result = await flush();
      const visit = result.stored.find((v) => v.id === prepared.id);
      if (visit) return { status: "stored", visit };
      const refusal = result.refused.find((r) => r.id === prepared.id && r.party === "head");
      if (refusal) throw refusal.error;
      return {
        status: "queued",
        id: prepared.id,
        ...(result.error ? { error: result.error } : {}),
      };
    },
    add,
    flush,
    async list() {
      return (await store.list()).sort(byAge);
    },
    async discard(id) {
      await store.remove(id);
    },
  };
}
