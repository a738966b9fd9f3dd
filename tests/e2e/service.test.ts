import { readFileSync } from "node:fs";
import path from "node:path";
import { callRoute, deviceKeyFromSeed, signedCall } from "@lintel/client-sdk";
import { accountRoutes, citizenRoutes, venueRoutes } from "@lintel/contract";
import { decodeBase64url, deviceKeyName, verifyProofOfPossession } from "@lintel/protocol";
import { describe, expect, inject, it } from "vitest";
import type { DemoIdentities } from "../../scripts/lib/demo-identities.ts";

const base = inject("baseUrl");
const home = inject("lintelHome");
const service = { baseUrl: base };

describe("the local demo deployment from npm run dev", () => {
  it("answers on 127.0.0.1 with a healthy database", async () => {
    expect(new URL(base).hostname).toBe("127.0.0.1");
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "pass", deployment: "demo" });
  });

  it("serves the seeded identities, matching the ones kept on disk", async () => {
    const ids = JSON.parse(
      readFileSync(path.join(home, "identities.json"), "utf8"),
    ) as DemoIdentities;
    const d = await callRoute(service, citizenRoutes.deployment);
    expect(d.registry?.publicKey).toBe(ids.registry.publicKey);
    expect(d.officers.map((o) => o.id)).toEqual(["officer-a", "officer-b"]);
    expect(d.auditors.map((a) => a.id)).toEqual(["auditor-1"]);
    expect(d.trustees).toHaveLength(2);
    for (const t of d.trustees) {
      expect(t.publicKey, `${t.id} has a key`).not.toBeNull();
      expect(
        verifyProofOfPossession(
          decodeBase64url(t.publicKey!),
          decodeBase64url(t.proofOfPossession!),
        ),
      ).toBe(true);
    }
  });

  it("signs the demo reviewer and both officers in with the device keys kept on disk", async () => {
    const ids = JSON.parse(
      readFileSync(path.join(home, "identities.json"), "utf8"),
    ) as DemoIdentities;
    const me = (seed: string) =>
      signedCall(
        {
          ...service,
          deployment: "demo",
          keyName: deviceKeyName("demo"),
          key: deviceKeyFromSeed(decodeBase64url(seed, 32)),
        },
        accountRoutes.me,
      );
    expect(await me(ids.registryStaff.deviceSecretKey)).toMatchObject({
      role: "registry",
      label: ids.registryStaff.label,
    });
    for (const o of ids.officers)
      expect(await me(o.secretKey)).toMatchObject({ role: "officer", label: o.label });
  });

  it("has one approved venue with two entrances", async () => {
    // Read as the contract declares them: an answer outside it fails here.
    const list = await callRoute(service, venueRoutes.listVenues, { query: {} });
    expect(list.venues).toHaveLength(1);
    expect(list.next).toBeNull();
    const venue = await callRoute(service, venueRoutes.getVenue, {
      params: { id: list.venues[0]!.id },
    });
    expect(venue.entrances.map((e) => e.id).sort()).toEqual(["hbr-east", "hbr-main"]);
    expect(venue.entrances.every((e) => e.active)).toBe(true);
  });

  it("has a registry-signed code at each entrance that fits a version-10 QR at level M", async () => {
    const { parseCodeUrl, parseVerifierKey, verifyVenueCode } = await import("@lintel/protocol");
    const { codeQrVersion } = await import("../../scripts/lib/qr.ts");
    const d = await callRoute(service, citizenRoutes.deployment);
    for (const id of ["hbr-main", "hbr-east"]) {
      const code = await callRoute(service, citizenRoutes.entranceCode, { params: { id } });
      expect(code.url.startsWith(`${base}/c#`)).toBe(true);
      expect(code.manualCode).toMatch(
        /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$/,
      );
      const verified = verifyVenueCode(parseCodeUrl(code.url).code, {
        registry: parseVerifierKey(d.registry!.verifierKey),
        now: new Date(),
        deployment: "demo",
      });
      expect(verified.code.entranceId).toBe(id);
      expect(codeQrVersion(code.url)).toBeLessThanOrEqual(10);
    }
  });

  it("keeps secrets out of the repository's tracked files and in the deployment home", () => {
    const devVars = readFileSync(path.join(home, ".dev.vars"), "utf8");
    expect(devVars).toMatch(/^REGISTRY_SIGNING_KEY=[A-Za-z0-9_-]{43}$/m);
    expect(devVars).toMatch(/^LOG_SIGNING_KEY=[A-Za-z0-9_-]{43}$/m);
    const gitignore = readFileSync(path.join(import.meta.dirname, "../../.gitignore"), "utf8");
    expect(gitignore).toMatch(/^\.dev\.vars$/m);
    expect(gitignore).toMatch(/^\.lintel\/$/m);
  });

  it("answers a malformed body and an unknown route with problem+json 4xx", async () => {
    const bad = await fetch(`${base}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect(await bad.json()).toMatchObject({ code: "malformed-json", status: 400 });

    const missing = await fetch(`${base}/definitely/not/here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(await missing.json()).toMatchObject({ code: "not-found", type: "/problems/not-found" });
  });
});
