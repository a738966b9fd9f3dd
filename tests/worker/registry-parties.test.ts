/**
 * Trustees and witnesses enrolled from the registry page: the public file their own tool writes
 * (`lintel-trustee-public/1`, `lintel-witness-public/1`) becomes the registry-signed enrolment
 * entry in the log, and a trustee's key share is published in GET /api/deployment. A refused
 * enrolment (a second one, a proof of possession of another key, a trustee the settings do not
 * name, a reviewer of partial scope) writes nothing, in D1 or in the log. And removed: a
 * `trustee-removal` / `witness-removal` entry, refused for a party not enrolled, for a trustee
 * the settings still name (every check-in is encrypted to it), and for a partial scope.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  decodeEntry,
  encodeBase64url,
  generateEd25519KeyPair,
  generateTrusteeKey,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import type { LogWriter } from "../../worker/src/log/writer.ts";
import { makeAccount, ok, signedJson, type TestDevice } from "./account-fixtures.ts";
import { call, expectProblem, resetDatabase } from "./helpers.ts";
import { deploymentLog, entry, registrySecret, startDeploymentLog } from "./log-fixtures.ts";

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

interface Parties {
  trustees: Array<{ id: string; name: string | null; required: boolean }>;
  witnesses: Array<{ name: string }>;
}

const parties = async (who: TestDevice) =>
  ok<Parties>(await signedJson(who, "GET", "/api/registry/parties"));

/**
 * A trustee the log enrols but the deployment's settings do not name (they dropped it), with its
 * share published as the genesis step would have: the only kind a removal may take out.
 */
async function droppedTrustee(id = "trustee-z") {
  const share = generateTrusteeKey();
  const appended = await deploymentLog().append([
    entry(
      {
        kind: "trustee-enrolment",
        trusteeId: id,
        url: "https://trustee-z.example/trustee",
        shareKey: share.publicKey,
        proofOfPossession: share.proofOfPossession,
        signingKey: generateEd25519KeyPair().publicKey,
      },
      [registrySecret()],
    ),
  ]);
  if (!appended.ok) throw new Error(appended.reason);
  await env.DB.prepare(
    "INSERT INTO principals (id, role, label, public_key, proof_of_possession) VALUES (?, 'trustee', ?, ?, ?)",
  )
    .bind(
      id,
      "Trustee Z",
      encodeBase64url(share.publicKey),
      encodeBase64url(share.proofOfPossession),
    )
    .run();
}

describe("removing a witness", () => {
  it("logs a witness-removal entry, once; a name not enrolled is not found", async () => {
    const file = witnessFile();
    await ok(await signedJson(full, "POST", "/api/registry/witnesses", file), 201);
    expect((await parties(full)).witnesses).toEqual([{ name: file.name }]);

    const { index } = await ok<{ index: string }>(
      await signedJson(full, "POST", "/api/registry/witness-removals", { name: file.name }),
      201,
    );
    const { entry: logged } = decodeEntry((await deploymentLog().entryAt(BigInt(index)))!);
    expect(logged.body).toEqual({ kind: "witness-removal", name: file.name });
    expect((await parties(full)).witnesses).toEqual([]);

    const size = await logSize();
    for (const name of [file.name, "witness.example/never"]) {
      await expectProblem(
        await signedJson(full, "POST", "/api/registry/witness-removals", { name }),
        404,
        "not-found",
      );
    }
    expect(await logSize()).toBe(size);
    // Enrolled again after its removal, as the policy allows.
    await ok(await signedJson(full, "POST", "/api/registry/witnesses", file), 201);
  });
});

