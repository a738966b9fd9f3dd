/**
 * The venue lifecycle through the API: apply with documents → reject with feedback → edit and
 * resubmit → approve → codes issued; replacing a code; uploads refused by size and type;
 * untrusted names kept as text and exported safely; contact data sealed at rest.
 */

import { env, exports } from "cloudflare:workers";
import {
  decodeBase32,
  decodeEntry,
  decodeEntryBundle,
  ed25519PublicKey,
  encodeBase64url,
  formatVerifierKey,
  type LogEntry,
  parseCodeUrl,
  parseVerifierKey,
  registryKeyName,
  verifyVenueCode,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type Application,
  applicationIn,
  makeAccount,
  newKey,
  ok,
  PDF,
  PNG,
  sampleApplication,
  signed,
  signedJson,
  statementFor,
} from "./account-fixtures.ts";
import { call, count, expectProblem, postJson, resetDatabase } from "./helpers.ts";
import {
  deploymentLog,
  ensureLogStarted,
  genesis,
  registrySecret,
  startDeploymentLog,
  wipeDeploymentLog,
} from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

interface Codes {
  codes: Array<{ entranceId: string; version: number; url: string; manualCode: string }>;
}

const registryKey = () =>
  parseVerifierKey(formatVerifierKey(registryKeyName("demo"), ed25519PublicKey(registrySecret())));

