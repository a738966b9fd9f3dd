/**
 * The registry's supervision of approved venues (worker/src/routes/supervision.ts): a suspended
 * venue's codes are refused at check-in with their own problem and accepted again after
 * reinstatement; each change is a registry-signed entry in the log, and a change the log refuses
 * is undone.
 */
import { env } from "cloudflare:workers";
import { decodeEntry, ed25519PublicKey, LogPolicy } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { type Application, makeAccount, ok, signedJson } from "./account-fixtures.ts";
import { approvedVenue, body, checkIn, fragment } from "./checkin-fixtures.ts";
import { expectProblem, postJson, resetDatabase } from "./helpers.ts";
import {
  deploymentLog,
  genesis,
  registrySecret,
  startDeploymentLog,
  wipeDeploymentLog,
} from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

async function loggedEntries() {
  const { size } = await deploymentLog().status();
  const entries = [];
  for (let i = 0n; i < BigInt(size); i++) entries.push((await deploymentLog().entryAt(i))!);
  return entries;
}

const suspend = (
  registry: Parameters<typeof signedJson>[0],
  id: string,
  reason = "inspection-failed",
) => signedJson(registry, "POST", `/api/registry/venues/${id}/suspend`, { reason });
const reinstate = (registry: Parameters<typeof signedJson>[0], id: string) =>
  signedJson(registry, "POST", `/api/registry/venues/${id}/reinstate`);

