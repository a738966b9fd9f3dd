import { env } from "cloudflare:workers";
import { citizenRoutes } from "@lintel/contract";
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
import { call, expectProblem, postJson, seedVenues } from "./helpers.ts";
import { registrySecret } from "./log-fixtures.ts";

const registry = () => generateEd25519KeyPair(registrySecret());

function signedCode(entranceId: string, version: number): Uint8Array {
  return signVenueCode(
    newVenueCode({
      deployment: "demo",
      venueId: "v1",
      entranceId,
      version,
      venueName: { zh: "茶馆", en: "Tea house" },
      entranceName: { zh: "前门", en: "Front" },
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
    const body = citizenRoutes.entranceCode.responses[200].parse(
      await (await call("/api/entrances/v1-front/code")).json(),
    );
    expect(body.version).toBe(2);
    expect(body.manualCode).toBe(formatManualCode(manualCodeFor(current)));
    const { code } = parseCodeUrl(body.url);
    expect(code).toEqual(current);
    expect(code).not.toEqual(old);
    const deployment = citizenRoutes.deployment.responses[200].parse(
      await (await call("/api/deployment")).json(),
    );
    const verified = verifyVenueCode(code, {
      registry: parseVerifierKey(deployment.registry!.verifierKey),
      now: new Date(),
      deployment: "demo",
    });
    expect(verified.code.codeVersion).toBe(2);
  });

  it("answer a typed manual code — sloppily typed too — posted in the body, with the signed code it stands for", async () => {
    const signed = await insertCode("v1-front", 1);
    const manual = formatManualCode(manualCodeFor(signed)).toLowerCase().replaceAll("-", " ");
    const res = await postJson("/api/codes/manual", { code: manual });
    expect(res.status).toBe(200);
    // Which venue a person visits must not stay in a shared cache.
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = citizenRoutes.manualCode.responses[200].parse(await res.json());
    expect(decodeBase32(body.code)).toEqual(signed);
    expect(body.entranceId).toBe("v1-front");
    expect(manualCodeFor(decodeBase32(body.code))).toBe(normalizeManualCode(manual));
  });

  it("answer the old GET form with 405 and where to go, naming no entrance or venue", async () => {
    const signed = await insertCode("v1-front", 1);
    const res = await call(`/api/codes/${manualCodeFor(signed)}`);
    const problem = await expectProblem(res, 405, "method-not-allowed");
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(problem.detail).toContain("POST /api/codes/manual");
    const text = JSON.stringify(problem);
    for (const leak of ["v1-front", "v1", "茶馆", "Front"]) expect(text).not.toContain(leak);
  });

  it("refuse a replaced code with its own error, and typos and unknown codes with theirs", async () => {
    const lookUp = (code: unknown) => postJson("/api/codes/manual", { code });
    const old = await insertCode("v1-front", 1, true);
    await insertCode("v1-front", 2);
    await expectProblem(await lookUp(manualCodeFor(old)), 410, "code-replaced");
    const typo = manualCodeFor(old).replace(/^./, (ch) => (ch === "0" ? "1" : "0"));
    await expectProblem(await lookUp(typo), 400, "manual-code-typo");
    await expectProblem(await lookUp("ß™"), 400, "manual-code-typo");
    const unknown = manualCodeFor(signedCode("v1-back", 9));
    await expectProblem(await lookUp(unknown), 404, "unknown-code");
    await expectProblem(await lookUp(12), 422, "invalid-body");
    await expectProblem(await lookUp("x".repeat(65)), 422, "invalid-body");
    await expectProblem(await call("/api/entrances/v2-door/code"), 404, "not-found");
  });
});