describe("applying, review and approval", () => {
  it("walks draft → submitted → rejected → resubmitted → approved, recording who and when", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry", { label: "Reviewer 7" });
    const rejected = await applicationIn("rejected", operator, registry);
    expect(rejected.status).toBe("rejected");
    expect(rejected.feedback).toBe("Licence is unreadable");

    // The operator sees the feedback, fixes the entrance list and a new licence, resubmits.
    const seen = await ok<Application>(
      await signedJson(operator, "GET", `/api/applications/${rejected.id}`),
    );
    expect(seen.feedback).toBe("Licence is unreadable");
    const [front] = seen.entrances;
    const edited = await ok<Application>(
      await signedJson(operator, "PUT", `/api/applications/${rejected.id}`, {
        ...sampleApplication(),
        entrances: [
          { id: front!.id, label: { en: "Front door", zh: "前门" } },
          { label: { en: "Side", zh: "侧门" } },
        ],
      }),
    );
    expect(edited.entrances.map((e) => e.label.en)).toEqual(["Front door", "Side"]);
    expect(edited.entrances[0]!.id).toBe(front!.id);
    await ok(
      await signed(operator, "PUT", `/api/applications/${rejected.id}/documents/licence`, {
        body: PDF,
        contentType: "application/pdf",
      }),
      201,
    );
    await ok(await signedJson(operator, "POST", `/api/applications/${rejected.id}/submit`));
    const approved = await ok<Application>(
      await signedJson(registry, "POST", `/api/registry/applications/${rejected.id}/approve`),
    );
    expect(approved.status).toBe("approved");
    expect(approved.feedback).toBeNull();
    expect(approved.events.map((e) => e.action)).toEqual([
      "created",
      "uploaded-licence",
      "uploaded-floor-plan",
      "submitted",
      "rejected",
      "edited",
      "uploaded-licence",
      "submitted",
      "approved",
    ]);
    const rejection = approved.events.find((e) => e.action === "rejected");
    expect(rejection).toMatchObject({
      actorId: registry.accountId,
      detail: "Licence is unreadable",
    });
    expect(approved.events.every((e) => e.at > 0)).toBe(true);

    // One signed code per entrance, verifying against the registry key.
    const codes = await ok<Codes>(
      await signedJson(operator, "GET", `/api/venues/${approved.id}/codes`),
    );
    expect(codes.codes.map((c) => c.entranceId)).toEqual(approved.entrances.map((e) => e.id));
    for (const code of codes.codes) {
      const decoded = verifyVenueCode(parseCodeUrl(code.url).code, {
        registry: registryKey(),
        now: new Date(),
        deployment: "demo",
      });
      expect(decoded.code).toMatchObject({
        venueId: approved.id,
        entranceId: code.entranceId,
        codeVersion: 1,
      });
      // Every name in both languages, as the operator typed it: a page shows the one its reader
      // chose, and only what the registry signed.
      expect(decoded.code.venueName).toEqual(approved.name);
      const door = approved.entrances.find((e) => e.id === code.entranceId);
      expect(decoded.code.entranceName).toEqual(door?.label);
    }
    // Approved venues are public; drafts never were.
    expect((await call(`/api/venues/${approved.id}`)).status).toBe(200);
  });

  it("allows no edits after submission, no double decisions, and no submission without documents", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    const draft = await ok<Application>(
      await signedJson(operator, "POST", "/api/applications", sampleApplication()),
      201,
    );
    const incomplete = await signedJson(operator, "POST", `/api/applications/${draft.id}/submit`);
    const problem = await expectProblem(incomplete, 422, "application-incomplete");
    expect((problem as unknown as { missing: string[] }).missing).toEqual([
      "licence",
      "floor-plan",
    ]);
    await expectProblem(
      await signedJson(registry, "POST", `/api/registry/applications/${draft.id}/approve`),
      409,
      "wrong-state",
    );
    const submitted = await applicationIn("submitted", operator, registry);
    await expectProblem(
      await signedJson(operator, "PUT", `/api/applications/${submitted.id}`, sampleApplication()),
      409,
      "wrong-state",
    );
    const [a, b] = await Promise.all([
      signedJson(registry, "POST", `/api/registry/applications/${submitted.id}/approve`),
      signedJson(registry, "POST", `/api/registry/applications/${submitted.id}/reject`, {
        feedback: "no",
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const events = await env.DB.prepare(
      "SELECT action FROM venue_events WHERE venue_id = ? AND action IN ('approved', 'rejected')",
    )
      .bind(submitted.id)
      .all();
    expect(events.results).toHaveLength(1);
  });

  it("refuses an approval whose code would not fit a poster QR, writing nothing", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    // The largest names the format allows, served from a long origin: the URL in the QR then
    // needs more than version 13 (PROTOCOL.md §3.3).
    const app = await applicationIn("submitted", operator, registry, {
      ...sampleApplication(),
      name: { en: "x", zh: "一二三四五六七八九十一二三四五六七八九十" },
      entrances: [{ label: { en: "a", zh: "一二三四五六七八九十" } }],
    });
    const path = `/api/registry/applications/${app.id}/approve`;
    const res = await exports.default.fetch(
      new Request(`https://check-in.${"long-subdomain.".repeat(12)}example.org${path}`, {
        method: "POST",
        headers: { "lintel-statement": statementFor(registry, "POST", path, new Uint8Array()) },
      }),
    );
    await expectProblem(res, 422, "code-too-large");
    expect(await count("entrance_codes")).toBe(0);
    const row = await env.DB.prepare("SELECT status FROM venues WHERE id = ?").bind(app.id).first();
    expect(row).toEqual({ status: "submitted" });
  });

  it("refuses names no poster code could carry when the application is saved, writing nothing", async () => {
    const operator = await makeAccount("operator");
    // Each name at its byte limit: the format takes them, but together with the ids and the
    // signature the code URL needs a larger QR than a poster carries (PROTOCOL.md §3.3).
    const tooLong = sampleApplication({
      name: { en: "V".repeat(60), zh: "一二三四五六七八九十一二三四五六七八九十" },
      entrances: [{ label: { en: "E".repeat(30), zh: "一二三四五六七八九十" } }],
    });
    const refused = await signedJson(operator, "POST", "/api/applications", tooLong);
    const problem = await expectProblem(refused, 422, "code-too-large");
    expect(problem.detail).toContain("entrance 1");
    expect(await count("venues")).toBe(0);
    expect(await count("entrances")).toBe(0);

    const draft = await applicationIn("draft", operator);
    const edit = await signedJson(operator, "PUT", `/api/applications/${draft.id}`, tooLong);
    await expectProblem(edit, 422, "code-too-large");
    const kept = await ok<Application>(
      await signedJson(operator, "GET", `/api/applications/${draft.id}`),
    );
    expect(kept.name).toEqual(sampleApplication().name);
    expect(kept.entrances.map((e) => e.label)).toEqual(draft.entrances.map((e) => e.label));

    // Shorter English names fit: the limit is on the four names together.
    const fitting = sampleApplication({
      name: { en: "V".repeat(40), zh: "一二三四五六七八九十一二三四五六七八九十" },
      entrances: [{ label: { en: "E".repeat(20), zh: "一二三四五六" } }],
    });
    await ok(await signedJson(operator, "POST", "/api/applications", fitting), 201);
  });

  it("undoes an approval whose entrances the log refuses to issue: no codes, still submitted", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    const app = await applicationIn("submitted", operator, registry);
    // A log without its deployment entry takes no registry entry: the issuance is refused.
    await wipeDeploymentLog();
    await expectProblem(
      await signedJson(registry, "POST", `/api/registry/applications/${app.id}/approve`),
      422,
      "log-policy-violation",
    );
    expect(await count("entrance_codes")).toBe(0);
    const row = await env.DB.prepare("SELECT status FROM venues WHERE id = ?").bind(app.id).first();
    expect(row).toEqual({ status: "submitted" });
    const events = await env.DB.prepare(
      "SELECT action FROM venue_events WHERE venue_id = ? AND action = 'approved'",
    )
      .bind(app.id)
      .all();
    expect(events.results).toHaveLength(0);
    // With the log started, the same approval goes through and logs every entrance.
    expect((await deploymentLog().append([genesis()])).ok).toBe(true);
    await ok(await signedJson(registry, "POST", `/api/registry/applications/${app.id}/approve`));
    expect((await deploymentLog().status()).size).toBe(String(1 + app.entrances.length));
  });
});

