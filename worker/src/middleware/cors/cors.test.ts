/**
 * The citizen API answers every origin, and nothing else does: a venue's web app on its own domain
 * checks people in and reads the problems it gets, while privileged routes (signed requests of our
 * own consoles, staff check-ins) give another origin's page no CORS headers to read them by.
 */
import { env } from "cloudflare:workers";
import {
  decodeBase64url,
  deletionTokenHash,
  ed25519PublicKey,
  encodeBase64url,
  verifyReceipt,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { makeAccount, statementFor } from "../../../../tests/worker/account-fixtures.ts";
import {
  approvedVenue,
  body,
  currentSlot,
  fakeCiphertext,
  fragment,
} from "../../../../tests/worker/checkin-fixtures.ts";
import { call, expectProblem, resetDatabase } from "../../../../tests/worker/helpers.ts";
import { startDeploymentLog } from "../../../../tests/worker/log-fixtures.ts";
import { clientKey, LIMITS, limiterStub } from "../../rate-limit/limiter.ts";
import { CITIZEN_API, crossOriginRoute, PREFLIGHT_MAX_AGE_SECONDS } from "./index.ts";

/** A venue's own web app, on its own domain. */
const VENUE_APP = "https://members.harbour-pool.example";

function preflight(path: string, method: string, headers: string): Promise<Response> {
  return call(path, {
    method: "OPTIONS",
    headers: {
      origin: VENUE_APP,
      "access-control-request-method": method,
      ...(headers ? { "access-control-request-headers": headers } : {}),
    },
  });
}

function fromVenueApp(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("origin", VENUE_APP);
  headers.set("cf-connecting-ip", `198.51.100.${Math.floor(Math.random() * 250) + 1}`);
  return call(path, { ...init, headers });
}

const postFromVenueApp = (path: string, json: unknown) =>
  fromVenueApp(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });

function accessControlHeaders(res: Response): string[] {
  return [...res.headers.keys()].filter((name) => name.startsWith("access-control-"));
}

/** What a browser needs to let the venue app read an answer, and nothing that would be ambient. */
function expectReadableByAnyOrigin(res: Response): void {
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
  expect(res.headers.get("access-control-expose-headers")).toBe("retry-after");
  expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  expect(res.headers.get("vary")).toBeNull();
  expect(res.headers.get("set-cookie")).toBeNull();
  expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  // The rest of the security headers stay as they are.
  expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
}

function expectSameOriginOnly(res: Response): void {
  expect(accessControlHeaders(res)).toEqual([]);
  expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
}

describe("the route list", () => {
  it.each([
    ["GET", "/api/deployment", "/api/deployment"],
    ["HEAD", "/api/deployment", "/api/deployment"],
    ["GET", "/api/deployment/record", "/api/deployment/*"],
    ["GET", "/api/epoch-keys", "/api/epoch-keys"],
    ["POST", "/api/codes/check", "/api/codes/check"],
    ["POST", "/api/codes/manual", "/api/codes/manual"],
    ["POST", "/api/checkins", "/api/checkins"],
    ["POST", "/api/checkins/delete", "/api/checkins/delete"],
    ["GET", "/log/checkpoint", "/log/*"],
    ["GET", "/log/tile/0/x001/234.p/5", "/log/*"],
    ["GET", "/api/log/entries/7/proof", "/api/log/entries/:index/proof"],
    ["GET", "/problems", "/problems"],
    ["GET", "/problems/invalid-code", "/problems/:code"],
  ])("opens %s %s", (method, path, pattern) => {
    expect(crossOriginRoute(CITIZEN_API, method, path)?.path).toBe(pattern);
  });

  it.each([
    ["POST", "/api/checkins/staff"],
    ["POST", "/api/checkins/"],
    ["GET", "/api/checkins"],
    ["POST", "/api/deployment"],
    ["POST", "/log/entries"],
    ["GET", "/log"],
    ["GET", "/log/"],
    ["GET", "/api/log/entries//proof"],
    ["GET", "/api/log/entries/7/proof/extra"],
    ["GET", "/api/entrances/hbr-main/code"],
    ["GET", "/api/codes/ABCD-EFGH"],
    ["GET", "/api/venues"],
    ["GET", "/api/auth/me"],
    ["POST", "/api/queries"],
    ["GET", "/api/registry/applications"],
    ["POST", "/witness/add-checkpoint"],
    ["POST", "/trustee/release"],
    ["GET", "/"],
    ["GET", "/c"],
    ["GET", "/problemsx"],
    ["PUT", "/api/checkins"],
    ["DELETE", "/api/checkins/delete"],
  ])("leaves %s %s closed", (method, path) => {
    expect(crossOriginRoute(CITIZEN_API, method, path)).toBeUndefined();
  });
});

