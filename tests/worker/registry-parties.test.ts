/**
 * Trustees and witnesses enrolled from the registry page: the public file their own tool writes
 * (`lintel-trustee-public/1`, `lintel-witness-public/1`) becomes the registry-signed enrolment
 * entry in the log, and a trustee's key share is published in GET /api/deployment. A refused
 * enrolment (a second one, a proof of possession of another key, a trustee the settings do not
 * name, a reviewer of partial scope) writes nothing, in D1 or in the log.
 */
import { env } from "cloudflare:workers";
import {
  decodeEntry,
  encodeBase64url,
  generateEd25519KeyPair,
  generateTrusteeKey,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { makeAccount, ok, signedJson, type TestDevice } from "./account-fixtures.ts";
import { call, expectProblem, resetDatabase } from "./helpers.ts";
import { deploymentLog, startDeploymentLog } from "./log-fixtures.ts";

/** A trustee's file whose proof of possession is of another key share than its own. */
function trusteeFile(id = "trustee-a") {
  return {
    format: "lintel-trustee-public/1",
    id,
    url: "https://trustee-a.example/trustee",
    shareKey: encodeBase64url(generateTrusteeKey().publicKey),
    proofOfPossession: encodeBase64url(generateTrusteeKey().proofOfPossession),
    signingKey: encodeBase64url(generateEd25519KeyPair().publicKey),
  };
}

const validTrusteeFile = (id = "trustee-a") => {
  const share = generateTrusteeKey();
  return {
    ...trusteeFile(id),
    shareKey: encodeBase64url(share.publicKey),
    proofOfPossession: encodeBase64url(share.proofOfPossession),
  };
};

const witnessFile = () => ({
  format: "lintel-witness-public/1",
  name: "witness.example/w1",
  url: "https://witness.example/witness",
  publicKey: encodeBase64url(generateEd25519KeyPair().publicKey),
});

async function logSize(): Promise<string> {
  return (await (await call("/log/checkpoint")).text()).split("\n")[1]!;
}

async function trusteeRows(): Promise<unknown[]> {
  return (
    await env.DB.prepare("SELECT id, public_key FROM principals WHERE role = 'trustee'").all()
  ).results;
}

let full: TestDevice;

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
  full = await makeAccount("registry");
});

describe("a trustee's public file", () => {
  it("is logged as a trustee-enrolment entry and its key share published", async () => {
    const file = validTrusteeFile();
    const { index } = await ok<{ index: string }>(
      await signedJson(full, "POST", "/api/registry/trustees", file),
      201,
    );
    const { entry } = decodeEntry((await deploymentLog().entryAt(BigInt(index)))!);
    expect(entry.body).toMatchObject({ kind: "trustee-enrolment", trusteeId: "trustee-a" });
    const deployment = await ok<{ trustees: Array<{ id: string; publicKey: string | null }> }>(
      await call("/api/deployment"),
    );
    expect(deployment.trustees.find((t) => t.id === "trustee-a")?.publicKey).toBe(file.shareKey);

    // A second enrolment of the same trustee: the log refuses it, nothing changes.
    const size = await logSize();
    const rows = await trusteeRows();
    await expectProblem(
      await signedJson(full, "POST", "/api/registry/trustees", validTrusteeFile()),
      422,
      "log-policy-violation",
    );
    expect(await logSize()).toBe(size);
    expect(await trusteeRows()).toEqual(rows);
  });

  it("with a proof of possession of another key is refused, and its published key undone", async () => {
    const size = await logSize();
    await expectProblem(
      await signedJson(full, "POST", "/api/registry/trustees", trusteeFile("trustee-b")),
      422,
      "log-policy-violation",
    );
    expect(await logSize()).toBe(size);
    expect(await trusteeRows()).toEqual([]);
  });

  it("of a trustee the deployment's settings do not name is refused", async () => {
    const size = await logSize();
    await expectProblem(
      await signedJson(full, "POST", "/api/registry/trustees", validTrusteeFile("trustee-z")),
      422,
      "invalid-body",
    );
    expect(await logSize()).toBe(size);
    expect(await trusteeRows()).toEqual([]);
  });

  it("is for reviewers of full scope only", async () => {
    const partial = await makeAccount("registry");
    await ok(
      await signedJson(full, "PUT", `/api/registry/accounts/${partial.accountId}/scope`, {
        districts: ["harbour"],
        sectors: null,
      }),
    );
    const size = await logSize();
    for (const [path, body] of [
      ["/api/registry/trustees", validTrusteeFile()],
      ["/api/registry/witnesses", witnessFile()],
    ] as const) {
      await expectProblem(await signedJson(partial, "POST", path, body), 403, "forbidden");
    }
    expect(await logSize()).toBe(size);
    expect(await trusteeRows()).toEqual([]);
  });
});

describe("a witness's public file", () => {
  it("is logged as a witness-enrolment entry, once", async () => {
    const file = witnessFile();
    const { index } = await ok<{ index: string }>(
      await signedJson(full, "POST", "/api/registry/witnesses", file),
      201,
    );
    expect(decodeEntry((await deploymentLog().entryAt(BigInt(index)))!).entry.body).toMatchObject({
      kind: "witness-enrolment",
      name: file.name,
    });
    const size = await logSize();
    await expectProblem(
      await signedJson(full, "POST", "/api/registry/witnesses", witnessFile()),
      422,
      "log-policy-violation",
    );
    expect(await logSize()).toBe(size);
  });
});