describe("documents", () => {
  it("refuses wrong types, mismatched signatures and files over 5 MiB, and keeps nothing", async () => {
    const operator = await makeAccount("operator");
    const draft = await ok<Application>(
      await signedJson(operator, "POST", "/api/applications", sampleApplication()),
      201,
    );
    const path = `/api/applications/${draft.id}/documents/licence`;
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    await expectProblem(
      await signed(operator, "PUT", path, { body: html, contentType: "text/html" }),
      415,
      "unsupported-document",
    );
    await expectProblem(
      await signed(operator, "PUT", path, { body: html, contentType: "application/pdf" }),
      415,
      "unsupported-document",
    );
    await expectProblem(
      await signed(operator, "PUT", path, { body: PNG, contentType: "application/pdf" }),
      415,
      "unsupported-document",
    );
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PDF);
    await expectProblem(
      await signed(operator, "PUT", path, { body: big, contentType: "application/pdf" }),
      413,
      "payload-too-large",
    );
    await expectProblem(
      await signed(operator, "PUT", `/api/applications/${draft.id}/documents/passport`, {
        body: PDF,
        contentType: "application/pdf",
      }),
      404,
      "not-found",
    );
    expect(await count("venue_documents")).toBe(0);
    expect((await env.DOCUMENTS.list({ prefix: `venues/${draft.id}/` })).objects).toHaveLength(0);
  });

  it("stores documents sealed, serves them back as attachments, and replaces old objects", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("draft", operator);
    const objects = (await env.DOCUMENTS.list({ prefix: `venues/${app.id}/` })).objects;
    expect(objects).toHaveLength(2);
    for (const o of objects) {
      const stored = new Uint8Array(await (await env.DOCUMENTS.get(o.key))!.arrayBuffer());
      expect(new TextDecoder().decode(stored)).not.toContain("%PDF");
    }
    const res = await signedJson(operator, "GET", `/api/applications/${app.id}/documents/licence`);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="licence.pdf"');
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
    await ok(
      await signed(operator, "PUT", `/api/applications/${app.id}/documents/licence`, {
        body: PNG,
        contentType: "image/png",
      }),
      201,
    );
    expect((await env.DOCUMENTS.list({ prefix: `venues/${app.id}/` })).objects).toHaveLength(2);
  });

  it("keeps the contact person and phone only as ciphertext", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("draft", operator);
    expect(app.contact).toEqual({ person: "Chan Tai Man", phone: "+852 5555 0100" });
    const dump = JSON.stringify((await env.DB.prepare("SELECT * FROM venues").all()).results);
    expect(dump).not.toContain("Chan Tai Man");
    expect(dump).not.toContain("5555");
  });
});