describe("preflights", () => {
  it.each([
    ["/api/checkins", "POST", "content-type", "POST", "content-type"],
    ["/api/checkins/delete", "POST", "content-type", "POST", "content-type"],
    ["/api/codes/check", "POST", "content-type", "POST", "content-type"],
    ["/api/codes/manual", "POST", "content-type", "POST", "content-type"],
    ["/api/deployment", "GET", "", "GET, HEAD", null],
    ["/api/epoch-keys", "GET", "", "GET, HEAD", null],
    ["/log/checkpoint", "GET", "", "GET, HEAD", null],
    ["/api/log/entries/0/proof", "GET", "", "GET, HEAD", null],
    ["/problems/invalid-code", "GET", "", "GET, HEAD", null],
  ])(
    "for %s %s are answered 204 with exactly its methods and headers",
    async (path, method, requested, methods, headers) => {
      const res = await preflight(path, method, requested);
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-methods")).toBe(methods);
      expect(res.headers.get("access-control-allow-headers")).toBe(headers);
      expect(res.headers.get("access-control-max-age")).toBe(String(PREFLIGHT_MAX_AGE_SECONDS));
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    },
  );

  it("name only the route's own headers, whatever the page asks for", async () => {
    const res = await preflight("/api/checkins", "POST", "content-type, lintel-statement, cookie");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type");
  });

  it.each([
    ["/api/checkins/staff", "POST", "content-type, lintel-statement"],
    ["/api/queries", "POST", "content-type, lintel-statement"],
    ["/api/auth/me", "GET", "lintel-statement"],
    ["/api/registry/applications", "GET", "lintel-statement"],
    ["/api/venues/v-1/codes", "GET", "lintel-statement"],
    ["/api/staff/entrances", "GET", "lintel-statement"],
    ["/api/applications", "POST", "content-type, lintel-statement"],
    ["/api/entrances/hbr-main/code", "GET", "content-type"],
    ["/log/entries", "POST", "content-type"],
    ["/witness/add-checkpoint", "POST", "content-type"],
    ["/api/checkins", "PUT", "content-type"],
  ])("for %s %s get no CORS headers, so the browser refuses", async (path, method, requested) => {
    const res = await preflight(path, method, requested);
    expect(res.status).not.toBe(204);
    expectSameOriginOnly(res);
  });
});

