/**
 * Device-key sign-in (PROTOCOL.md §6.1, worker/src/middleware/auth): sign-up proves possession,
 * enrolment codes are one-time, and every failure of a statement has its own code and changes
 * nothing.
 */

import { env } from "cloudflare:workers";
import { ed25519PublicKey, encodeBase64url, LogPolicy, newEnrolmentCode } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { makeAccount, newKey, ok, signed, signedJson, statementFor } from "./account-fixtures.ts";
import { call, count, expectProblem, resetDatabase } from "./helpers.ts";
import { deploymentLog, registrySecret, startDeploymentLog } from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  // Officer devices are enrolled in the log (PROTOCOL.md §11.2): it must have its first entry.
  await startDeploymentLog();
});

/** The officer keys the log holds now, as the policy replays them. */
async function loggedOfficerKeys(): Promise<string[]> {
  const status = await deploymentLog().status();
  const policy = new LogPolicy(ed25519PublicKey(registrySecret()));
  for (let i = 0n; i < BigInt(status.size); i++) policy.apply((await deploymentLog().entryAt(i))!);
  return policy.officerKeys().map(encodeBase64url);
}

const signUp = (key = newKey(), label = "Tea house owner") =>
  signedJson(key, "POST", "/api/auth/operators", {
    label,
    publicKey: encodeBase64url(key.publicKey),
  });

describe("operator sign-up", () => {
  it("creates an operator account whose device then signs in", async () => {
    const key = newKey();
    const created = await ok<{ accountId: string; role: string; expiresAt: number }>(
      await signUp(key),
      201,
    );
    expect(created.role).toBe("operator");
    expect(created.expiresAt).toBeGreaterThan(Date.now() / 1000 + 170 * 86_400);
    const me = await ok<{ accountId: string; role: string; label: string }>(
      await signedJson(key, "GET", "/api/auth/me"),
    );
    expect(me).toMatchObject({
      accountId: created.accountId,
      role: "operator",
      label: "Tea house owner",
    });
  });

  it("refuses a sign-up signed by another key than the one enrolled", async () => {
    const enrolled = newKey();
    const res = await signedJson(newKey(), "POST", "/api/auth/operators", {
      label: "x",
      publicKey: encodeBase64url(enrolled.publicKey),
    });
    await expectProblem(res, 401, "bad-statement");
    expect(await count("accounts")).toBe(0);
  });

  it("refuses the same key twice", async () => {
    const key = newKey();
    await ok(await signUp(key), 201);
    await expectProblem(await signUp(key), 409, "key-already-enrolled");
    expect(await count("accounts")).toBe(1);
  });

  it("refuses labels with control characters and unsigned sign-ups", async () => {
    await expectProblem(await signUp(newKey(), "a\u0000b"), 422, "invalid-body");
    const res = await call("/api/auth/operators", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.9" },
      body: JSON.stringify({ label: "x", publicKey: encodeBase64url(newKey().publicKey) }),
    });
    await expectProblem(res, 401, "unauthenticated");
    expect(await count("accounts")).toBe(0);
  });
});

describe("rate limits on the open doors", () => {
  it("allows five sign-ups an hour from one network, then answers 429 with Retry-After", async () => {
    const clientIp = "203.0.113.77";
    const attempt = () => {
      const key = newKey();
      return signed(key, "POST", "/api/auth/operators", {
        clientIp,
        body: JSON.stringify({ label: "x", publicKey: encodeBase64url(key.publicKey) }),
      });
    };
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(201);
    const refused = await attempt();
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectProblem(refused, 429, "rate-limited");
    expect(await count("accounts")).toBe(5);
  });
});

