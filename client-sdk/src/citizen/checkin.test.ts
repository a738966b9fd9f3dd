import { decodeBase64url } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { fetchDeployment } from "../deployment/index.ts";
import { checkIn } from "./checkin.ts";
import { loadEncryptionKeys } from "./keys.ts";
import { readCode } from "./scan.ts";
import { FakeService, ORIGIN } from "./testing/fake-service.ts";
import { decryptStored, fixture, T0 } from "./testing/fixture.ts";

const WANG = { name: "王小明", phone: "+86 138 0013 8000" };
const t0 = Math.floor(T0.getTime() / 1000); // 10:20:00Z
const hour = (h: number) => Math.floor(t0 / 86_400) * 86_400 + h * 3600;

describe("checkIn", () => {
  it("encrypts on the device so that only every trustee together with the epoch key can read it", async () => {
    const f = await fixture();
    const visit = await checkIn({ ...f, contact: WANG, arrival: T0 });

    expect(f.fake.stored).toBe(1);
    const stored = f.fake.checkins[0]!;
    // 10:20 with the library's 90-minute default stay: the 10:00 and 11:00 slots.
    expect([...stored.slots.keys()]).toEqual([hour(10), hour(11)]);
    expect(visit).toMatchObject({
      venueName: { zh: "海港公共图书馆", en: "Harbour Library" },
      entranceName: { zh: "正门", en: "Main" },
      entranceId: "hbr-main",
      arrival: t0,
      expectedDeparture: t0 + 90 * 60,
      slots: [hour(10), hour(11)],
      headCount: 1,
      companions: [],
    });
    expect(decodeBase64url(visit.deletionSecret)).toHaveLength(32);
    expect(decodeBase64url(visit.idempotencyKey)).toHaveLength(16);
    expect(visit.idempotencyKey).toBe(stored.idempotencyKey);

    for (const [slot, ciphertext] of stored.slots) {
      expect(ciphertext).toHaveLength(338);
      const record = await decryptStored(f.fake, "hbr-main", slot, ciphertext);
      expect(record).toEqual({
        recordedBy: "self",
        companions: 0,
        arrival: t0,
        expectedDeparture: t0 + 5400,
        contactKind: "contact",
        contact: { ...WANG, idNumber: "" },
      });
    }
    // The stored ciphertexts of one slot do not open under another slot's key.
    await expect(
      decryptStored(f.fake, "hbr-main", hour(11), stored.slots.get(hour(10))!),
    ).rejects.toMatchObject({ code: "decryption-failed" });
  });

  it("sends no contact detail in the clear", async () => {
    const f = await fixture();
    await checkIn({ ...f, contact: { ...WANG, name: "Plaintext Person" }, arrival: T0 });
    const sent = f.fake.requests.join("\n");
    expect(sent).not.toContain("Plaintext");
    expect(sent).not.toContain("138");
  });

  it("gives each companion a record and a submission of their own", async () => {
    const f = await fixture();
    const companions = [
      { name: "王小红", phone: "+86 138 0013 8001" },
      { name: "王小刚", phone: "+86 138 0013 8002" },
    ];
    const visit = await checkIn({ ...f, contact: WANG, companions, arrival: T0, stayMinutes: 30 });

    expect(f.fake.stored).toBe(3);
    expect(visit.headCount).toBe(3);
    expect(visit.companions).toHaveLength(2);
    const secrets = new Set([visit, ...visit.companions].map((p) => p.deletionSecret));
    const idempotency = new Set([visit, ...visit.companions].map((p) => p.idempotencyKey));
    expect(secrets.size).toBe(3);
    expect(idempotency.size).toBe(3);

    const records = await Promise.all(
      f.fake.checkins.map((c) =>
        decryptStored(f.fake, "hbr-main", hour(10), c.slots.get(hour(10))!),
      ),
    );
    expect(records.map((r) => [r.recordedBy, r.companions])).toEqual([
      ["self", 2],
      ["companion", 0],
      ["companion", 0],
    ]);
    expect(records.map((r) => (r.contactKind === "contact" ? r.contact.name : ""))).toEqual([
      "王小明",
      "王小红",
      "王小刚",
    ]);
  });

  it("records an ID number only where the venue code asks for one", async () => {
    const f = await fixture();
    await checkIn({ ...f, contact: { ...WANG, idNumber: "110101199003070000" }, arrival: T0 });
    const notAsked = await decryptStored(
      f.fake,
      "hbr-main",
      hour(10),
      f.fake.checkins[0]!.slots.get(hour(10))!,
    );
    expect(notAsked.contactKind === "contact" && notAsked.contact.idNumber).toBe("");

    const asking = f.fake.issueCode("hbr-id", {
      contactFields: { name: true, phone: true, idNumber: true },
    });
    const code = readCode(asking.url, {
      registryVerifierKey: f.fake.registryVerifierKey,
      deployment: "demo",
      now: T0,
    });
    await expect(checkIn({ ...f, code, contact: WANG, arrival: T0 })).rejects.toMatchObject({
      code: "contact-incomplete",
    });
    await checkIn({
      ...f,
      code,
      contact: { ...WANG, idNumber: " 110101199003070000 " },
      arrival: T0,
    });
    const asked = await decryptStored(
      f.fake,
      "hbr-id",
      hour(10),
      f.fake.checkins[1]!.slots.get(hour(10))!,
    );
    expect(asked.contactKind === "contact" && asked.contact.idNumber).toBe("110101199003070000");
  });

  it("refuses a receipt whose ciphertext hash does not match what was sent, and deletes what was stored", async () => {
    const f = await fixture();
    f.fake.tamperReceipt = (r) => ({ ...r, ciphertextsHash: new Uint8Array(32) });
    await expect(checkIn({ ...f, contact: WANG, arrival: T0 })).rejects.toMatchObject({
      code: "bad-receipt",
    });
    expect(f.fake.stored).toBe(1);
    expect(f.fake.ciphertextCount()).toBe(0);
  });

  it.each([
    ["another first slot", { firstSlot: hour(9) }],
    ["fewer slots", { slotCount: 1 }],
    ["another entrance", { entranceId: "hbr-east" }],
  ])("refuses a receipt naming %s", async (_, change) => {
    const f = await fixture();
    f.fake.tamperReceipt = (r) => ({ ...r, ...change });
    await expect(checkIn({ ...f, contact: WANG, arrival: T0 })).rejects.toMatchObject({
      code: "bad-receipt",
    });
  });

  it("refuses a receipt signed by a key other than the deployment's receipt key", async () => {
    const f = await fixture();
    const other = new FakeService({ clock: () => T0 });
    const deployment = { ...f.deployment, receipt: other.deploymentAnswer().receipt as never };
    await expect(checkIn({ ...f, deployment, contact: WANG, arrival: T0 })).rejects.toMatchObject({
      code: "bad-receipt",
    });
  });

  it("fails clearly, before sending anything, when the deployment has no receipt key", async () => {
    const fake = new FakeService({ clock: () => T0, withoutReceiptKey: true });
    const service = { baseUrl: ORIGIN, fetch: fake.fetch };
    const deployment = await fetchDeployment(service);
    const keys = await loadEncryptionKeys(service, deployment);
    const code = readCode(fake.issueCode().url, {
      registryVerifierKey: fake.registryVerifierKey,
      deployment: "demo",
      now: T0,
    });
    await expect(
      checkIn({ service, deployment, keys, code, contact: WANG, arrival: T0 }),
    ).rejects.toMatchObject({ code: "deployment-incomplete" });
    expect(fake.posts).toBe(0);
  });

  it("passes the service's refusals on with their codes", async () => {
    const f = await fixture();
    f.fake.issueCode("hbr-main"); // the poster was replaced
    await expect(checkIn({ ...f, contact: WANG, arrival: T0 })).rejects.toMatchObject({
      code: "code-replaced",
      status: 410,
    });
  });

  it("refuses a day without an epoch key, and bad contact details, before sending", async () => {
    const f = await fixture();
    const late = new Date(T0.getTime() + 30 * 86_400_000);
    await expect(checkIn({ ...f, contact: WANG, arrival: late })).rejects.toMatchObject({
      code: "no-epoch-key",
    });
    await expect(
      checkIn({ ...f, contact: { name: "王小明", phone: "call me" }, arrival: T0 }),
    ).rejects.toMatchObject({ code: "bad-value" });
    await expect(
      checkIn({ ...f, contact: WANG, arrival: T0, stayMinutes: 0 }),
    ).rejects.toMatchObject({ code: "bad-value" });
    expect(f.fake.posts).toBe(0);
  });
});
