import { encodeBase64url, generateTrusteeKey } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { LintelError } from "../errors.ts";
import { fetchDeployment } from "./index.ts";

const a = generateTrusteeKey();
const b = generateTrusteeKey();

function deployment(
  trustees: Array<{ publicKey: string | null; proofOfPossession: string | null }>,
) {
  return {
    id: "demo",
    role: "main",
    name: { en: "Demo", zh: "演示" },
    timezone: "Asia/Shanghai",
    retentionDays: 21,
    slotMinutes: 60,
    logOrigin: "example/log",
    registry: { id: "registry", publicKey: "x" },
    trustees: trustees.map((t, i) => ({ id: `t${i}`, name: `T${i}`, url: "http://t", ...t })),
    officers: [],
    auditors: [],
  };
}

function serve(body: unknown, status = 200, type = "application/json") {
  return async () =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
}

const key = (k: Uint8Array) => encodeBase64url(k);

describe("fetchDeployment", () => {
  it("accepts trustee keys whose proofs of possession verify", async () => {
    const d = await fetchDeployment({
      baseUrl: "http://x",
      fetch: serve(
        deployment([{ publicKey: key(a.publicKey), proofOfPossession: key(a.proofOfPossession) }]),
      ),
    });
    expect(d.trustees).toHaveLength(1);
  });

  it.each([
    [
      "a proof from another key",
      { publicKey: key(a.publicKey), proofOfPossession: key(b.proofOfPossession) },
    ],
    ["a missing key", { publicKey: null, proofOfPossession: null }],
    ["garbage", { publicKey: "!!", proofOfPossession: "??" }],
  ])("refuses %s", async (_, trustee) => {
    const err = await fetchDeployment({
      baseUrl: "http://x",
      fetch: serve(deployment([trustee])),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(LintelError);
    expect(err.code).toBe("untrusted-trustee-key");
  });

  it("surfaces the service's problem code", async () => {
    const err = await fetchDeployment({
      baseUrl: "http://x",
      fetch: serve(
        { code: "misconfigured", status: 503, title: "x" },
        503,
        "application/problem+json",
      ),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: "misconfigured", status: 503 });
  });

  it("reports an unreachable service as a network error", async () => {
    const err = await fetchDeployment({
      baseUrl: "http://x",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    }).catch((e) => e);
    expect(err).toMatchObject({ code: "network" });
  });
});