describe("signed requests", () => {
  it("refuses a replayed statement and leaves the first one's effect alone", async () => {
    const operator = await makeAccount("operator");
    const nonce = crypto.getRandomValues(new Uint8Array(16));
    await ok(await signed(operator, "GET", "/api/auth/me", { nonce }));
    await expectProblem(
      await signed(operator, "GET", "/api/auth/me", { nonce }),
      401,
      "statement-replayed",
    );
  });

  it("refuses a statement made for another path or body", async () => {
    const operator = await makeAccount("operator");
    await expectProblem(
      await signed(operator, "GET", "/api/auth/me", { signedPath: "/api/applications" }),
      401,
      "bad-statement",
    );
    const body = JSON.stringify({ publicKey: encodeBase64url(newKey().publicKey) });
    await expectProblem(
      await signed(operator, "POST", "/api/auth/devices", {
        body,
        signedBody: new TextEncoder().encode("{}"),
      }),
      401,
      "bad-statement",
    );
    expect(await count("devices")).toBe(1);
  });

  it("refuses statements more than five minutes off", async () => {
    const operator = await makeAccount("operator");
    // A minute past the limit each way: the service reads its clock a moment after the test does,
    // and on a busy machine that moment can be seconds long.
    const old = new Date(Date.now() - 360_000);
    await expectProblem(
      await signed(operator, "GET", "/api/auth/me", { now: old }),
      401,
      "statement-expired",
    );
    const future = new Date(Date.now() + 360_000);
    await expectProblem(
      await signed(operator, "GET", "/api/auth/me", { now: future }),
      401,
      "statement-expired",
    );
  });

  it("refuses unknown keys, garbage headers and signed-out devices", async () => {
    await expectProblem(await signed(newKey(), "GET", "/api/auth/me"), 401, "bad-statement");
    const garbage = await call("/api/auth/me", { headers: { "lintel-statement": "!!!" } });
    await expectProblem(garbage, 401, "bad-statement");
    const operator = await makeAccount("operator");
    expect((await signed(operator, "DELETE", "/api/auth/devices/current")).status).toBe(204);
    await expectProblem(await signed(operator, "GET", "/api/auth/me"), 401, "session-expired");
  });

  it("expires a device idle longer than its role allows, and one past its lifetime", async () => {
    const registry = await makeAccount("registry");
    const fourDaysAgo = Math.floor(Date.now() / 1000) - 4 * 86_400;
    await env.DB.prepare("UPDATE devices SET last_used_at = ? WHERE id = ?")
      .bind(fourDaysAgo, registry.deviceId)
      .run();
    await expectProblem(await signed(registry, "GET", "/api/auth/me"), 401, "session-expired");

    const operator = await makeAccount("operator");
    await env.DB.prepare("UPDATE devices SET expires_at = ? WHERE id = ?")
      .bind(Math.floor(Date.now() / 1000) - 1, operator.deviceId)
      .run();
    await expectProblem(await signed(operator, "GET", "/api/auth/me"), 401, "session-expired");
  });

  it("lets a signed-in device enrol the account's next device", async () => {
    const operator = await makeAccount("operator");
    const next = newKey();
    await ok(
      await signedJson(operator, "POST", "/api/auth/devices", {
        publicKey: encodeBase64url(next.publicKey),
      }),
      201,
    );
    const me = await ok<{ accountId: string }>(await signedJson(next, "GET", "/api/auth/me"));
    expect(me.accountId).toBe(operator.accountId);
  });
});

