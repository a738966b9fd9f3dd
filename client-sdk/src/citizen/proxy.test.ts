import {
  cardToText,
  decodeBase64url,
  encodeBase64url,
  authorityKeyId as keyIdOf,
} from "@lintel/protocol";
import {
  generateAuthorityBoxKeyPair,
  issueCitizenCard,
  openSealedContact,
  ready,
} from "@lintel/protocol/seal";
import { describe, expect, it } from "vitest";
import { deviceKeyFromSeed } from "../auth/device-key.ts";
import { type SignedServiceOptions, STATEMENT_HEADER } from "../auth/signed-fetch.ts";
import type { FetchLike } from "../http.ts";
import {
  CARD_RESCAN_SECONDS,
  prepareStaffCheckIn,
  staffCheckIn,
  submitStaffCheckIn,
} from "./proxy.ts";
import { ORIGIN } from "./testing/fake-service.ts";
import { decryptStored, type Fixture, fixture, T0 } from "./testing/fixture.ts";

const t0 = Math.floor(T0.getTime() / 1000); // 10:20:00Z
const HOUR = 3600;
const slotOf = (t: number) => t - (t % HOUR);
const PERSON = { name: "李大爷", phone: "+86 139 0000 1111", idNumber: "110101194501010011" };

async function withAuthority(f: Fixture) {
  await ready();
  const authority = generateAuthorityBoxKeyPair();
  const deployment = {
    ...f.deployment,
    authority: {
      boxPublicKey: encodeBase64url(authority.publicKey),
      keyId: encodeBase64url(keyIdOf(authority.publicKey)),
    },
  };
  return { authority, deployment };
}

/**
 * The fake service takes only a person's own check-ins: stand in for POST /api/checkins/staff by
 * checking that a statement was signed, then storing the body as the fake stores any check-in.
 */
function staffService(f: Fixture, seen: string[]): SignedServiceOptions {
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    if (url.pathname !== "/api/checkins/staff") return f.fake.fetch(input, init);
    const headers = new Headers(init?.headers);
    if (!headers.get(STATEMENT_HEADER)) throw new Error("unsigned staff check-in");
    const text = new TextDecoder().decode(init?.body as Uint8Array);
    seen.push(text);
    const body = JSON.parse(text) as Record<string, unknown>;
    return f.fake.fetch(`${ORIGIN}/api/checkins`, {
      method: "POST",
      body: JSON.stringify({ ...body, recordedBy: "self" }),
    });
  };
  return {
    baseUrl: ORIGIN,
    fetch,
    deployment: f.deployment.id,
    keyName: `${f.deployment.id}/device`,
    key: deviceKeyFromSeed(new Uint8Array(32).fill(7)),
  };
}

