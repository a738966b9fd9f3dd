/**
 * The first registry reviewer (worker/src/routes/registry-reviewers.ts): only a statement signed
 * with the registry key makes one, a replayed or foreign statement writes nothing, and the code
 * it answers enrols a device that then acts as the registry.
 */
import { ed25519PublicKey, encodeBase64url } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { newKey, ok, signed, signedJson } from "./account-fixtures.ts";
import { count, expectProblem, resetDatabase } from "./helpers.ts";
import { registrySecret, startDeploymentLog } from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

const registryKey = () => ({
  secretKey: registrySecret(),
  publicKey: ed25519PublicKey(registrySecret()),
});
const PATH = "/api/registry/reviewers";
const body = JSON.stringify({ label: "First reviewer" });

interface Created {
  readonly accountId: string;
  readonly role: string;
  readonly enrolmentCode: string;
}

describe("POST /api/registry/reviewers", () => {
  it("makes a registry account whose one-time code enrols a device that acts as the registry", async () => {
    const created = await ok<Created>(await signed(registryKey(), "POST", PATH, { body }), 201);
    expect(created).toMatchObject({ role: "registry", label: "First reviewer" });
    const device = newKey();
    await ok(
      await signedJson(device, "POST", "/api/auth/enrol", {
        code: created.enrolmentCode,
        publicKey: encodeBase64url(device.publicKey),
      }),
      201,
    );
    const me = await ok<{ accountId: string; role: string }>(
      await signed(device, "GET", "/api/auth/me"),
    );
    expect(me).toMatchObject({ accountId: created.accountId, role: "registry" });
    // The new reviewer enrols the next ones the ordinary way.
    await ok(
      await signedJson(device, "POST", "/api/registry/accounts", {
        role: "registry",
        label: "Second reviewer",
      }),
      201,
    );
  });

  it("refuses any other key, an unsigned request and a replay, writing nothing", async () => {
    const before = await count("accounts");
    await expectProblem(await signed(newKey(), "POST", PATH, { body }), 401, "bad-statement");
    await expectProblem(await signed(null, "POST", PATH, { body }), 401, "unauthenticated");
    expect(await count("accounts")).toBe(before);

    const nonce = crypto.getRandomValues(new Uint8Array(16));
    await ok(await signed(registryKey(), "POST", PATH, { body, nonce }), 201);
    await expectProblem(
      await signed(registryKey(), "POST", PATH, { body, nonce }),
      401,
      "statement-replayed",
    );
    expect(await count("accounts")).toBe(before + 1);
    expect(await count("enrolment_codes")).toBe(1);
  });

  it("refuses a statement made for another body or a blank label", async () => {
    await expectProblem(
      await signed(registryKey(), "POST", PATH, {
        body,
        signedBody: new TextEncoder().encode('{"label":"Someone else"}'),
      }),
      401,
      "bad-statement",
    );
    await expectProblem(
      await signed(registryKey(), "POST", PATH, { body: '{"label":"  "}' }),
      422,
      "invalid-body",
    );
    expect(await count("enrolment_codes")).toBe(0);
  });
});
