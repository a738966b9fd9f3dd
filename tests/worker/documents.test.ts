/**
 * Application documents in R2 (worker/src/venues/document-store.ts): uploads racing each other
 * leave exactly the object the database names, a refused or failed upload leaves none, and one
 * operator's documents stay within the deployment's quota — also when the uploads run at once.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { toHex } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../worker/src/app.ts";
import { type Deployment, loadDeployment } from "../../worker/src/config/deployment.ts";
import type { Env } from "../../worker/src/env.ts";
import {
  SWEEP_GRACE_SECONDS,
  saveDocument,
  sweepStray,
} from "../../worker/src/venues/document-store.ts";
import {
  type Application,
  applicationIn,
  makeAccount,
  ok,
  PDF,
  PNG,
  sampleApplication,
  signed,
  signedJson,
  statementFor,
  type TestDevice,
} from "./account-fixtures.ts";
import { BASE, expectProblem, resetDatabase } from "./helpers.ts";

beforeEach(resetDatabase);

/** A PDF that differs from every other one: its own bytes, its own digest. */
const pdf = (n: number) => new TextEncoder().encode(`%PDF-1.4\n% upload ${n}\n%%EOF\n`);

const objectsOf = async (venueId: string, kind: string) =>
  (await env.DOCUMENTS.list({ prefix: `venues/${venueId}/${kind}/` })).objects.map((o) => o.key);

const rowOf = (venueId: string, kind: string) =>
  env.DB.prepare(
    "SELECT object_key AS objectKey, sha256 FROM venue_documents WHERE venue_id = ? AND kind = ?",
  )
    .bind(venueId, kind)
    .first<{ objectKey: string; sha256: string }>();

const upload = (operator: TestDevice, venueId: string, body: Uint8Array, kind = "licence") =>
  signed(operator, "PUT", `/api/applications/${venueId}/documents/${kind}`, {
    body,
    contentType: "application/pdf",
  });

/** The same upload against a deployment with other document quotas. */
function uploadUnder(
  quota: Deployment["documents"],
  operator: TestDevice,
  venueId: string,
  body: Uint8Array,
  kind = "licence",
): Promise<Response> {
  const path = `/api/applications/${venueId}/documents/${kind}`;
  const deployment = { ...loadDeployment(env.LINTEL_DEPLOYMENT), documents: quota };
  const request = new Request(`${BASE}${path}`, {
    method: "PUT",
    headers: {
      "content-type": "application/pdf",
      "lintel-statement": statementFor(operator, "PUT", path, body),
      "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
    },
    body,
  });
  const local = { ...(env as unknown as Env), LINTEL_DEPLOYMENT: deployment } as Env;
  return Promise.resolve(createApp().fetch(request, local, createExecutionContext()));
}

async function draft(operator: TestDevice): Promise<Application> {
  return ok<Application>(
    await signedJson(operator, "POST", "/api/applications", sampleApplication()),
    201,
  );
}

