/**
 * Kiosk devices and a second operator device. A kiosk's key, enrolled with the operator's
 * one-time kiosk code, gets its own entrance's kiosk screen and is refused (403 forbidden) by
 * every other signed route of the contract — the list is the contract's, so a route added later
 * is covered without touching this file. Revoking a kiosk or an operator device refuses its key at
 * once; enrolment codes are single-use and expire.
 */
import { env } from "cloudflare:workers";
import {
  accountRoutes,
  allRoutes,
  kioskRoutes,
  type RouteContract,
  trusteeRoutes,
  witnessRoutes,
} from "@lintel/contract";
import { decodeBase64url, encodeBase64url, venueCodeUrl } from "@lintel/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Application,
  applicationIn,
  makeAccount,
  newKey,
  ok,
  signed,
  signedJson,
  type TestDevice,
} from "./account-fixtures.ts";
import { BASE, expectProblem, resetDatabase } from "./helpers.ts";
import { startDeploymentLog } from "./log-fixtures.ts";

type Key = { secretKey: Uint8Array; publicKey: Uint8Array };

interface KioskCode {
  accountId: string;
  entranceId: string;
  enrolmentCode: string;
  codeExpiresAt: number;
}

let owner: TestDevice;
let venue: Application;

beforeAll(async () => {
  await resetDatabase();
  await startDeploymentLog();
  owner = await makeAccount("operator");
  venue = await applicationIn("approved", owner);
}, 120_000);

const enrol = (code: string, key: Key = newKey()) =>
  signedJson(key, "POST", "/api/auth/enrol", { code, publicKey: encodeBase64url(key.publicKey) });

async function newKiosk(entranceId: string, label = "Front screen"): Promise<KioskCode> {
  return ok<KioskCode>(
    await signedJson(owner, "POST", `/api/venues/${venue.id}/kiosks`, { label, entranceId }),
    201,
  );
}

/** A kiosk device enrolled with a fresh kiosk code for `entranceId`. */
async function enrolledKiosk(entranceId: string): Promise<{ key: Key; accountId: string }> {
  const made = await newKiosk(entranceId);
  const key = newKey();
  const enrolled = await ok<{ role: string; accountId: string }>(
    await enrol(made.enrolmentCode, key),
    201,
  );
  expect(enrolled).toMatchObject({ role: "kiosk", accountId: made.accountId });
  return { key, accountId: made.accountId };
}

/** What the kiosk key may call: its screen, who it is, and signing itself out. */
const KIOSK_ALLOWED = new Set<RouteContract>([
  kioskRoutes.kioskScreen,
  accountRoutes.me,
  accountRoutes.signOutDevice,
]);
/** Signed by the key in the body or by the registry key, not by an enrolled device. */
const NOT_DEVICE_SIGNED = new Set<RouteContract>([
  accountRoutes.signUpOperator,
  accountRoutes.enrol,
  accountRoutes.createReviewer,
]);
/** Other roles' workers, not the main service. */
const OTHER_WORKERS = new Set<RouteContract>([
  ...Object.values(trusteeRoutes),
  ...Object.values(witnessRoutes),
]);

function pathFor(route: RouteContract, entranceId: string): string {
  return route.path
    .replace(":id", venue.id)
    .replace(":eid", entranceId)
    .replace(/:[A-Za-z]+/g, "x-1")
    .replace("*", "x");
}