describe("untrusted names", () => {
  it("keeps markup and formulas as typed, and exports them as inert CSV text", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    await applicationIn("submitted", operator, registry, {
      ...sampleApplication(),
      name: { en: '=HYPERLINK("http://evil.example","x")', zh: "<b>茶馆</b>" },
      address: "+1 Harbour Road",
    });
    const list = await ok<{ applications: Array<{ name: { en: string; zh: string } }> }>(
      await signedJson(registry, "GET", "/api/registry/applications?status=submitted"),
    );
    expect(list.applications[0]!.name).toEqual({
      en: '=HYPERLINK("http://evil.example","x")',
      zh: "<b>茶馆</b>",
    });
    const csvRes = await signedJson(registry, "GET", "/api/registry/venues.csv");
    expect(csvRes.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csv = await csvRes.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(`"<b>茶馆</b>"`);
    expect(csv).toContain(`"'+1 Harbour Road"`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
  });
});

describe("replacing a code", () => {
  it("bumps the version, refuses the old code with code-replaced, and logs the revocation", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("approved", operator);
    const before = await ok<Codes>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
    );
    const old = before.codes[0]!;
    const oldFragment = old.url.slice(old.url.indexOf("#") + 1);
    await ok(await postJson("/api/codes/check", { code: oldFragment }));

    const replaced = await ok<{ version: number; url: string; manualCode: string }>(
      await signedJson(
        operator,
        "POST",
        `/api/venues/${app.id}/entrances/${old.entranceId}/replace-code`,
        {
          reason: "photographed",
        },
      ),
      201,
    );
    expect(replaced.version).toBe(2);
    await expectProblem(
      await postJson("/api/codes/check", { code: oldFragment }),
      410,
      "code-replaced",
    );
    await expectProblem(
      await postJson("/api/codes/manual", { code: old.manualCode }),
      410,
      "code-replaced",
    );
    const fresh = await ok<{ entranceId: string; version: number }>(
      await postJson("/api/codes/check", {
        code: replaced.url.slice(replaced.url.indexOf("#") + 1),
      }),
    );
    expect(fresh).toMatchObject({ entranceId: old.entranceId, version: 2 });
    // The other entrance's code is untouched.
    const other = before.codes[1]!;
    await ok(
      await postJson("/api/codes/check", { code: other.url.slice(other.url.indexOf("#") + 1) }),
    );

    // Approval logged each entrance's issuance (entries 1…), and the revocation follows: all
    // registry-signed entries in the transparency log.
    const size = 2 + before.codes.length;
    const bundle = await call(`/log/tile/entries/000.p/${size}`);
    expect(bundle.status).toBe(200);
    const entries = decodeEntryBundle(new Uint8Array(await bundle.arrayBuffer()), size);
    expect(entries.slice(1, -1).map((e) => (decodeEntry(e).entry as LogEntry).body)).toEqual(
      before.codes.map((c) => ({
        kind: "entrance-issued",
        venueId: app.id,
        entranceId: c.entranceId,
      })),
    );
    const entry = decodeEntry(entries[size - 1]!).entry as LogEntry;
    expect(entry.body).toEqual({
      kind: "code-replacement",
      venueId: app.id,
      entranceId: old.entranceId,
      newVersion: 2,
      reason: "photographed",
    });
    expect(entry.signatures[0]!.publicKey).toEqual(ed25519PublicKey(registrySecret()));
  });

  it("tells a forged or foreign code apart from a replaced one", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("approved", operator);
    const { codes } = await ok<Codes>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
    );
    const signedCode = decodeBase32(codes[0]!.url.slice(codes[0]!.url.indexOf("#") + 1));
    signedCode[signedCode.length - 1]! ^= 1;
    const { encodeBase32 } = await import("@lintel/protocol");
    await expectProblem(
      await postJson("/api/codes/check", { code: encodeBase32(signedCode) }),
      422,
      "invalid-code",
    );
    await expectProblem(
      await postJson("/api/codes/check", { code: "not base32!" }),
      422,
      "invalid-code",
    );
  });
});

describe("public reports and the registry inbox", () => {
  it("takes ten reports an hour from one network, then 429, and the registry works the inbox", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry", { label: "Reviewer 9" });
    const app = await applicationIn("approved", operator, registry);
    const report = () =>
      call("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.10" },
        body: JSON.stringify({
          venueId: app.id,
          entranceId: app.entrances[0]!.id,
          kind: "code-damaged",
        }),
      });
    for (let i = 0; i < 10; i++) expect((await report()).status).toBe(201);
    await expectProblem(await report(), 429, "rate-limited");
    expect(await count("reports")).toBe(10);

    const inbox = await ok<{
      reports: Array<{ id: string; kind: string; venue: { id: string }; count: number }>;
    }>(await signedJson(registry, "GET", "/api/registry/reports?status=open"));
    // Ten reports of the same thing at the same door: one in the inbox, counted ten times.
    expect(inbox.reports).toHaveLength(1);
    expect(inbox.reports[0]!.count).toBe(10);
    const first = inbox.reports[0]!;
    expect(first).toMatchObject({ kind: "code-damaged", venue: { id: app.id } });
    await ok(
      await signedJson(registry, "PATCH", `/api/registry/reports/${first.id}`, {
        status: "closed",
      }),
    );
    const closed = await ok<{ reports: Array<{ id: string; handledBy: string }> }>(
      await signedJson(registry, "GET", "/api/registry/reports?status=closed"),
    );
    expect(closed.reports).toEqual([
      expect.objectContaining({ id: first.id, handledBy: "Reviewer 9" }),
    ]);
    await expectProblem(
      await signedJson(registry, "GET", "/api/registry/reports?status=lost"),
      422,
      "invalid-body",
    );
    await expectProblem(
      await signedJson(registry, "PATCH", `/api/registry/reports/${first.id}`, { status: "gone" }),
      422,
      "invalid-body",
    );
    await expectProblem(
      await signedJson(registry, "PATCH", "/api/registry/reports/no-such-report", {
        status: "closed",
      }),
      404,
      "not-found",
    );
  });
});