describe("staff check-ins", () => {
  it("wrap a citizen card's sealed contact unopened, and show only its masked name", async () => {
    const f = await fixture();
    const { authority, deployment } = await withAuthority(f);
    const card = issueCitizenCard(deployment.id, { ...PERSON }, authority.publicKey);
    const sent: string[] = [];
    const result = await staffCheckIn({
      ...f,
      deployment,
      service: staffService(f, sent),
      recordedBy: "proxy",
      person: { card: cardToText(card) },
      now: f.now(),
      arrival: f.now(),
    });
    expect(result).toMatchObject({
      maskedName: "李**",
      recordedBy: "proxy",
      entranceId: "hbr-main",
      storedAt: t0,
      arrival: t0,
    });
    expect(JSON.parse(sent[0]!)).toMatchObject({ recordedBy: "proxy" });
    expect(sent.join()).not.toContain(encodeBase64url(card.sealedContact));

    const stored = f.fake.checkins[0]!;
    const [slot, ciphertext] = [...stored.slots][0]!;
    const record = await decryptStored(f.fake, "hbr-main", slot, ciphertext);
    expect(record).toMatchObject({ recordedBy: "proxy", contactKind: "sealed-card" });
    if (record.contactKind !== "sealed-card") throw new Error("not a card record");
    expect(record.sealedCard).toEqual(card.sealedContact);
    // Only the authority opens what the card carried.
    expect(openSealedContact(record.sealedCard, authority.publicKey, authority.secretKey)).toEqual(
      PERSON,
    );
  });

  it("refuse the same card scanned twice in a row at one entrance; a failed check-in frees it", async () => {
    const f = await fixture();
    const { authority, deployment } = await withAuthority(f);
    const sent: string[] = [];
    const options = (card: string) => ({
      ...f,
      deployment,
      service: staffService(f, sent),
      recordedBy: "proxy" as const,
      person: { card },
      now: f.now(),
      arrival: f.now(),
    });
    const card = cardToText(issueCitizenCard(deployment.id, PERSON, authority.publicKey));
    await staffCheckIn(options(card));
    // The second pass under the scanner, seconds later: refused before anything is sent.
    await expect(staffCheckIn(options(card))).rejects.toMatchObject({
      code: "card-already-scanned",
      message: expect.stringContaining(`${CARD_RESCAN_SECONDS} seconds`),
    });
    // Prepared twice before either was sent (a double tap): only one goes through.
    const other = cardToText(issueCitizenCard(deployment.id, PERSON, authority.publicKey));
    const [a, b] = await Promise.all([
      prepareStaffCheckIn(options(other)),
      prepareStaffCheckIn(options(other)),
    ]);
    const staff = staffService(f, sent);
    const outcomes = await Promise.allSettled([
      submitStaffCheckIn(staff, deployment, a),
      submitStaffCheckIn(staff, deployment, b),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(f.fake.stored).toBe(2);
    expect(sent).toHaveLength(2);
    // A card whose check-in failed may be scanned again at once.
    const third = cardToText(issueCitizenCard(deployment.id, PERSON, authority.publicKey));
    f.fake.nextProblem = { status: 503, code: "storage-unavailable" };
    await expect(staffCheckIn(options(third))).rejects.toMatchObject({
      code: "storage-unavailable",
    });
    await staffCheckIn(options(third));
    expect(f.fake.stored).toBe(3);
  });

  it("refuse a card of another deployment or another authority key before encrypting", async () => {
    const f = await fixture();
    const { authority, deployment } = await withAuthority(f);
    const other = generateAuthorityBoxKeyPair();
    const base = { ...f, deployment, recordedBy: "proxy" as const, now: f.now() };
    const foreignKey = cardToText(issueCitizenCard(deployment.id, PERSON, other.publicKey));
    await expect(
      prepareStaffCheckIn({ ...base, person: { card: foreignKey } }),
    ).rejects.toMatchObject({ code: "unknown-key" });
    const foreignDeployment = cardToText(
      issueCitizenCard("elsewhere", PERSON, authority.publicKey),
    );
    await expect(
      prepareStaffCheckIn({ ...base, person: { card: foreignDeployment } }),
    ).rejects.toMatchObject({ code: "unknown-key" });
    await expect(
      prepareStaffCheckIn({ ...base, person: { card: "LINTEL-CARD:!!" } }),
    ).rejects.toMatchObject({ code: "bad-encoding" });
    await expect(
      prepareStaffCheckIn({ ...base, deployment: f.deployment, person: { card: foreignKey } }),
    ).rejects.toMatchObject({ code: "deployment-incomplete" });
  });

  it("record a paper row from its arrival hour, within the last 24 hours only", async () => {
    const f = await fixture();
    const base = { ...f, recordedBy: "paper" as const, now: f.now(), stayMinutes: 90 };
    const arrival = new Date((t0 - 20 * HOUR) * 1000);
    const prepared = await prepareStaffCheckIn({
      ...base,
      person: { contact: PERSON },
      arrival,
    });
    expect(prepared.slots).toEqual([slotOf(t0 - 20 * HOUR), slotOf(t0 - 20 * HOUR) + HOUR]);
    expect(prepared.body.recordedBy).toBe("paper");
    expect(prepared.maskedName).toBe("李**");
    const ciphertext = decodeBase64url(prepared.body.slots[0]!.ciphertext);
    const record = await decryptStored(f.fake, "hbr-main", prepared.slots[0]!, ciphertext);
    expect(record).toMatchObject({
      recordedBy: "paper",
      arrival: t0 - 20 * HOUR,
      contactKind: "contact",
      // The venue code does not ask for an ID number: none is recorded.
      contact: { name: PERSON.name, phone: PERSON.phone, idNumber: "" },
    });

    for (const at of [t0 - 25 * HOUR, t0 + HOUR]) {
      await expect(
        prepareStaffCheckIn({ ...base, person: { contact: PERSON }, arrival: new Date(at * 1000) }),
      ).rejects.toMatchObject({ code: "bad-slots" });
    }
    // A proxy check-in is for now, not for yesterday.
    await expect(
      prepareStaffCheckIn({
        ...base,
        recordedBy: "proxy",
        person: { contact: PERSON },
        arrival: new Date((t0 - 5 * HOUR) * 1000),
      }),
    ).rejects.toMatchObject({ code: "bad-slots" });
  });
});