describe("a kiosk device", () => {
  it("gets its own entrance's kiosk screen, with the code that entrance's posters carry", async () => {
    const door = venue.entrances[1]!;
    const kiosk = await enrolledKiosk(door.id);
    const screen = await ok<{
      entranceId: string;
      code: string;
      kioskSecret: string;
      venue: { id: string };
    }>(await signed(kiosk.key, "GET", "/api/kiosk/screen"));
    expect(screen.entranceId).toBe(door.id);
    expect(screen.venue.id).toBe(venue.id);
    expect(decodeBase64url(screen.kioskSecret)).toHaveLength(32);
    // The same code and secret the operator's own kiosk set-up gets for that door.
    const operatorView = await ok<{ code: string; kioskSecret: string }>(
      await signed(owner, "GET", `/api/venues/${venue.id}/entrances/${door.id}/kiosk`),
    );
    expect(screen.code).toBe(operatorView.code);
    expect(screen.kioskSecret).toBe(operatorView.kioskSecret);
    const { codes } = await ok<{ codes: Array<{ entranceId: string; url: string }> }>(
      await signed(owner, "GET", `/api/venues/${venue.id}/codes`),
    );
    const poster = codes.find((c) => c.entranceId === door.id)!;
    expect(venueCodeUrl(BASE, decodeBase64url(screen.code))).toBe(poster.url);
  });

  it("is refused, 403 forbidden, by every other signed route of the contract", async () => {
    const door = venue.entrances[0]!;
    const kiosk = await enrolledKiosk(door.id);
    const refused: string[] = [];
    const outcomes: string[] = [];
    for (const route of allRoutes) {
      if (route.auth !== "signed") continue;
      if (KIOSK_ALLOWED.has(route) || NOT_DEVICE_SIGNED.has(route) || OTHER_WORKERS.has(route)) {
        continue;
      }
      const path = pathFor(route, door.id);
      const res = await signed(kiosk.key, route.method, path, {
        ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: "{}" }),
        ...(path.endsWith("/release") ? { audience: { id: "log", origin: "" } } : {}),
      });
      const body = (await res.json().catch(() => ({}))) as { code?: string };
      outcomes.push(`${route.method} ${route.path}: ${res.status} ${body.code}`);
      refused.push(`${route.method} ${route.path}: 403 forbidden`);
    }
    // Every operator and every staff route is among them.
    expect(outcomes.length).toBeGreaterThan(30);
    expect(outcomes).toContain("POST /api/venues/:id/kiosks: 403 forbidden");
    expect(outcomes).toEqual(refused);
  }, 120_000);

  it("may say who it is and sign itself out, and nothing else of its account", async () => {
    const kiosk = await enrolledKiosk(venue.entrances[0]!.id);
    const me = await ok<{ role: string; entrances: string[]; venueId: string | null }>(
      await signed(kiosk.key, "GET", "/api/auth/me"),
    );
    expect(me.role).toBe("kiosk");
    expect(me.entrances).toEqual([venue.entrances[0]!.id]);
    await expectProblem(
      await signedJson(kiosk.key, "POST", "/api/auth/devices", {
        publicKey: encodeBase64url(newKey().publicKey),
      }),
      403,
      "forbidden",
    );
    expect((await signed(kiosk.key, "DELETE", "/api/auth/devices/current")).status).toBe(204);
    await expectProblem(
      await signed(kiosk.key, "GET", "/api/kiosk/screen"),
      401,
      "session-expired",
    );
  });

  it("is listed for the operator, and once revoked its key is refused at once", async () => {
    const door = venue.entrances[0]!;
    const kiosk = await enrolledKiosk(door.id);
    const unused = await newKiosk(door.id, "Spare screen");
    const listed = await ok<{
      kiosks: Array<{ accountId: string; entranceId: string; enrolled: boolean; revoked: boolean }>;
    }>(await signed(owner, "GET", `/api/venues/${venue.id}/kiosks`));
    expect(listed.kiosks).toContainEqual(
      expect.objectContaining({
        accountId: kiosk.accountId,
        entranceId: door.id,
        enrolled: true,
        revoked: false,
      }),
    );
    expect(listed.kiosks).toContainEqual(
      expect.objectContaining({ accountId: unused.accountId, enrolled: false }),
    );
    // Another operator can neither see nor revoke this venue's kiosks.
    const other = await makeAccount("operator");
    await expectProblem(
      await signed(other, "DELETE", `/api/venues/${venue.id}/kiosks/${kiosk.accountId}`),
      404,
      "not-found",
    );
    expect((await signed(kiosk.key, "GET", "/api/kiosk/screen")).status).toBe(200);

    expect(
      (await signed(owner, "DELETE", `/api/venues/${venue.id}/kiosks/${kiosk.accountId}`)).status,
    ).toBe(204);
    const refused = await signed(kiosk.key, "GET", "/api/kiosk/screen");
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
    // A revoked kiosk's unused code is void too.
    expect(
      (await signed(owner, "DELETE", `/api/venues/${venue.id}/kiosks/${unused.accountId}`)).status,
    ).toBe(204);
    await expectProblem(await enrol(unused.enrolmentCode), 400, "enrolment-code-invalid");
    const after = await ok<{ kiosks: Array<{ accountId: string; revoked: boolean }> }>(
      await signed(owner, "GET", `/api/venues/${venue.id}/kiosks`),
    );
    expect(after.kiosks.find((k) => k.accountId === kiosk.accountId)?.revoked).toBe(true);
    await expectProblem(
      await signed(owner, "DELETE", `/api/venues/${venue.id}/kiosks/${kiosk.accountId}`),
      404,
      "not-found",
    );
  });

  it("is made only for an entrance of the operator's own approved venue", async () => {
    const other = await makeAccount("operator");
    const theirs = await applicationIn("approved", other);
    await expectProblem(
      await signedJson(owner, "POST", `/api/venues/${venue.id}/kiosks`, {
        label: "Wrong door",
        entranceId: theirs.entrances[0]!.id,
      }),
      404,
      "not-found",
    );
    await expectProblem(
      await signedJson(other, "POST", `/api/venues/${venue.id}/kiosks`, {
        label: "Not mine",
        entranceId: venue.entrances[0]!.id,
      }),
      404,
      "not-found",
    );
    const draft = await applicationIn("draft", owner);
    await expectProblem(
      await signedJson(owner, "POST", `/api/venues/${draft.id}/kiosks`, {
        label: "Too early",
        entranceId: draft.entrances[0]!.id,
      }),
      409,
      "wrong-state",
    );
  }, 120_000);

  it("enrols once with its code, and not after the code expired", async () => {
    const made = await newKiosk(venue.entrances[0]!.id);
    expect(made.codeExpiresAt).toBeGreaterThan(Date.now() / 1000);
    await ok(await enrol(made.enrolmentCode), 201);
    await expectProblem(await enrol(made.enrolmentCode), 400, "enrolment-code-invalid");
    const late = await newKiosk(venue.entrances[0]!.id);
    await env.DB.prepare("UPDATE enrolment_codes SET expires_at = ? WHERE account_id = ?")
      .bind(Math.floor(Date.now() / 1000) - 1, late.accountId)
      .run();
    await expectProblem(await enrol(late.enrolmentCode), 400, "enrolment-code-invalid");
  });
});