describe("uploads racing each other", () => {
  it("six at once of a new document leave one object, the one the row names", async () => {
    const operator = await makeAccount("operator");
    const app = await draft(operator);
    const answers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((n) => upload(operator, app.id, pdf(n))),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const keys = await objectsOf(app.id, "licence");
    expect(keys).toHaveLength(1);
    expect((await rowOf(app.id, "licence"))?.objectKey).toBe(keys[0]);
    // What is served back is what the row describes.
    const served = await signedJson(
      operator,
      "GET",
      `/api/applications/${app.id}/documents/licence`,
    );
    const bytes = new Uint8Array(await served.arrayBuffer());
    const digest = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
    expect(digest).toBe((await rowOf(app.id, "licence"))?.sha256);
    const events = (await signedJson(operator, "GET", `/api/applications/${app.id}`).then((r) =>
      r.json(),
    )) as Application;
    expect(events.events.filter((e) => e.action === "uploaded-licence")).toHaveLength(
      statuses.filter((s) => s === 201).length,
    );
  });

  it("six at once replacing a document leave one object, the one the row names", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("draft", operator);
    const before = await objectsOf(app.id, "licence");
    expect(before).toHaveLength(1);
    const answers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((n) => upload(operator, app.id, pdf(n))),
    );
    for (const r of answers) {
      if (r.status !== 201) await expectProblem(r, 409, "wrong-state");
    }
    expect(answers.some((r) => r.status === 201)).toBe(true);
    const keys = await objectsOf(app.id, "licence");
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe(before[0]);
    expect((await rowOf(app.id, "licence"))?.objectKey).toBe(keys[0]);
    // The other document was not touched.
    expect(await objectsOf(app.id, "floor-plan")).toHaveLength(1);
  });

  it("an upload refused after its object was written (application submitted) leaves none", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("draft", operator);
    const kept = await objectsOf(app.id, "licence");
    // Submit while the uploads run: those that lose to it must leave nothing behind.
    const [submitted, ...uploads] = await Promise.all([
      signedJson(operator, "POST", `/api/applications/${app.id}/submit`),
      ...[0, 1, 2].map((n) => upload(operator, app.id, pdf(n))),
    ]);
    expect(submitted!.status).toBe(200);
    const wins = uploads.filter((r) => r.status === 201).length;
    for (const r of uploads) if (r.status !== 201) await expectProblem(r, 409, "wrong-state");
    const keys = await objectsOf(app.id, "licence");
    expect(keys).toHaveLength(1);
    expect((await rowOf(app.id, "licence"))?.objectKey).toBe(keys[0]);
    if (wins === 0) expect(keys).toEqual(kept);
  });

  // Which request reads first is up to the runtime; these two place the other upload exactly
  // between this one's read of the row and its guarded write: after its object is stored.
  for (const [what, existing] of [
    ["a new document", false],
    ["a replaced document", true],
  ] as const) {
    it(`loses ${what} cleanly to an upload landing between its read and its write`, async () => {
      const operator = await makeAccount("operator");
      const app = existing ? await applicationIn("draft", operator) : await draft(operator);
      const quota = loadDeployment(env.LINTEL_DEPLOYMENT).documents;
      const base = env as unknown as Env;
      const asUpload = (n: number) => ({
        venueId: app.id,
        operatorId: operator.accountId,
        actorId: operator.accountId,
        kind: "licence" as const,
        mediaType: "application/pdf",
        bytes: pdf(n),
      });
      let other: Promise<unknown> | undefined;
      const racing = {
        ...base,
        DOCUMENTS: {
          put: async (key: string, value: Uint8Array) => {
            const stored = await base.DOCUMENTS.put(key, value);
            other = saveDocument(base, asUpload(2), quota);
            await other;
            return stored;
          },
          delete: (keys: string | string[]) => base.DOCUMENTS.delete(keys),
          list: (options: R2ListOptions) => base.DOCUMENTS.list(options),
        } as unknown as R2Bucket,
      } as Env;
      const lost = await saveDocument(racing, asUpload(1), quota).catch((e: unknown) => e);
      expect(lost).toMatchObject({ code: "wrong-state" });
      await other;
      const keys = await objectsOf(app.id, "licence");
      expect(keys).toHaveLength(1);
      const row = await rowOf(app.id, "licence");
      expect(row?.objectKey).toBe(keys[0]);
      const winner = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", pdf(2))));
      expect(row?.sha256).toBe(winner);
    });
  }

  it("sweeps an object no row names once it is older than an upload can take", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("draft", operator);
    const stray = `venues/${app.id}/licence/left-by-a-crash`;
    await env.DOCUMENTS.put(stray, new Uint8Array([1, 2, 3]));
    const current = (await rowOf(app.id, "licence"))!.objectKey;
    const now = Math.floor(Date.now() / 1000);
    // Young: it may be an upload still running.
    expect(await sweepStray(env as unknown as Env, app.id, "licence", current, now)).toBe(0);
    expect(await objectsOf(app.id, "licence")).toContain(stray);
    const later = now + SWEEP_GRACE_SECONDS + 60;
    expect(await sweepStray(env as unknown as Env, app.id, "licence", current, later)).toBe(1);
    expect(await objectsOf(app.id, "licence")).toEqual([current]);
  });
});

