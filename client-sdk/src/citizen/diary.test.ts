import { describe, expect, it } from "vitest";
import {
  dueForCheckOut,
  forgetAll,
  indexedDbVisitStore,
  isVisit,
  listVisits,
  memoryVisitStore,
  pruneDiary,
} from "./diary.ts";
import { memoryQueueStore } from "./queue.ts";
import { withSignedNames } from "./signed-names.ts";
import type { Visit } from "./visit.ts";

const DAY = 86_400;
const t0 = Date.UTC(2026, 10, 21, 10, 20) / 1000;

function visit(id: string, arrival: number, stayMinutes = 90, extra: Partial<Visit> = {}): Visit {
  const first = Math.floor(arrival / 3600) * 3600;
  const departure = arrival + stayMinutes * 60;
  const slots: number[] = [];
  for (let s = first; s < departure; s += 3600) slots.push(s);
  return {
    id,
    deployment: "demo",
    venueId: "hbr",
    venueName: { zh: "海港图书馆", en: "Harbour Library" },
    entranceId: "hbr-main",
    entranceName: { zh: "正门", en: "Main" },
    arrival,
    expectedDeparture: departure,
    slotSeconds: 3600,
    slots,
    headCount: 1,
    idempotencyKey: "AAAAAAAAAAAAAAAAAAAAAA",
    deletionSecret: "A".repeat(43),
    receipt: new Uint8Array(100),
    storedAt: arrival,
    companions: [],
    ...extra,
  };
}

describe("the diary", () => {
  it("keeps, lists (newest first) and removes visits", async () => {
    const store = memoryVisitStore();
    await store.put(visit("a", t0));
    await store.put(visit("b", t0 + 3600));
    await store.put(visit("a", t0, 30)); // replaces
    expect((await listVisits(store)).map((v) => [v.id, v.expectedDeparture])).toEqual([
      ["b", t0 + 3600 + 5400],
      ["a", t0 + 1800],
    ]);
    await store.remove("a");
    expect((await store.list()).map((v) => v.id)).toEqual(["b"]);
  });

  it("finds the open visits whose default stay has ended (automatic check-out)", () => {
    const visits = [
      visit("ended", t0 - 7200, 60),
      visit("ends-now", t0 - 5400, 90),
      visit("open", t0 - 600, 90),
      visit("checked-out", t0 - 7200, 60, { checkedOutAt: t0 - 4000 }),
    ];
    const now = new Date(t0 * 1000);
    expect(dueForCheckOut(visits, now).map((v) => v.id)).toEqual(["ended", "ends-now"]);
    expect(() => dueForCheckOut(visits, new Date(Number.NaN))).toThrow(
      expect.objectContaining({ code: "bad-value" }),
    );
  });

  it("drops visits once the service has deleted them at the end of retention", async () => {
    const store = memoryVisitStore();
    // Last slot 23:00 of day d: kept through day d + 21, gone when day d + 22 begins.
    const lateNight = visit("late", Math.floor(t0 / DAY) * DAY + 23 * 3600 + 600, 30);
    await store.put(lateNight);
    await store.put(visit("recent", t0 + 5 * DAY));
    const dayOf = (v: Visit) => Math.floor(v.slots.at(-1)! / DAY);
    const lastKept = new Date((dayOf(lateNight) + 22) * DAY * 1000 - 1);
    expect(await pruneDiary(store, 21, lastKept)).toEqual([]);
    const gone = new Date((dayOf(lateNight) + 22) * DAY * 1000);
    expect((await pruneDiary(store, 21, gone)).map((v) => v.id)).toEqual(["late"]);
    expect((await store.list()).map((v) => v.id)).toEqual(["recent"]);
  });

  it("forgets everything on the device: the diary and the queue", async () => {
    const visits = memoryVisitStore();
    const queue = memoryQueueStore();
    await visits.put(visit("a", t0));
    await visits.put(visit("b", t0));
    const {
      receipt: _r,
      storedAt: _s,
      idempotencyKey: _i,
      deletionSecret: _d,
      ...facts
    } = visit("q", t0);
    await queue.put({
      id: "q",
      prepared: { ...facts, preparedAt: t0, submissions: [] },
      submissions: [],
      attempts: 0,
    });
    await forgetAll(visits, queue);
    expect(await visits.list()).toEqual([]);
    expect(await queue.list()).toEqual([]);
  });

  it("recognises only visits it wrote", () => {
    expect(isVisit(visit("a", t0))).toBe(true);
    expect(isVisit({ ...visit("a", t0), receipt: "not bytes" })).toBe(false);
    expect(isVisit({ ...visit("a", t0), slots: [] })).toBe(false);
    expect(isVisit(null)).toBe(false);
    expect(isVisit({ ...visit("a", t0), venueName: { zh: "海港图书馆" } })).toBe(false);
  });

  it("keeps a visit stored before names came in both languages, its one text in both", () => {
    const old = { ...visit("a", t0), venueName: "海港图书馆", entranceName: "正门 Main" };
    expect(isVisit(old)).toBe(false);
    const upgraded = withSignedNames(old);
    expect(isVisit(upgraded)).toBe(true);
    expect(upgraded).toMatchObject({
      venueName: { zh: "海港图书馆", en: "海港图书馆" },
      entranceName: { zh: "正门 Main", en: "正门 Main" },
      receipt: old.receipt,
    });
    // Today's records and anything that is not a record pass through as they are.
    const today = visit("b", t0);
    expect(withSignedNames(today)).toBe(today);
    expect(withSignedNames(null)).toBeNull();
    expect(withSignedNames("text")).toBe("text");
  });

  it("says so when there is no IndexedDB (Node)", async () => {
    await expect(indexedDbVisitStore().list()).rejects.toMatchObject({
      code: "storage-unavailable",
    });
  });
});
