import { describe, expect, it } from "vitest";
import { checkIn } from "./checkin.ts";
import { checkOut, deleteVisit, firstSlotAfter } from "./checkout.ts";
import { fixture, T0 } from "./testing/fixture.ts";

const WANG = { name: "王小明", phone: "+86 138 0013 8000" };
const CHILD = { name: "王小红", phone: "+86 138 0013 8001" };
const t0 = Math.floor(T0.getTime() / 1000); // 10:20:00Z
const hour = (h: number) => Math.floor(t0 / 86_400) * 86_400 + h * 3600;
const at = (h: number, m: number) => new Date((hour(h) + m * 60) * 1000);

/** A party of two checked in at 10:20 for 150 minutes: slots 10:00, 11:00 and 12:00. */
async function visitOfTwo() {
  const f = await fixture();
  const visit = await checkIn({
    ...f,
    contact: WANG,
    companions: [CHILD],
    arrival: T0,
    stayMinutes: 150,
  });
  expect(visit.slots).toEqual([hour(10), hour(11), hour(12)]);
  return { f, visit };
}

const remaining = (f: Awaited<ReturnType<typeof fixture>>) =>
  f.fake.checkins.map((c) => [...c.slots.keys()]);

describe("checkOut", () => {
  it("deletes only the slots still ahead, for the head and each companion", async () => {
    const { f, visit } = await visitOfTwo();
    expect(firstSlotAfter(visit, at(11, 10))).toBe(hour(12));
    const { visit: after, deleted } = await checkOut(f.service, visit, at(11, 10));
    expect(deleted).toBe(2); // the 12:00 slot of each of the two people
    expect(remaining(f)).toEqual([
      [hour(10), hour(11)],
      [hour(10), hour(11)],
    ]);
    expect(after.checkedOutAt).toBe(hour(11) + 600);
  });

  it("keeps the slot the person is in: leaving at 10:59 keeps 10:00 only", async () => {
    const { f, visit } = await visitOfTwo();
    const { deleted } = await checkOut(f.service, visit, at(10, 59));
    expect(deleted).toBe(4);
    expect(remaining(f)).toEqual([[hour(10)], [hour(10)]]);
  });

  it("sends nothing once the stay is over (automatic check-out at the default stay)", async () => {
    const { f, visit } = await visitOfTwo();
    const calls = f.fake.calls.length;
    const { visit: after, deleted } = await checkOut(f.service, visit, at(13, 0));
    expect(deleted).toBe(0);
    expect(f.fake.calls.length).toBe(calls);
    expect(after.checkedOutAt).toBe(visit.expectedDeparture);
    expect(remaining(f)).toEqual([
      [hour(10), hour(11), hour(12)],
      [hour(10), hour(11), hour(12)],
    ]);
  });

  it("is safe to repeat", async () => {
    const { f, visit } = await visitOfTwo();
    await checkOut(f.service, visit, at(11, 10));
    const again = await checkOut(f.service, visit, at(11, 10));
    expect(again.deleted).toBe(0);
  });

  it("surfaces a lost connection as a network error", async () => {
    const { f, visit } = await visitOfTwo();
    f.fake.offline = true;
    await expect(checkOut(f.service, visit, at(11, 10))).rejects.toMatchObject({ code: "network" });
  });
});

describe("deleteVisit", () => {
  it("deletes every slot of the visit and of its companions, and nobody else's", async () => {
    const { f, visit } = await visitOfTwo();
    await checkIn({ ...f, contact: { name: "Someone else", phone: "555" }, arrival: T0 });
    expect(await deleteVisit(f.service, visit)).toBe(6);
    expect(remaining(f)).toEqual([[], [], [hour(10), hour(11)]]);
  });
});