describe("the operator's quota", () => {
  const MiB = 1024 * 1024;

  it("refuses the document over the count with quota-exceeded and stores nothing for it", async () => {
    const quota = { maxObjectsPerOperator: 3, maxBytesPerOperator: 40 * MiB };
    const operator = await makeAccount("operator");
    const first = await draft(operator);
    const second = await draft(operator);
    await ok(await uploadUnder(quota, operator, first.id, PDF), 201);
    await ok(await uploadUnder(quota, operator, first.id, PDF, "floor-plan"), 201);
    await ok(await uploadUnder(quota, operator, second.id, PDF), 201);
    const refused = await expectProblem(
      await uploadUnder(quota, operator, second.id, PDF, "floor-plan"),
      413,
      "quota-exceeded",
    );
    expect(refused).toMatchObject({ maxObjectsPerOperator: 3 });
    expect(await objectsOf(second.id, "floor-plan")).toEqual([]);
    expect(await rowOf(second.id, "floor-plan")).toBeNull();
    // Replacing a document counts once: still possible at the quota.
    await ok(await uploadUnder(quota, operator, first.id, pdf(7)), 201);
    expect(await objectsOf(first.id, "licence")).toHaveLength(1);
    // Another operator has a quota of their own.
    const other = await makeAccount("operator");
    await ok(await uploadUnder(quota, other, (await draft(other)).id, PDF), 201);
  });

  it("counts bytes over all the operator's applications", async () => {
    const quota = { maxObjectsPerOperator: 20, maxBytesPerOperator: 5 * MiB };
    const operator = await makeAccount("operator");
    const big = (n: number) => {
      const b = new Uint8Array(3 * MiB);
      b.set(pdf(n));
      return b;
    };
    const first = await draft(operator);
    const second = await draft(operator);
    await ok(await uploadUnder(quota, operator, first.id, big(1)), 201);
    await expectProblem(
      await uploadUnder(quota, operator, second.id, big(2)),
      413,
      "quota-exceeded",
    );
    expect(await objectsOf(second.id, "licence")).toEqual([]);
    // A replacement of the 3 MiB file by another 3 MiB file fits: the old one goes.
    await ok(await uploadUnder(quota, operator, first.id, big(3)), 201);
  });

  it("holds when the uploads run at once: exactly the quota's worth is kept", async () => {
    const quota = { maxObjectsPerOperator: 3, maxBytesPerOperator: 40 * MiB };
    const operator = await makeAccount("operator");
    const drafts = await Promise.all([0, 1, 2, 3, 4, 5].map(() => draft(operator)));
    const answers = await Promise.all(
      drafts.map((d, n) => uploadUnder(quota, operator, d.id, pdf(n))),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 413, 413, 413]);
    let stored = 0;
    for (const d of drafts) stored += (await objectsOf(d.id, "licence")).length;
    expect(stored).toBe(3);
  });
});

describe("an upload's answer", () => {
  it("names the kind, type, size and digest of what was stored", async () => {
    const operator = await makeAccount("operator");
    const app = await draft(operator);
    const res = await ok<{ kind: string; mediaType: string; size: number; sha256: string }>(
      await signed(operator, "PUT", `/api/applications/${app.id}/documents/floor-plan`, {
        body: PNG,
        contentType: "image/png",
      }),
      201,
    );
    expect(res).toMatchObject({ kind: "floor-plan", mediaType: "image/png", size: PNG.length });
    expect(res.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