describe("answers to another origin", () => {
  beforeEach(async () => {
    await resetDatabase();
    await startDeploymentLog();
  });

  it("check a person in: the deployment, the day's keys, the code check, a check-in and its deletion", async () => {
    const { codes } = await approvedVenue();
    const deployment = await fromVenueApp("/api/deployment");
    expect(deployment.status).toBe(200);
    expectReadableByAnyOrigin(deployment);
    const keys = await fromVenueApp("/api/epoch-keys");
    expect(keys.status).toBe(200);
    expectReadableByAnyOrigin(keys);
    const code = fragment(codes[0]!.url);
    const check = await postFromVenueApp("/api/codes/check", { code });
    expect(check.status).toBe(200);
    expectReadableByAnyOrigin(check);
    const manual = await postFromVenueApp("/api/codes/manual", { code: codes[0]!.manualCode });
    expect(manual.status).toBe(200);
    expectReadableByAnyOrigin(manual);

    const secret = crypto.getRandomValues(new Uint8Array(32));
    const submission = body(code, { deletionHash: encodeBase64url(deletionTokenHash(secret)) }, [
      { slot: currentSlot(), ciphertext: fakeCiphertext() },
    ]);
    const stored = await postFromVenueApp("/api/checkins", submission);
    expect(stored.status).toBe(201);
    expectReadableByAnyOrigin(stored);
    const { receipt } = (await stored.json()) as { receipt: string };
    const receiptKey = ed25519PublicKey(decodeBase64url(env.RECEIPT_SIGNING_KEY!, 32));
    expect(verifyReceipt(decodeBase64url(receipt), receiptKey).entranceId).toBe(
      codes[0]!.entranceId,
    );

    const deleted = await postFromVenueApp("/api/checkins/delete", {
      entranceId: codes[0]!.entranceId,
      deletionSecret: encodeBase64url(secret),
    });
    expect(deleted.status).toBe(200);
    expectReadableByAnyOrigin(deleted);
    expect(await deleted.json()).toEqual({ deleted: 1 });
  });

  it("let the app read the log and the problem catalogue", async () => {
    for (const path of ["/log/checkpoint", "/log/proof/0", "/api/log/entries/0/proof"]) {
      const res = await fromVenueApp(path);
      expect(res.status, path).toBe(200);
      expectReadableByAnyOrigin(res);
    }
    for (const path of ["/problems", "/problems/rate-limited"]) {
      const res = await fromVenueApp(path);
      expect(res.status, path).toBe(200);
      expectReadableByAnyOrigin(res);
    }
  });

  it("carry the CORS headers on problems too, so the app reads the code", async () => {
    const forged = await postFromVenueApp("/api/codes/check", { code: "AAAA" });
    expectReadableByAnyOrigin(forged);
    await expectProblem(forged, 422, "invalid-code");
    const badBody = await postFromVenueApp("/api/checkins", { code: "x" });
    expectReadableByAnyOrigin(badBody);
    await expectProblem(badBody, 422, "invalid-body");
    const notYet = await fromVenueApp("/api/log/entries/99/proof");
    expectReadableByAnyOrigin(notYet);
    await expectProblem(notYet, 404, "not-found");
  });

  it("expose Retry-After on a rate-limited check-in", async () => {
    const from = "203.0.113.91";
    const client = await clientKey(
      env,
      new Request("http://lintel.test/", {
        headers: { "cf-connecting-ip": from },
      }),
    );
    const limit = LIMITS.checkins;
    // The hour's allowance already spent from other isolates; this isolate lets its local
    // allowance through, then asks the shared count.
    await limiterStub(env, limit, client).hit(
      `${limit.bucket}|${client}`,
      limit.limit,
      limit.windowSeconds,
      limit.limit,
    );
    let res: Response | undefined;
    for (let i = 0; i <= limit.localAllowance; i++) {
      res = await call("/api/checkins", {
        method: "POST",
        headers: {
          origin: VENUE_APP,
          "content-type": "application/json",
          "cf-connecting-ip": from,
        },
        body: JSON.stringify(body("AAAA")),
      });
    }
    expectReadableByAnyOrigin(res!);
    expect(Number(res!.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectProblem(res!, 429, "rate-limited");
  }, 60_000);

  it("from privileged routes carry no CORS headers, answers and refusals alike", async () => {
    const { codes } = await approvedVenue();
    const staff = await makeAccount("staff", {
      venueId: "v",
      entrances: [codes[0]!.entranceId],
    });
    const bytes = new TextEncoder().encode(
      JSON.stringify(body(fragment(codes[0]!.url), { recordedBy: "proxy" })),
    );
    const staffCheckin = await fromVenueApp("/api/checkins/staff", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "lintel-statement": statementFor(staff, "POST", "/api/checkins/staff", bytes),
      },
      body: bytes,
    });
    expect(staffCheckin.status).toBe(201);
    expectSameOriginOnly(staffCheckin);
    const me = await fromVenueApp("/api/auth/me", {
      headers: {
        "lintel-statement": statementFor(staff, "GET", "/api/auth/me", new Uint8Array(0)),
      },
    });
    expect(me.status).toBe(200);
    expectSameOriginOnly(me);
    const unsigned = await fromVenueApp("/api/auth/me");
    expect(unsigned.status).toBe(401);
    expectSameOriginOnly(unsigned);
    const code = await fromVenueApp(`/api/entrances/${codes[0]!.entranceId}/code`);
    expect(code.status).toBe(200);
    expectSameOriginOnly(code);
    const append = await postFromVenueApp("/log/entries", { entries: ["AAAA"] });
    expect(append.status).toBe(422);
    expectSameOriginOnly(append);
    const page = await fromVenueApp("/");
    expect(page.status).toBe(200);
    expectSameOriginOnly(page);
  });
});
