import { encodeBase64url } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { prepareCheckIn } from "./checkin.ts";
import { memoryVisitStore } from "./diary.ts";
import { type CheckInQueueStore, checkInQueue, memoryQueueStore } from "./queue.ts";
import { decryptStored, fixture, T0 } from "./testing/fixture.ts";

const WANG = { name: "王小明", phone: "+86 138 0013 8000" };
const CHILD = { name: "王小红", phone: "+86 138 0013 8001" };

/** Like IndexedDB: what is kept is a structured clone, never the object that was put. */
function cloningQueueStore(): CheckInQueueStore {
  const inner = memoryQueueStore();
  return {
    list: async () => structuredClone(await inner.list()),
    put: (value) => inner.put(structuredClone(value)),
    remove: (id) => inner.remove(id),
  };
}

async function setUp() {
  const f = await fixture();
  const store = cloningQueueStore();
  const visits = memoryVisitStore();
  const queue = checkInQueue({ service: f.service, deployment: f.deployment, store, visits });
  return { f, store, visits, queue };
}

describe("the offline queue", () => {
  it("keeps a check-in made offline and stores it exactly once across two flushes", async () => {
    const { f, store, visits, queue } = await setUp();
    f.fake.offline = true;
    const outcome = await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: T0 });
    expect(outcome).toMatchObject({ status: "queued", error: { code: "network" } });

    const first = await queue.flush();
    expect(first).toMatchObject({ stored: [], pending: 1, error: { code: "network" } });
    expect(f.fake.stored).toBe(0);
    const [kept] = await store.list();
    expect(kept!.attempts).toBe(2);
    expect(kept!.lastError).toMatchObject({ code: "network" });

    f.fake.offline = false;
    const second = await queue.flush();
    expect(second.stored).toHaveLength(1);
    expect(second.pending).toBe(0);
    expect(f.fake.stored).toBe(1);
    expect(f.fake.posts).toBe(1);
    // The same idempotency key, prepared offline, is what the service stored.
    expect(f.fake.checkins[0]!.idempotencyKey).toBe(kept!.prepared.submissions[0]!.idempotencyKey);
    expect(await visits.list()).toEqual(second.stored);
    expect(await store.list()).toEqual([]);

    expect(await queue.flush()).toEqual({ stored: [], refused: [], pending: 0 });
    expect(f.fake.stored).toBe(1);
    const record = await decryptStored(
      f.fake,
      "hbr-main",
      second.stored[0]!.slots[0]!,
      f.fake.checkins[0]!.slots.get(second.stored[0]!.slots[0]!)!,
    );
    expect(record.contactKind === "contact" && record.contact.name).toBe("王小明");
  });

  it("resends with the same idempotency key when the answer was lost, and the service stores nothing twice", async () => {
    const { f, queue } = await setUp();
    f.fake.loseAnswers = 1; // the service stores it, the answer never arrives
    const outcome = await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: T0 });
    expect(outcome.status).toBe("queued");
    expect(f.fake.stored).toBe(1);

    const result = await queue.flush();
    expect(result.stored).toHaveLength(1);
    expect(f.fake.posts).toBe(2);
    expect(f.fake.stored).toBe(1);
    expect(encodeBase64url(result.stored[0]!.receipt)).toBe(f.fake.checkins[0]!.receipt);
  });

  it("survives a reload: a new queue over the same store finishes the job", async () => {
    const { f, store, visits, queue } = await setUp();
    f.fake.offline = true;
    await queue.checkIn({
      keys: f.keys,
      code: f.code,
      contact: WANG,
      companions: [CHILD],
      arrival: T0,
    });

    f.fake.offline = false;
    const afterReload = checkInQueue({
      service: f.service,
      deployment: f.deployment,
      store,
      visits,
    });
    const result = await afterReload.flush();
    expect(result.stored).toHaveLength(1);
    expect(result.stored[0]!.headCount).toBe(2);
    expect(f.fake.stored).toBe(2);
  });

  it("sends only what is still unconfirmed: the companion after the head was stored", async () => {
    const { f } = await setUp();
    // The head's check-in goes through; the connection drops before the companion's.
    let posts = 0;
    const fetch = f.fake.fetch;
    const flaky = checkInQueue({
      service: {
        ...f.service,
        fetch: async (input, init) => {
          if (init?.method === "POST" && ++posts === 2) throw new TypeError("offline");
          return fetch(input, init);
        },
      },
      deployment: f.deployment,
      store: memoryQueueStore(),
    });
    const outcome = await flaky.checkIn({
      keys: f.keys,
      code: f.code,
      contact: WANG,
      companions: [CHILD],
      arrival: T0,
    });
    expect(outcome.status).toBe("queued");
    expect(f.fake.stored).toBe(1);
    const [item] = await flaky.list();
    expect(item!.submissions.map((s) => s.state)).toEqual(["confirmed", "pending"]);

    const result = await flaky.flush();
    expect(result.stored[0]!.headCount).toBe(2);
    expect(f.fake.stored).toBe(2);
    expect(f.fake.posts).toBe(2);
  });

  it.each([
    [503, "unavailable"],
    [429, "rate-limited"],
  ])("keeps retrying after %i %s", async (status, code) => {
    const { f, queue } = await setUp();
    f.fake.nextProblem = { status, code };
    const outcome = await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: T0 });
    expect(outcome).toMatchObject({ status: "queued", error: { code, status } });
    expect((await queue.flush()).stored).toHaveLength(1);
    expect(f.fake.stored).toBe(1);
  });

  it("stops for good at a permanent refusal and keeps the refused check-in until discarded", async () => {
    const { f, queue } = await setUp();
    f.fake.offline = true;
    await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: T0 });
    f.fake.issueCode("hbr-main"); // the poster is replaced meanwhile
    f.fake.offline = false;

    const result = await queue.flush();
    expect(result.refused).toEqual([
      expect.objectContaining({
        party: "head",
        error: expect.objectContaining({ code: "code-replaced" }),
      }),
    ]);
    expect(result.pending).toBe(0);
    const posts = f.fake.posts;
    await queue.flush();
    expect(f.fake.posts).toBe(posts); // not retried
    const [refused] = await queue.list();
    expect(refused!.submissions[0]).toEqual({
      state: "refused",
      code: "code-replaced",
      status: 410,
    });
    await queue.discard(refused!.id);
    expect(await queue.list()).toEqual([]);
  });

  it("throws a refusal at once when the check-in is refused on its first try", async () => {
    const { f, queue } = await setUp();
    f.fake.nextProblem = { status: 422, code: "kiosk-code-stale" };
    await expect(
      queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: T0 }),
    ).rejects.toMatchObject({ code: "kiosk-code-stale" });
  });

  it("is still taken an hour late, and refused once more than two slots have passed", async () => {
    const { f, queue } = await setUp();
    f.fake.offline = true;
    await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: T0 });
    f.fake.offline = false;
    f.setTime(new Date(T0.getTime() + 3600_000));
    expect((await queue.flush()).refused).toEqual([]);
    expect(f.fake.stored).toBeGreaterThan(0);

    const stored = f.fake.stored;
    f.fake.offline = true;
    await queue.checkIn({
      keys: f.keys,
      code: f.code,
      contact: WANG,
      arrival: new Date(T0.getTime() + 3600_000),
    });
    f.fake.offline = false;
    f.setTime(new Date(T0.getTime() + 4 * 3600_000));
    const result = await queue.flush();
    expect(result.refused[0]?.error.code).toBe("bad-slots");
    expect(f.fake.stored).toBe(stored);
  });

  it("keeps an already prepared check-in once, even when added twice", async () => {
    const { f, queue } = await setUp();
    const prepared = await prepareCheckIn({ ...f, contact: WANG, arrival: T0 });
    await queue.add(prepared);
    await queue.add(prepared);
    expect(await queue.list()).toHaveLength(1);
    await Promise.all([queue.flush(), queue.flush()]);
    expect(f.fake.stored).toBe(1);
    expect(f.fake.posts).toBe(1);
  });
});
