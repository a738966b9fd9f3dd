/**
 * Personal data the service must keep (an applicant's contact person and phone) is stored only as
 * ciphertext under a key derived from the DATA_KEY secret: a leaked database, read with the source
 * code at hand, shows neither the plaintext nor anything that opens without DATA_KEY.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { openAtRest, sealAtRest } from "../../worker/src/crypto/at-rest.ts";
import { openContact } from "../../worker/src/venues/application-store.ts";
import type { VenueRow } from "../../worker/src/venues/store.ts";
import { makeAccount, ok, sampleApplication, signedJson } from "./account-fixtures.ts";
import { resetDatabase } from "./helpers.ts";

beforeEach(resetDatabase);

const PERSON = "Chan Tai Man";
const PHONE = "+852 5555 0100";
const encoder = new TextEncoder();

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * What a leaked database shows for one application's contact. The answer to the POST is not
 * looked at: the row is what matters here (the round trip is checked below).
 */
async function storedContact(): Promise<{ id: string; contactSealed: string }> {
  const operator = await makeAccount("operator");
  await signedJson(operator, "POST", "/api/applications", sampleApplication());
  const row = await env.DB.prepare("SELECT id, contact_sealed AS contactSealed FROM venues")
    .bind()
    .first<{ id: string; contactSealed: string }>();
  if (!row) throw new Error("no venue row");
  return row;
}

/** Another deployment's secret: 32 bytes, base64url like the real one. */
const otherDataKey = { ...env, DATA_KEY: btoa("Z".repeat(32)).replaceAll("=", "") };

describe("contact data at rest (invariant 5)", () => {
  it("stores the contact person and phone as ciphertext, not as encoded plaintext", async () => {
    const row = await storedContact();
    expect(row.contactSealed).not.toContain(PERSON);
    expect(row.contactSealed).not.toContain("5555");
    const bytes = Uint8Array.from(atob(row.contactSealed), (ch) => ch.charCodeAt(0));
    expect(bytes[0]).toBe(1);
    // version, 12-byte IV, the JSON, 16-byte tag
    const json = encoder.encode(JSON.stringify({ person: PERSON, phone: PHONE }));
    expect(bytes.length).toBe(1 + 12 + json.length + 16);
    for (const secret of [PERSON, "5555", "Chan", "person"]) {
      expect(contains(bytes, encoder.encode(secret)), secret).toBe(false);
    }
  });

  it("does not open without the deployment's DATA_KEY", async () => {
    const operator = await makeAccount("operator");
    const app = await ok<{ id: string; contact: unknown }>(
      await signedJson(operator, "POST", "/api/applications", sampleApplication()),
      201,
    );
    expect(app.contact).toEqual({ person: PERSON, phone: PHONE });
    const row = await env.DB.prepare("SELECT id, contact_sealed AS contactSealed FROM venues")
      .bind()
      .first<{ id: string; contactSealed: string }>();
    if (!row) throw new Error("no venue row");
    const venue = { id: row.id, contactSealed: row.contactSealed } as VenueRow;
    expect(await openContact(env, venue)).toEqual({ person: PERSON, phone: PHONE });
    await expect(openContact(otherDataKey, venue)).rejects.toMatchObject({ code: "misconfigured" });
    const sealed = await sealAtRest(env, "test:1", encoder.encode(PHONE));
    await expect(openAtRest(otherDataKey, "test:1", sealed)).rejects.toMatchObject({
      code: "misconfigured",
    });
  });

  it("does not open when copied into another venue's row", async () => {
    const row = await storedContact();
    const copied = { id: "v-someoneelse", contactSealed: row.contactSealed } as VenueRow;
    await expect(openContact(env, copied)).rejects.toMatchObject({ code: "misconfigured" });
  });

  it("seals the same plaintext differently each time", async () => {
    const a = await sealAtRest(env, "test:1", encoder.encode(PHONE));
    const b = await sealAtRest(env, "test:1", encoder.encode(PHONE));
    expect(a).not.toEqual(b);
  });
});