describe("running a venue", () => {
  it("enrols staff with a one-time code, bound to their entrances, and disables them", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("approved", operator);
    const [front] = app.entrances;
    const created = await ok<{ accountId: string; enrolmentCode: string }>(
      await signedJson(operator, "POST", `/api/venues/${app.id}/staff`, {
        label: "Front desk",
        entranceIds: [front!.id],
      }),
      201,
    );
    const key = newKey();
    await ok(
      await signedJson(key, "POST", "/api/auth/enrol", {
        code: created.enrolmentCode,
        publicKey: encodeBase64url(key.publicKey),
      }),
      201,
    );
    const mine = await ok<{ entrances: Array<{ id: string }> }>(
      await signedJson(key, "GET", "/api/staff/entrances"),
    );
    expect(mine.entrances.map((e) => e.id)).toEqual([front!.id]);
    const list = await ok<{ staff: Array<{ accountId: string; enrolled: boolean }> }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/staff`),
    );
    expect(list.staff).toEqual([
      expect.objectContaining({ accountId: created.accountId, enrolled: true }),
    ]);
    // An entrance of another venue cannot be given to staff.
    const other = await applicationIn("approved", operator);
    await expectProblem(
      await signedJson(operator, "POST", `/api/venues/${app.id}/staff`, {
        label: "x",
        entranceIds: [other.entrances[0]!.id],
      }),
      404,
      "not-found",
    );
    expect(
      (await signedJson(operator, "DELETE", `/api/venues/${app.id}/staff/${created.accountId}`))
        .status,
    ).toBe(204);
    await expectProblem(await signedJson(key, "GET", "/api/staff/entrances"), 401, "bad-statement");
  });

  it("lists a staff member's entrances in the operator's order, not by id or name", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    const three = ["Main", "Lane", "Yard"].map((en) => ({ label: { en, zh: en } }));
    const draft = await applicationIn(
      "draft",
      operator,
      registry,
      sampleApplication({ entrances: three }),
    );
    // The operator puts the doors in an order that is neither the ids' nor the names'.
    const byIdDescending = draft.entrances.map((e) => e.id).sort((a, b) => b.localeCompare(a));
    const order = ["Side gate", "Back lane", "Main entrance"];
    const edited = await ok<Application>(
      await signedJson(operator, "PUT", `/api/applications/${draft.id}`, {
        ...sampleApplication(),
        entrances: byIdDescending.map((id, i) => ({ id, label: { en: order[i], zh: "门" } })),
      }),
    );
    expect(edited.entrances.map((e) => e.id)).toEqual(byIdDescending);
    await ok(await signedJson(operator, "POST", `/api/applications/${draft.id}/submit`));
    await ensureLogStarted();
    await ok(await signedJson(registry, "POST", `/api/registry/applications/${draft.id}/approve`));
    const staff = await makeAccount("staff", {
      venueId: draft.id,
      entrances: [...byIdDescending].reverse(),
    });
    const mine = await ok<{ entrances: Array<{ id: string; label: { en: string } }> }>(
      await signedJson(staff, "GET", "/api/staff/entrances"),
    );
    expect(mine.entrances.map((e) => e.id)).toEqual(byIdDescending);
    expect(mine.entrances.map((e) => e.label.en)).toEqual(order);

    // Bound to one door, the staff member still knows every entrance of the venue (a pass from
    // the next door is this venue's), and none of another venue.
    const oneDoor = await makeAccount("staff", {
      venueId: draft.id,
      entrances: [byIdDescending[0]!],
    });
    const other = await applicationIn("approved", await makeAccount("operator"));
    const seen = await ok<{
      entrances: Array<{ id: string }>;
      venueEntrances: Array<{ id: string; label: { en: string } }>;
    }>(await signedJson(oneDoor, "GET", "/api/staff/entrances"));
    expect(seen.entrances.map((e) => e.id)).toEqual([byIdDescending[0]]);
    expect(seen.venueEntrances.map((e) => e.id)).toEqual(byIdDescending);
    expect(seen.venueEntrances.map((e) => e.label.en)).toEqual(order);
    for (const e of other.entrances) {
      expect(seen.venueEntrances.map((v) => v.id)).not.toContain(e.id);
    }
  });

  it("gives each entrance and code version its own kiosk secret", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("approved", operator);
    const [a, b] = app.entrances;
    const first = await ok<{ kioskSecret: string }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/entrances/${a!.id}/kiosk`),
    );
    const other = await ok<{ kioskSecret: string }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/entrances/${b!.id}/kiosk`),
    );
    expect(first.kioskSecret).not.toBe(other.kioskSecret);
    await ok(
      await signedJson(operator, "POST", `/api/venues/${app.id}/entrances/${a!.id}/replace-code`, {
        reason: "leaked",
      }),
      201,
    );
    const after = await ok<{ kioskSecret: string; version: number }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/entrances/${a!.id}/kiosk`),
    );
    expect(after.version).toBe(2);
    expect(after.kioskSecret).not.toBe(first.kioskSecret);
  });
});