describe("a second operator device", () => {
  const newCode = (device: Key) => signed(device, "POST", "/api/auth/enrolment-codes");

  it("enrols with the operator's one-time code as a full operator device of the same account", async () => {
    const code = await ok<{ enrolmentCode: string; codeExpiresAt: number }>(
      await newCode(owner),
      201,
    );
    // An hour: typed into the other browser there and then.
    expect(code.codeExpiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    const second = newKey();
    const enrolled = await ok<{ accountId: string; role: string }>(
      await enrol(code.enrolmentCode, second),
      201,
    );
    expect(enrolled).toMatchObject({ accountId: owner.accountId, role: "operator" });
    await expectProblem(await enrol(code.enrolmentCode), 400, "enrolment-code-invalid");
    // It acts for the account: the venue's codes, and a kiosk of its own.
    expect((await signed(second, "GET", `/api/venues/${venue.id}/codes`)).status).toBe(200);
    const devices = await ok<{ devices: Array<{ id: string; current: boolean }> }>(
      await signed(owner, "GET", "/api/auth/devices"),
    );
    expect(devices.devices).toHaveLength(2);
    const secondId = devices.devices.find((d) => !d.current)!.id;

    // The first device signs the second out: its key is refused from then on.
    expect((await signed(owner, "DELETE", `/api/auth/devices/${secondId}`)).status).toBe(204);
    await expectProblem(
      await signed(second, "GET", `/api/venues/${venue.id}/codes`),
      401,
      "session-expired",
    );
    expect((await signed(owner, "GET", `/api/venues/${venue.id}/codes`)).status).toBe(200);
  });

  it("a device code expires, and only operators make one", async () => {
    const code = await ok<{ enrolmentCode: string }>(await newCode(owner), 201);
    await env.DB.prepare(
      "UPDATE enrolment_codes SET expires_at = ? WHERE account_id = ? AND used_at IS NULL",
    )
      .bind(Math.floor(Date.now() / 1000) - 1, owner.accountId)
      .run();
    await expectProblem(await enrol(code.enrolmentCode), 400, "enrolment-code-invalid");
    for (const role of ["staff", "registry", "officer", "auditor"] as const) {
      const device =
        role === "staff"
          ? await makeAccount(role, { venueId: venue.id, entrances: [venue.entrances[0]!.id] })
          : await makeAccount(role);
      await expectProblem(await newCode(device), 403, "forbidden");
    }
  });
});
