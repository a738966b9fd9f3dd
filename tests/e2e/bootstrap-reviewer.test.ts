/**
 * `npm run bootstrap -- reviewer` against a running service (scripts/lib/bootstrap/reviewer.ts):
 * the request signed with the registry key makes a registry account whose one-time code then
 * enrols a device as the registry; a key that is not the registry's gets nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { callRoute, deviceKeyFromSeed, signedCall } from "@lintel/client-sdk";
import { accountRoutes, citizenRoutes } from "@lintel/contract";
import { deviceKeyName, encodeBase64url, generateEd25519KeyPair } from "@lintel/protocol";
import { describe, expect, inject, it } from "vitest";
import { requestReviewer } from "../../scripts/lib/bootstrap/reviewer.ts";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";

const base = inject("baseUrl");
const ids = JSON.parse(
  readFileSync(path.join(inject("lintelHome"), "identities.json"), "utf8"),
) as DemoIdentities;

describe("the bootstrap command's reviewer request", () => {
  it("makes a registry account whose code enrols a device that acts as the registry", async () => {
    const { id: deployment } = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
    const reviewer = await requestReviewer(base, deployment, ids.registry.secretKey, "Reviewer 9");
    expect(reviewer).toMatchObject({ role: "registry", label: "Reviewer 9" });
    expect(reviewer.codeExpiresAt).toBeGreaterThan(Date.now() / 1000);

    const seed = generateEd25519KeyPair().secretKey;
    const device = {
      baseUrl: base,
      deployment,
      keyName: deviceKeyName(deployment),
      key: deviceKeyFromSeed(seed),
    };
    const enrolled = await signedCall(device, accountRoutes.enrol, {
      body: { code: reviewer.enrolmentCode, publicKey: encodeBase64url(device.key.publicKey) },
    });
    expect(enrolled).toMatchObject({ accountId: reviewer.accountId, role: "registry" });
    const me = await signedCall(device, accountRoutes.me);
    expect(me).toMatchObject({ accountId: reviewer.accountId, role: "registry", entrances: [] });

    const notTheRegistry = encodeBase64url(generateEd25519KeyPair().secretKey);
    await expect(requestReviewer(base, deployment, notTheRegistry, "Intruder")).rejects.toThrow(
      /bad-statement/,
    );
  });
});