describe("multi-line text", () => {
  it("keeps line breaks in feedback and addresses, and refuses other control characters", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    const app = await applicationIn("submitted", operator, registry, {
      ...sampleApplication(),
      address: "1 Harbour Road\r\nKowloon",
    });
    const rejected = await ok<Application & { address: string }>(
      await signedJson(registry, "POST", `/api/registry/applications/${app.id}/reject`, {
        feedback: "Line one.\nLine two.",
      }),
    );
    expect(rejected.feedback).toBe("Line one.\nLine two.");
    expect(rejected.address).toBe("1 Harbour Road\nKowloon");
    await expectProblem(
      await signedJson(operator, "PUT", `/api/applications/${app.id}`, {
        ...sampleApplication(),
        address: "1 Harbour Road\u0007",
      }),
      422,
      "invalid-body",
    );
    const res = await signedJson(operator, "GET", "/api/applications");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("replacement safety", () => {
  it("undoes a replacement the log cannot take, and stops at ten a day per entrance", async () => {
    const operator = await makeAccount("operator");
    const app = await applicationIn("approved", operator);
    const { codes } = await ok<Codes>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/codes`),
    );
    const door = codes[0]!;
    const replace = () =>
      signedJson(
        operator,
        "POST",
        `/api/venues/${app.id}/entrances/${door.entranceId}/replace-code`,
        {
          reason: "damaged",
        },
      );
    // An empty log refuses a code-replacement as its first entry: the claim must be undone.
    await wipeDeploymentLog();
    await expectProblem(await replace(), 422, "log-policy-violation");
    await ok(
      await postJson("/api/codes/check", { code: door.url.slice(door.url.indexOf("#") + 1) }),
    );
    const after = await ok<Codes>(await signedJson(operator, "GET", `/api/venues/${app.id}/codes`));
    expect(after.codes[0]).toMatchObject({ version: 1, url: door.url });

    const restarted = await deploymentLog().append([genesis()]);
    expect(restarted.ok).toBe(true);
    for (let i = 0; i < 10; i++) expect((await replace()).status).toBe(201);
    await expectProblem(await replace(), 429, "rate-limited");
  });
});

describe("guarded application writes", () => {
  it("change nothing once the application left draft/rejected, whatever was read before", async () => {
    const { applicationWrites, entrancesOf } = await import(
      "../../worker/src/venues/application-store.ts"
    );
    const operator = await makeAccount("operator");
    const draft = await applicationIn("draft", operator);
    const existing = await entrancesOf(env.DB, draft.id);
    // A submission lands between the edit's read and its write.
    await env.DB.prepare("UPDATE venues SET status = 'submitted' WHERE id = ?")
      .bind(draft.id)
      .run();
    const writes = await applicationWrites(
      env,
      draft.id,
      { ...sampleApplication(), entrances: [{ label: { en: "New", zh: "新" } }] } as never,
      existing,
      Math.floor(Date.now() / 1000),
    );
    const results = await env.DB.batch(writes);
    expect(results.map((r) => r.meta.changes)).toEqual(results.map(() => 0));
    const doors = await entrancesOf(env.DB, draft.id);
    expect(doors.map((d) => d.labelEn)).toEqual(["Front", "Back"]);
  });
});
