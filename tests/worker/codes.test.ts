import { env } from "cloudflare:workers";
import {
  decodeBase32,
  formatManualCode,
  generateEd25519KeyPair,
  manualCodeFor,
  newVenueCode,
  normalizeManualCode,
  parseCodeUrl,
  parseVerifierKey,
  signVenueCode,
  verifyVenueCode,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { call, expectProblem, seedVenues } from "./helpers.ts";
import { registrySecret } from "./log-fixtures.ts";

const registry = () => generateEd25519KeyPair(registrySecret());

function signedCode(entranceId: string, version: number): Uint8Array {
  return signVenueCode(
    newVenueCode({
      deployment: "demo",
      venueId: "v1",
      entranceId,
      version,
      venueName: "茶馆",
      entranceName: "前门 Front",
      category: "restaurant",
      askIdNumber: false,
      registryPublicKey: registry().publicKey,
      now: new Date(),
    }),
    registry().secretKey,
  );
}

async function insertCode(
  entranceId: string,
  version: number,
  replaced = false,
): Promise<Uint8Array> {
  const signed = signedCode(entranceId, version);
  await env.DB.prepare(
    "INSERT INTO entrance_codes (entrance_id, version, signed, manual_code, replaced_at) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(entranceId, version, signed, manualCodeFor(signed), replaced ? 1 : null)
    .run();
  return signed;
}

beforeEach(async () => {
  await seedVenues();
  await env.DB.prepare(
    "INSERT INTO principals (id, role, label, public_key) VALUES ('registry', 'registry', 'Registry', ?)",
  )
    .bind(
      btoa(String.fromCharCode(...registry().publicKey))
        .replaceAll("+", "-")
        .replaceAll("/", "_")
        .replace(/=+$/, ""),
    )
    .run();
});

describe("entrance codes", () => {
  it("serve the newest version's URL, which verifies against the registry key the deployment publishes", async () => {
    const old = await insertCode("v1-front", 1, true);
    const current = await insertCode("v1-front", 2);
    const body = await (await call("/api/entrances/v1-front/code")).json<{
      url: string;
      version: number;
      manualCode: string;
    }>();
    expect(body.version).toBe(2);
    expect(body.manualCode).toBe(formatManualCode(manualCodeFor(current)));
    const { code } = parseCodeUrl(body.url);
    expect(code).toEqual(current);
    expect(code).not.toEqual(old);
    const deployment = await (await call("/api/deployment")).json<{
      registry: { verifierKey: string };
    }>();
    const verified = verifyVenueCode(code, {
      registry: parseVerifierKey(deployment.registry.verifierKey),
      now: new Date(),
      deployment: "demo",
    });
    expect(verified.code.codeVersion).toBe(2);
  });

  it("answer a typed manual code — sloppily typed too — with the signed code it stands for", async () => {
    const signed = await insertCode("v1-front", 1);
    const manual = formatManualCode(manualCodeFor(signed)).toLowerCase().replaceAll("-", " ");
    const body = await (await call(`/api/codes/${encodeURIComponent(manual)}`)).json<{
      code: string;
    }>();
    expect(decodeBase32(body.code)).toEqual(signed);
    expect(manualCodeFor(decodeBase32(body.code))).toBe(normalizeManualCode(manual));
  });

  it("refuse a replaced code with its own error, and typos and unknown codes with theirs", async () => {
    const old = await insertCode("v1-front", 1, true);
    await insertCode("v1-front", 2);
    await expectProblem(await call(`/api/codes/${manualCodeFor(old)}`), 410, "code-replaced");
    const typo = manualCodeFor(old).replace(/^./, (ch) => (ch === "0" ? "1" : "0"));
    await expectProblem(await call(`/api/codes/${typo}`), 400, "manual-code-typo");
    await expectProblem(await call("/api/codes/%E0%A4%A"), 400, "manual-code-typo");
    const unknown = manualCodeFor(signedCode("v1-back", 9));
    await expectProblem(await call(`/api/codes/${unknown}`), 404, "unknown-code");
    await expectProblem(await call("/api/entrances/v2-door/code"), 404, "not-found");
  });
});