describe("removing a trustee", () => {
  it("the deployment's settings name is refused: every check-in is encrypted to it", async () => {
    const file = validTrusteeFile("trustee-a");
    await ok(await signedJson(full, "POST", "/api/registry/trustees", file), 201);
    expect((await parties(full)).trustees).toEqual([
      { id: "trustee-a", name: expect.any(String), required: true },
    ]);
    const size = await logSize();
    const rows = await trusteeRows();
    await expectProblem(
      await signedJson(full, "POST", "/api/registry/trustee-removals", { trusteeId: "trustee-a" }),
      409,
      "trustee-required",
    );
    expect(await logSize()).toBe(size);
    expect(await trusteeRows()).toEqual(rows);
    const deployment = await ok<{ record: string | null; trustees: Array<{ id: string }> }>(
      await call("/api/deployment"),
    );
    expect(deployment.trustees.map((t) => t.id)).toContain("trustee-a");
  });

  it("the settings no longer name is logged as a trustee-removal, its published share gone", async () => {
    await droppedTrustee();
    expect((await parties(full)).trustees).toEqual([
      { id: "trustee-z", name: null, required: false },
    ]);
    const { index } = await ok<{ index: string }>(
      await signedJson(full, "POST", "/api/registry/trustee-removals", { trusteeId: "trustee-z" }),
      201,
    );
    const { entry: logged } = decodeEntry((await deploymentLog().entryAt(BigInt(index)))!);
    expect(logged.body).toEqual({ kind: "trustee-removal", trusteeId: "trustee-z" });
    expect((await parties(full)).trustees).toEqual([]);
    expect(await trusteeRows()).toEqual([]);

    // Not enrolled (any more, or ever): not found, nothing logged.
    const size = await logSize();
    for (const trusteeId of ["trustee-z", "trustee-b", "log"]) {
      await expectProblem(
        await signedJson(full, "POST", "/api/registry/trustee-removals", { trusteeId }),
        404,
        "not-found",
      );
    }
    expect(await logSize()).toBe(size);
  });

  it("whose removal the log refuses keeps its published share", async () => {
    // A published share of a trustee the log never enrolled, and a writer that (as if another
    // removal had just been logged) still lists it: the service's check passes, the log's
    // policy refuses the entry, and the share taken away for it is put back.
    await env.DB.prepare(
      "INSERT INTO principals (id, role, label, public_key, proof_of_possession) VALUES ('trustee-z', 'trustee', 'Trustee Z', ?, ?)",
    )
      .bind(
        encodeBase64url(generateTrusteeKey().publicKey),
        encodeBase64url(generateTrusteeKey().proofOfPossession),
      )
      .run();
    const rows = await trusteeRows();
    // RPC calls reach the class's own methods, so the stand-in goes on its prototype.
    let listed: LogWriter["parties"] | undefined;
    await runInDurableObject(deploymentLog(), (writer: LogWriter) => {
      const proto = Object.getPrototypeOf(writer) as LogWriter;
      listed = proto.parties;
      proto.parties = () => ({ trustees: ["trustee-z"], witnesses: [] });
    });
    try {
      const size = await logSize();
      await expectProblem(
        await signedJson(full, "POST", "/api/registry/trustee-removals", {
          trusteeId: "trustee-z",
        }),
        422,
        "log-policy-violation",
      );
      expect(await logSize()).toBe(size);
      expect(await trusteeRows()).toEqual(rows);
    } finally {
      await runInDurableObject(deploymentLog(), (writer: LogWriter) => {
        if (listed) (Object.getPrototypeOf(writer) as LogWriter).parties = listed;
      });
    }
  });
});

describe("removals", () => {
  it("are for reviewers of full scope only, and for registry devices only", async () => {
    const file = witnessFile();
    await ok(await signedJson(full, "POST", "/api/registry/witnesses", file), 201);
    await droppedTrustee();
    const partial = await makeAccount("registry");
    await ok(
      await signedJson(full, "PUT", `/api/registry/accounts/${partial.accountId}/scope`, {
        districts: null,
        sectors: ["health"],
      }),
    );
    const officer = await makeAccount("officer");
    const size = await logSize();
    const rows = await trusteeRows();
    for (const [path, body] of [
      ["/api/registry/trustee-removals", { trusteeId: "trustee-z" }],
      ["/api/registry/witness-removals", { name: file.name }],
    ] as const) {
      await expectProblem(await signedJson(partial, "POST", path, body), 403, "forbidden");
      await expectProblem(await signedJson(officer, "POST", path, body), 403, "forbidden");
    }
    expect(await logSize()).toBe(size);
    expect(await trusteeRows()).toEqual(rows);
  });
});