describe("suspending a venue", () => {
  it("refuses its codes until it is reinstated, each change a registry-signed log entry", async () => {
    const { app, codes, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const code = fragment(codes[0]!.url);
    await ok(await checkIn(body(code)), 201);

    const suspended = await ok<Application & { suspension: string | null }>(
      await suspend(registry, app.id),
    );
    expect(suspended.status).toBe("suspended");
    expect(suspended.suspension).toBe("inspection-failed");
    // Every entrance's code, by check-in, by the code check and by the typed manual code.
    for (const c of codes) {
      await expectProblem(await checkIn(body(fragment(c.url))), 409, "venue-suspended");
      await expectProblem(
        await postJson("/api/codes/check", { code: fragment(c.url) }),
        409,
        "venue-suspended",
      );
    }
    // The operator sees why.
    const operatorView = await ok<Application & { suspension: string | null }>(
      await signedJson(operator, "GET", `/api/applications/${app.id}`),
    );
    expect(operatorView.suspension).toBe("inspection-failed");
    expect(operatorView.events.at(-1)).toMatchObject({
      action: "suspended",
      detail: "inspection-failed",
    });

    const back = await ok<Application & { suspension: string | null }>(
      await reinstate(registry, app.id),
    );
    expect(back.status).toBe("approved");
    expect(back.suspension).toBeNull();
    await ok(await checkIn(body(code)), 201);

    // The log holds both changes, signed by the registry alone, and its policy agrees.
    const entries = await loggedEntries();
    const kinds = entries.map((e) => decodeEntry(e).entry.body);
    expect(kinds.slice(-2)).toEqual([
      { kind: "venue-suspension", venueId: app.id, reason: "inspection-failed" },
      { kind: "venue-reinstatement", venueId: app.id },
    ]);
    const policy = new LogPolicy(ed25519PublicKey(registrySecret()));
    for (const e of entries) policy.apply(e);
    expect(policy.suspension(app.id)).toBeUndefined();
  });

  it("is the registry's alone, once at a time, and only of an approved venue", async () => {
    const { app, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    await expectProblem(await suspend(operator, app.id), 403, "forbidden");
    await expectProblem(await reinstate(registry, app.id), 409, "wrong-state");
    await expectProblem(await suspend(registry, app.id, "bored"), 422, "invalid-body");
    await ok(await suspend(registry, app.id, "closed"));
    await expectProblem(await suspend(registry, app.id), 409, "wrong-state");
    await expectProblem(await reinstate(operator, app.id), 403, "forbidden");
    await expectProblem(await suspend(registry, "v-000000000000"), 404, "not-found");
    const draft = await ok<Application>(
      await signedJson(operator, "POST", "/api/applications", {
        name: { en: "Draft", zh: "草稿" },
        address: "1 Road",
        category: "shop",
        contact: { person: "A", phone: "+852 5555 0100" },
        entrances: [{ label: { en: "Door", zh: "门" } }],
      }),
      201,
    );
    await expectProblem(await suspend(registry, draft.id), 409, "wrong-state");
  });

  it("undoes a suspension the log refuses: still approved, codes still check people in", async () => {
    const { app, codes } = await approvedVenue();
    const registry = await makeAccount("registry");
    await wipeDeploymentLog();
    await expectProblem(await suspend(registry, app.id), 422, "log-policy-violation");
    const row = await env.DB.prepare(
      "SELECT status, suspension_reason AS reason FROM venues WHERE id = ?",
    )
      .bind(app.id)
      .first();
    expect(row).toEqual({ status: "approved", reason: null });
    expect((await deploymentLog().append([genesis()])).ok).toBe(true);
    await ok(await postJson("/api/codes/check", { code: fragment(codes[0]!.url) }));
  });
});

interface Order {
  id: string;
  venueId: string;
  findings: string;
  deadline: number;
  state: string;
  answer: string | null;
  answeredAt: number | null;
  closedAt: number | null;
}

describe("rectification orders", () => {
  it("are ordered by the registry, seen and answered once by the operator, then closed", async () => {
    const { app, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const other = await makeAccount("operator");
    const now = Math.floor(Date.now() / 1000);
    const path = `/api/registry/venues/${app.id}/rectifications`;
    const findings =
      "Poster missing at the back door.\nStaff could not help a visitor without a phone.";
    for (const deadline of [now + 60, now + 181 * 86_400]) {
      await expectProblem(
        await signedJson(registry, "POST", path, { findings, deadline }),
        422,
        "bad-deadline",
      );
    }
    await expectProblem(
      await signedJson(operator, "POST", path, { findings, deadline: now + 7 * 86_400 }),
      403,
      "forbidden",
    );
    const order = await ok<Order>(
      await signedJson(registry, "POST", path, { findings, deadline: now + 7 * 86_400 }),
      201,
    );
    expect(order).toMatchObject({ venueId: app.id, findings, state: "open", answer: null });

    // The operator sees it; another operator cannot even tell the venue exists.
    const listPath = `/api/venues/${app.id}/rectifications`;
    const seen = await ok<{ orders: Order[] }>(await signedJson(operator, "GET", listPath));
    expect(seen.orders.map((o) => o.id)).toEqual([order.id]);
    await expectProblem(await signedJson(other, "GET", listPath), 404, "not-found");

    const answerPath = `${listPath}/${order.id}/answer`;
    await expectProblem(
      await signedJson(other, "POST", answerPath, { answer: "Not mine" }),
      404,
      "not-found",
    );
    const answered = await ok<Order>(
      await signedJson(operator, "POST", answerPath, {
        answer: "New poster up; staff trained on 3 Dec.",
      }),
    );
    expect(answered).toMatchObject({
      state: "answered",
      answer: "New poster up; staff trained on 3 Dec.",
    });
    await expectProblem(
      await signedJson(operator, "POST", answerPath, { answer: "again" }),
      409,
      "wrong-state",
    );
    const registryView = await ok<{ orders: Order[] }>(await signedJson(registry, "GET", listPath));
    expect(registryView.orders[0]!.answer).toBe("New poster up; staff trained on 3 Dec.");

    const closed = await ok<Order>(await signedJson(registry, "POST", `${path}/${order.id}/close`));
    expect(closed.state).toBe("closed");
    await expectProblem(
      await signedJson(registry, "POST", `${path}/${order.id}/close`),
      409,
      "wrong-state",
    );

    // The venue's history names each step.
    const history = await ok<Application>(
      await signedJson(operator, "GET", `/api/applications/${app.id}`),
    );
    expect(history.events.map((e) => e.action).slice(-3)).toEqual([
      "rectification-ordered",
      "rectification-answered",
      "rectification-closed",
    ]);
  });

  it("is overdue once its deadline passed unanswered, and is not for drafts", async () => {
    const { app, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const now = Math.floor(Date.now() / 1000);
    const order = await ok<Order>(
      await signedJson(registry, "POST", `/api/registry/venues/${app.id}/rectifications`, {
        findings: "Code poster faded",
        deadline: now + 2 * 3600,
      }),
      201,
    );
    // Time passes: the deadline moves into the past.
    await env.DB.prepare("UPDATE rectification_orders SET deadline = ? WHERE id = ?")
      .bind(now - 60, order.id)
      .run();
    const { orders } = await ok<{ orders: Order[] }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/rectifications`),
    );
    expect(orders[0]!.state).toBe("overdue");
    const draft = await ok<Application>(
      await signedJson(operator, "POST", "/api/applications", {
        name: { en: "Draft", zh: "草稿" },
        address: "1 Road",
        category: "shop",
        contact: { person: "A", phone: "+852 5555 0100" },
        entrances: [{ label: { en: "Door", zh: "门" } }],
      }),
      201,
    );
    await expectProblem(
      await signedJson(registry, "POST", `/api/registry/venues/${draft.id}/rectifications`, {
        findings: "x",
        deadline: now + 86_400,
      }),
      409,
      "wrong-state",
    );
  });
});

describe("reports from the public", () => {
  const report = (venueId: string, entranceId?: string) =>
    postJson("/api/reports", {
      venueId,
      ...(entranceId ? { entranceId } : {}),
      kind: "no-code-posted",
    });
  const follow = async (reference: string) =>
    ok<{ status: string; count: number; venueAnswered: boolean; venue: { en: string } }>(
      await postJson("/api/reports/status", { reference }),
    );

  it("merges identical ones, carries the registry's note and the operator's answer, and is followed by reference", async () => {
    const { app, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const door = app.entrances[0]!.id;
    const first = await ok<{ id: string; reference: string }>(await report(app.id, door), 201);
    const second = await ok<{ id: string; reference: string }>(await report(app.id, door), 201);
    await ok(await report(app.id), 201); // the whole venue: another report
    expect(first.reference).not.toBe(second.reference);
    // Only the hash of a reference is stored.
    const stored = await env.DB.prepare("SELECT reference_hash AS h FROM reports").all<{
      h: string;
    }>();
    expect(stored.results.map((r) => r.h)).not.toContain(first.reference);

    const inbox = await ok<{ reports: Array<{ id: string; count: number; note: string | null }> }>(
      await signedJson(registry, "GET", "/api/registry/reports"),
    );
    // Two rows: the merged pair under the first report's id, and the whole-venue report.
    expect(inbox.reports).toHaveLength(2);
    expect(inbox.reports.find((r) => r.id === first.id)?.count).toBe(2);
    expect(inbox.reports.find((r) => r.id !== first.id)?.count).toBe(1);
    expect((await follow(second.reference)).count).toBe(2);

    await ok(
      await signedJson(registry, "PATCH", `/api/registry/reports/${first.id}`, {
        status: "in-review",
        note: "Inspector to visit on Friday.",
      }),
    );
    // A merged report is worked through the one it joined.
    await expectProblem(
      await signedJson(registry, "PATCH", `/api/registry/reports/${second.id}`, {
        status: "closed",
      }),
      404,
      "not-found",
    );

    const mine = await ok<{ reports: Array<{ id: string; count: number }> }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/reports`),
    );
    expect(mine.reports.find((r) => r.id === first.id)?.count).toBe(2);
    const answered = await ok<{ operatorAnswer: string }>(
      await signedJson(operator, "POST", `/api/venues/${app.id}/reports/${first.id}/answer`, {
        answer: "A new poster is up at the front door.",
      }),
    );
    expect(answered.operatorAnswer).toBe("A new poster is up at the front door.");
    await expectProblem(
      await signedJson(operator, "POST", `/api/venues/${app.id}/reports/${first.id}/answer`, {
        answer: "again",
      }),
      409,
      "wrong-state",
    );

    // Both reporters see where their report stands, and that the venue answered.
    for (const r of [first, second]) {
      expect(await follow(r.reference.toLowerCase())).toMatchObject({
        status: "in-review",
        count: 2,
        venueAnswered: true,
      });
    }
    const seen = await ok<{
      reports: Array<{ id: string; note: string | null; operatorAnswer: string | null }>;
    }>(await signedJson(registry, "GET", "/api/registry/reports?status=in-review"));
    expect(seen.reports[0]).toMatchObject({
      id: first.id,
      note: "Inspector to visit on Friday.",
      operatorAnswer: "A new poster is up at the front door.",
    });
    await expectProblem(
      await postJson("/api/reports/status", { reference: "NOPE" }),
      404,
      "not-found",
    );

    // Once closed, a new identical report starts a new one.
    await ok(
      await signedJson(registry, "PATCH", `/api/registry/reports/${first.id}`, {
        status: "closed",
      }),
    );
    const third = await ok<{ reference: string }>(await report(app.id, door), 201);
    expect(await follow(third.reference)).toMatchObject({
      status: "open",
      count: 1,
      venueAnswered: false,
    });
  });
});
