/**
 * A phone whose clock runs ahead of the service's (clock.ts, queue.ts): the SDK learns the
 * service's time from its answers and uses it for the next check-in; the offline queue keeps a
 * check-in the service refused only because its slot has not started there yet, and sends it once
 * it has — it never drops it; a check-in that waited too long is still refused for good, visibly.
 */
import { describe, expect, it } from "vitest";
import { checkIn } from "./checkin.ts";
import { serviceClock } from "./clock.ts";
import { memoryVisitStore } from "./diary.ts";
import { checkInQueue, memoryQueueStore } from "./queue.ts";
import { fixture } from "./testing/fixture.ts";

const WANG = { name: "王小明", phone: "+86 138 0013 8000" };
const at = (iso: string) => new Date(`2026-11-21T${iso}Z`);

/** A fixture whose service clock starts at `start`, and a device clock `aheadMs` ahead of it. */
async function fastPhone(start: Date, aheadMs: number) {
  const f = await fixture({ at: start });
  const clock = serviceClock(() => f.now().getTime() + aheadMs);
  const store = memoryQueueStore();
  const visits = memoryVisitStore();
  const queue = checkInQueue({
    service: f.service,
    deployment: f.deployment,
    store,
    visits,
    serviceClock: clock,
  });
  return { f, clock, store, visits, queue };
}

describe("a fast phone clock", () => {
  it("is corrected from the service's answers, so the next check-in is for the service's hour", async () => {
    // Ten minutes fast: 10:20 on the service is 10:30 on the phone, the same hour.
    const { f, clock } = await fastPhone(at("10:20:00"), 600_000);
    await checkIn({ ...f, contact: WANG, clock });
    expect(Math.abs(clock.offsetMs() + 600_000)).toBeLessThan(2000);
    // 10:55 on the service, 11:05 on the phone: only the corrected clock is in the service's hour.
    f.setTime(at("10:55:00"));
    const visit = await checkIn({ ...f, contact: WANG, clock });
    expect(visit.slots[0]).toBe(at("10:00:00").getTime() / 1000);
    expect(f.fake.stored).toBe(2);
  });

  it("keeps a check-in refused as ahead of the service in the queue, and sends it when its hour comes", async () => {
    // Ten minutes fast and nothing learned yet: 10:55 on the service is 11:05 on the phone.
    const { f, clock, queue, visits } = await fastPhone(at("10:55:00"), 600_000);
    const outcome = await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG });
    expect(outcome).toMatchObject({ status: "queued" });
    const [kept] = await queue.list();
    expect(kept!.submissions[0]).toEqual({ state: "pending" });
    expect(kept!.lastError).toMatchObject({ code: "bad-slots", status: 422 });
    // The refusal told the service's time.
    expect(Math.abs(clock.offsetMs() + 600_000)).toBeLessThan(2000);
    // Still ahead: kept, and it does not hold up a check-in behind it.
    const behind = await queue.checkIn({
      keys: f.keys,
      code: f.code,
      contact: WANG,
      arrival: f.now(),
    });
    expect(behind).toMatchObject({ status: "stored" });
    expect((await queue.flush()).refused).toEqual([]);
    f.setTime(at("11:00:30"));
    const result = await queue.flush();
    expect(result).toMatchObject({ refused: [], pending: 0 });
    expect(result.stored).toHaveLength(1);
    expect(f.fake.stored).toBe(2);
    expect(await visits.list()).toHaveLength(2);
  });

  it("accepts a retry's receipt, signed afresh by the service with the retry's storedAt", async () => {
    const { f, queue } = await fastPhone(at("10:20:00"), 0);
    f.fake.loseAnswers = 1; // stored, but the answer is lost
    expect(
      await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: f.now() }),
    ).toMatchObject({ status: "queued" });
    f.setTime(at("10:40:00"));
    const { stored } = await queue.flush();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.storedAt).toBe(at("10:40:00").getTime() / 1000);
    expect(f.fake.stored).toBe(1);
  });

  it("still refuses for good, and keeps visible, a check-in that waited past its slots", async () => {
    const { f, queue } = await fastPhone(at("10:20:00"), 0);
    f.fake.offline = true;
    await queue.checkIn({ keys: f.keys, code: f.code, contact: WANG, arrival: f.now() });
    f.fake.offline = false;
    f.setTime(at("14:20:00"));
    const result = await queue.flush();
    expect(result.refused[0]?.error.code).toBe("bad-slots");
    expect((await queue.list())[0]!.submissions[0]).toMatchObject({ state: "refused" });
  });
});