describe("enrolment codes", () => {
  async function registryCreates(role: "registry" | "officer" | "auditor") {
    const registry = await makeAccount("registry");
    return ok<{ accountId: string; enrolmentCode: string }>(
      await signedJson(registry, "POST", "/api/registry/accounts", { role, label: "Reviewer 2" }),
      201,
    );
  }

  const enrol = (code: string, key = newKey()) =>
    signedJson(key, "POST", "/api/auth/enrol", { code, publicKey: encodeBase64url(key.publicKey) });

  it("binds exactly one device, typed in any case and with look-alike letters", async () => {
    const created = await registryCreates("officer");
    expect(created.enrolmentCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const typed = created.enrolmentCode.toLowerCase().replaceAll("-", " ").replaceAll("0", "o");
    const key = newKey();
    const enrolled = await ok<{ accountId: string; role: string }>(await enrol(typed, key), 201);
    expect(enrolled).toMatchObject({ accountId: created.accountId, role: "officer" });
    await expectProblem(await enrol(created.enrolmentCode), 400, "enrolment-code-invalid");
    expect(await count("devices")).toBe(2); // the registry's and the officer's
    // The officer's device key is now an officer in the transparency log; signing out removes it.
    expect(await loggedOfficerKeys()).toEqual([encodeBase64url(key.publicKey)]);
    expect((await signed(key, "DELETE", "/api/auth/devices/current")).status).toBe(204);
    expect(await loggedOfficerKeys()).toEqual([]);
  });

  it("refuses unknown and expired codes without writing", async () => {
    await expectProblem(await enrol(newEnrolmentCode()), 400, "enrolment-code-invalid");
    const created = await registryCreates("auditor");
    await env.DB.prepare("UPDATE enrolment_codes SET expires_at = 1").run();
    await expectProblem(await enrol(created.enrolmentCode), 400, "enrolment-code-invalid");
    expect(await count("devices")).toBe(1);
    expect(await count("request_nonces")).toBe(1);
  });

  it("gives a code to one of two devices racing with it", async () => {
    const created = await registryCreates("registry");
    const results = await Promise.all([enrol(created.enrolmentCode), enrol(created.enrolmentCode)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(await count("devices")).toBe(2);
  });

  it("only the registry creates registry, officer and auditor accounts", async () => {
    const operator = await makeAccount("operator");
    const res = await signedJson(operator, "POST", "/api/registry/accounts", {
      role: "registry",
      label: "me",
    });
    await expectProblem(res, 403, "forbidden");
    const registry = await makeAccount("registry");
    const noOperators = await signedJson(registry, "POST", "/api/registry/accounts", {
      role: "operator",
      label: "x",
    });
    await expectProblem(noOperators, 422, "invalid-body");
  });
});

describe("statement plumbing", () => {
  it("statementFor signs what the server recomputes", () => {
    const key = newKey();
    expect(statementFor(key, "GET", "/x", new Uint8Array())).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe("nonce sweeping", () => {
  it("drops nonces older than the statement window and keeps recent ones", async () => {
    const { sweepRequestNonces } = await import("../../worker/src/retention/cron.ts");
    const now = Math.floor(Date.now() / 1000);
    await env.DB.prepare(
      "INSERT INTO request_nonces (device_id, nonce, seen_at) VALUES ('d', 'old', ?), ('d', 'new', ?)",
    )
      .bind(now - 601, now - 10)
      .run();
    expect(await sweepRequestNonces(env.DB, now)).toBe(1);
    const left = await env.DB.prepare("SELECT nonce FROM request_nonces").all();
    expect(left.results).toEqual([{ nonce: "new" }]);
  });
});

describe("review fixes", () => {
  it("a device enrolled from another expires no later than it, and 'all' signs every device out", async () => {
    const operator = await makeAccount("operator");
    const next = newKey();
    const added = await ok<{ expiresAt: number }>(
      await signedJson(operator, "POST", "/api/auth/devices", {
        publicKey: encodeBase64url(next.publicKey),
      }),
      201,
    );
    const parent = await env.DB.prepare("SELECT expires_at AS e FROM devices WHERE id = ?")
      .bind(operator.deviceId)
      .first<{ e: number }>();
    expect(added.expiresAt).toBeLessThanOrEqual(parent!.e);
    const list = await ok<{ devices: Array<{ current: boolean }> }>(
      await signedJson(next, "GET", "/api/auth/devices"),
    );
    expect(list.devices.map((d) => d.current).sort()).toEqual([false, true]);
    expect((await signedJson(next, "DELETE", "/api/auth/devices/all")).status).toBe(204);
    await expectProblem(await signedJson(operator, "GET", "/api/auth/me"), 401, "session-expired");
    await expectProblem(await signedJson(next, "GET", "/api/auth/me"), 401, "session-expired");
  });

  it("an operator cannot sign out an account that is not its venue's staff", async () => {
    const registry = await makeAccount("registry");
    const operator = await makeAccount("operator");
    await env.DB.prepare(
      "INSERT INTO venues (id, name_en, name_zh, category, status, operator_id) VALUES ('v-own', 'x', 'x', 'shop', 'approved', ?)",
    )
      .bind(operator.accountId)
      .run();
    const res = await signedJson(
      operator,
      "DELETE",
      `/api/venues/v-own/staff/${registry.accountId}`,
    );
    await expectProblem(res, 404, "not-found");
    expect((await signedJson(registry, "GET", "/api/auth/me")).status).toBe(200);
  });

  it("the registry cannot mint enrolment codes for operator or staff accounts", async () => {
    const registry = await makeAccount("registry");
    const operator = await makeAccount("operator");
    const res = await signedJson(
      registry,
      "POST",
      `/api/registry/accounts/${operator.accountId}/enrolment-codes`,
    );
    await expectProblem(res, 404, "not-found");
  });
});

describe("the contract's refusals on the account routes", () => {
  it("refuses a key of the wrong length, an unknown member and an oversized sign-up, writing nothing", async () => {
    const key = newKey();
    const short = await signedJson(key, "POST", "/api/auth/operators", {
      label: "x",
      publicKey: encodeBase64url(key.publicKey.slice(0, 31)),
    });
    const problem = await expectProblem(short, 422, "invalid-body");
    expect(problem.errors?.map((e) => e.pointer)).toEqual(["/publicKey"]);
    const other = newKey();
    const extra = await signedJson(other, "POST", "/api/auth/operators", {
      label: "x",
      publicKey: encodeBase64url(other.publicKey),
      role: "registry",
    });
    await expectProblem(extra, 422, "invalid-body");
    const big = await signedJson(other, "POST", "/api/auth/operators", {
      label: "x".repeat(3000),
      publicKey: encodeBase64url(other.publicKey),
    });
    await expectProblem(big, 413, "payload-too-large");
    expect(await count("accounts")).toBe(0);
  });

  it("signs out only a device of the caller's own account, named in the id's format", async () => {
    const operator = await makeAccount("operator");
    const other = await makeAccount("operator");
    await expectProblem(
      await signed(operator, "DELETE", `/api/auth/devices/${other.deviceId}`),
      404,
      "not-found",
    );
    await expectProblem(
      await signed(operator, "DELETE", "/api/auth/devices/a%20b"),
      404,
      "not-found",
    );
    expect((await signed(other, "GET", "/api/auth/me")).status).toBe(200);
    expect(
      (await signed(operator, "DELETE", `/api/auth/devices/${operator.deviceId}`)).status,
    ).toBe(204);
    await expectProblem(await signed(operator, "GET", "/api/auth/me"), 401, "session-expired");
  });
});
