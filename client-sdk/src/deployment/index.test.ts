import {
  encodeBase64url,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateTrusteeKey,
  signDeploymentRecord,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { LintelError } from "../errors.ts";
import { fetchDeployment } from "./index.ts";
import { deploymentAnswer } from "./testing/answer.ts";

const a = generateTrusteeKey();
const b = generateTrusteeKey();
const registry = generateEd25519KeyPair();
const logKey = generateEd25519KeyPair();
const receiptKey = generateEd25519KeyPair();

/** A registry-signed record naming trustee a, the log key and the receipt key. */
function record(signer = registry.secretKey, trustee = a): string {
  return encodeBase64url(
    signDeploymentRecord(
      {
        deployment: "demo",
        issuedAt: 1_795_000_000,
        logKey: logKey.publicKey,
        receiptKey: receiptKey.publicKey,
        authorityBoxKey: new Uint8Array(32).fill(7),
        trustees: [
          { id: "t0", publicKey: trustee.publicKey, proofOfPossession: trustee.proofOfPossession },
        ],
      },
      signer,
    ),
  );
}

function deployment(
  trustees: Array<{ publicKey: string | null; proofOfPossession: string | null }>,
  signedRecord: string | null = record(),
) {
  return deploymentAnswer({
    registry: {
      id: "registry",
      publicKey: encodeBase64url(registry.publicKey),
      verifierKey: formatVerifierKey("demo/registry", registry.publicKey),
    },
    log: {
      origin: "example/log",
      verifierKey: formatVerifierKey("example/log", logKey.publicKey),
      witnesses: [],
    },
    receipt: { verifierKey: formatVerifierKey("demo/receipts", receiptKey.publicKey) },
    record: signedRecord,
    trustees: trustees.map((t, i) => ({ id: `t${i}`, name: `T${i}`, url: "http://t", ...t })),
  });
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

  it.each([
    [
      "no record",
      () =>
        deployment(
          [{ publicKey: key(a.publicKey), proofOfPossession: key(a.proofOfPossession) }],
          null,
        ),
      "deployment-incomplete",
    ],
    [
      "a record signed by another key",
      () =>
        deployment(
          [{ publicKey: key(a.publicKey), proofOfPossession: key(a.proofOfPossession) }],
          record(generateEd25519KeyPair().secretKey),
        ),
      "untrusted-deployment",
    ],
    [
      "a served trustee that is not the signed one",
      () =>
        deployment([{ publicKey: key(b.publicKey), proofOfPossession: key(b.proofOfPossession) }]),
      "untrusted-deployment",
    ],
  ])("refuses %s", async (_, answer, code) => {
    const err = await fetchDeployment({ baseUrl: "http://x", fetch: serve(answer()) }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ code });
  });

  it("refuses a registry key other than the pinned one", async () => {
    const answer = deployment([
      { publicKey: key(a.publicKey), proofOfPossession: key(a.proofOfPossession) },
    ]);
    const pinned = formatVerifierKey("demo/registry", generateEd25519KeyPair().publicKey);
    const err = await fetchDeployment(
      { baseUrl: "http://x", fetch: serve(answer) },
      { registryVerifierKey: pinned },
    ).catch((e) => e);
    expect(err).toMatchObject({ code: "untrusted-registry" });
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
