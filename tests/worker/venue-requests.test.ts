/**
 * Venue requests (worker/src/routes/venue-requests.ts): a venue's operator asks for its own
 * records; an officer refuses with a reason or approves with a venue-request entry signed by their
 * enrolled device, which the log takes under its policy; the venue then sees its hourly counts.
 * Bad requests are refused with their own problem and write nothing.
 */
import { env } from "cloudflare:workers";
import {
  decodeEntry,
  type EntryBody,
  encodeBase64url,
  encodeEntry,
  LogPolicy,
  NO_RELEASE_KEY,
  signEntry,
} from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import {
  enrolledOfficer,
  makeAccount,
  ok,
  signedJson,
  type TestDevice,
} from "./account-fixtures.ts";
import { approvedVenue, body, checkIn, currentSlot, fragment, HOUR } from "./checkin-fixtures.ts";
import { expectProblem, resetDatabase } from "./helpers.ts";
import { deploymentLog, startDeploymentLog } from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

interface RequestView {
  id: string;
  venueId: string;
  entrances: { id: string; name: { en: string; zh: string } }[];
  windowStart: number;
  windowEnd: number;
  reason: string;
  note: string;
  grants: string[];
  state: "pending" | "refused" | "approved";
  refusal: string | null;
  approvedBy: string | null;
  logIndex: string | null;
  counts: { entranceId: string; hour: number; count: number }[] | null;
}

/** The approval as the authority page makes it: the request's fields, signed by this device. */
function approvalOf(
  r: RequestView,
  signer: { secretKey: Uint8Array },
  over: Partial<Extract<EntryBody, { kind: "venue-request" }>> = {},
): string {
  const body: EntryBody = {
    kind: "venue-request",
    venueId: r.venueId,
    entrances: r.entrances.map((e) => e.id),
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    reason: r.reason as "guest-case",
    grants: r.grants as ("warning" | "counts")[],
    releaseKey: NO_RELEASE_KEY,
    ...over,
  };
  return encodeBase64url(
    encodeEntry(
      signEntry({ deployment: "demo", issuedAt: Math.floor(Date.now() / 1000), body }, [
        signer.secretKey,
      ]),
    ),
  );
}

const file = (operator: TestDevice, venueId: string, input: Record<string, unknown>) =>
  signedJson(operator, "POST", `/api/venues/${venueId}/requests`, input);

async function loggedEntries() {
  const { size } = await deploymentLog().status();
  const out = [];
  for (let i = 0n; i < BigInt(size); i++) out.push((await deploymentLog().entryAt(i))!);
  return out;
}

const rowCount = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM venue_requests").first<{ n: number }>())!.n;

describe("a venue request", () => {
  it("is filed, refused with a reason, filed again and approved into the log; the venue sees counts", async () => {
    const { app, codes, operator } = await approvedVenue();
    const officer = await enrolledOfficer("Officer Wu");
    const door = codes[0]!.entranceId;
    const slot = currentSlot();
    await ok(await checkIn(body(fragment(codes[0]!.url))), 201);
    await ok(await checkIn(body(fragment(codes[0]!.url))), 201);
    const window = { windowStart: slot - HOUR, windowEnd: slot + HOUR };

    const first = await ok<RequestView>(
      await file(operator, app.id, { entrances: [door], ...window, reason: "guest-case" }),
      201,
    );
    expect(first).toMatchObject({ state: "pending", grants: ["warning", "counts"], counts: null });
    await expectProblem(
      await file(operator, app.id, { entrances: [door], ...window, reason: "guest-case" }),
      409,
      "request-pending",
    );
    const listed = await ok<{ requests: RequestView[] }>(
      await signedJson(officer, "GET", "/api/venue-requests"),
    );
    expect(listed.requests.map((r) => r.id)).toEqual([first.id]);

    const refused = await ok<RequestView>(
      await signedJson(officer, "POST", `/api/venue-requests/${first.id}/refuse`, {
        reason: "Say which guest reported it to the health line first.",
      }),
    );
    expect(refused).toMatchObject({
      state: "refused",
      refusal: expect.stringContaining("health line"),
    });
    await expectProblem(
      await signedJson(officer, "POST", `/api/venue-requests/${first.id}/approve`, {
        entry: approvalOf(first, officer),
      }),
      409,
      "wrong-state",
    );

    const second = await ok<RequestView>(
      await file(operator, app.id, {
        entrances: [door],
        ...window,
        reason: "guest-case",
        note: "Reported on the health line, case reference given to the officer by phone.",
      }),
      201,
    );
    const sizeBefore = (await deploymentLog().status()).size;
    const approved = await ok<RequestView>(
      await signedJson(officer, "POST", `/api/venue-requests/${second.id}/approve`, {
        entry: approvalOf(second, officer),
      }),
      201,
    );
    expect(approved).toMatchObject({ state: "approved", approvedBy: "Officer Wu" });
    expect(approved.logIndex).toBe(String(sizeBefore));
    expect(approved.counts).toEqual([{ entranceId: door, hour: slot, count: 2 }]);

    // The operator's list: newest first, the refusal kept, the counts on the approved one.
    const mine = await ok<{ grants: string[]; requests: RequestView[] }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/requests`),
    );
    expect(mine.grants).toEqual(["warning", "counts"]);
    expect(mine.requests.map((r) => r.state)).toEqual(["approved", "refused"]);
    expect(mine.requests[0]!.counts).toEqual([{ entranceId: door, hour: slot, count: 2 }]);

    // The log holds it, signed by the officer's device alone, and its policy agrees.
    const entries = await loggedEntries();
    const policy = new LogPolicy();
    for (const e of entries) policy.apply(e);
    const logged = decodeEntry(entries[Number(approved.logIndex)]!).entry;
    expect(logged.body).toEqual({
      kind: "venue-request",
      venueId: app.id,
      entrances: [door],
      ...window,
      reason: "guest-case",
      grants: ["warning", "counts"],
      releaseKey: NO_RELEASE_KEY,
    });
    expect(logged.signatures.map((s) => s.publicKey)).toEqual([officer.publicKey]);
  });

  it("is refused for another venue's entrance, a bad window, or by anyone but its operator", async () => {
    const { app, codes, operator } = await approvedVenue();
    const other = await approvedVenue();
    const door = codes[0]!.entranceId;
    const slot = currentSlot();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ entrances: [other.codes[0]!.entranceId] }, /own entrances/],
      [{ windowStart: slot - HOUR + 60 }, /on the hour/],
      [{ windowStart: slot, windowEnd: slot }, /empty/],
      [{ windowStart: slot + 2 * HOUR, windowEnd: slot + 3 * HOUR }, /future/],
      [{ windowStart: slot - 100 * HOUR, windowEnd: slot }, /too long/],
      [{ windowStart: slot - 60 * 86_400, windowEnd: slot - 60 * 86_400 + HOUR }, /retention/],
      [{ entrances: [door, door] }, /named twice/],
    ];
    for (const [over, detail] of cases) {
      const res = await file(operator, app.id, {
        entrances: [door],
        windowStart: slot - HOUR,
        windowEnd: slot,
        reason: "staff-case",
        ...over,
      });
      const problem = await expectProblem(res, 422, "bad-request-scope");
      expect(problem.detail).toMatch(detail);
    }
    const valid = { entrances: [door], windowStart: slot - HOUR, windowEnd: slot, reason: "other" };
    await expectProblem(await file(other.operator, app.id, valid), 404, "not-found");
    await expectProblem(await file(await makeAccount("registry"), app.id, valid), 403, "forbidden");
    expect(await rowCount()).toBe(0);
  });

  it("is approved only with an entry that is exactly the request, signed by the sending officer alone", async () => {
    const { app, codes, operator } = await approvedVenue();
    const officer = await enrolledOfficer("Officer Wu");
    const colleague = await enrolledOfficer("Officer Ho");
    const slot = currentSlot();
    const r = await ok<RequestView>(
      await file(operator, app.id, {
        entrances: [codes[0]!.entranceId],
        windowStart: slot - 2 * HOUR,
        windowEnd: slot,
        reason: "authority-notice",
      }),
      201,
    );
    const approve = (text: string, by = officer) =>
      signedJson(by, "POST", `/api/venue-requests/${r.id}/approve`, { entry: text });
    const sizeBefore = (await deploymentLog().status()).size;
    await expectProblem(
      await approve(approvalOf(r, officer, { windowStart: slot - 3 * HOUR })),
      422,
      "entry-mismatch",
    );
    await expectProblem(
      await approve(approvalOf(r, officer, { grants: ["counts"] })),
      422,
      "entry-mismatch",
    );
    if (codes[1]) {
      await expectProblem(
        await approve(approvalOf(r, officer, { entrances: [codes[1].entranceId] })),
        422,
        "entry-mismatch",
      );
    }
    await expectProblem(await approve(approvalOf(r, colleague)), 422, "bad-entry");
    // An officer account whose device is not enrolled in the log: the log's policy refuses.
    const unenrolled = await makeAccount("officer", { label: "Officer Not Enrolled" });
    await expectProblem(
      await approve(approvalOf(r, unenrolled), unenrolled),
      422,
      "log-policy-violation",
    );
    expect((await deploymentLog().status()).size).toBe(sizeBefore);
    // Nothing was decided by the failures: the request is still pending, and approvable.
    const again = await ok<RequestView>(await approve(approvalOf(r, officer)), 201);
    expect(again.state).toBe("approved");
  });

  it("is settled from the log, or released, when the worker approving it stopped between the append and the record", async () => {
    const { app, codes, operator } = await approvedVenue();
    const officer = await enrolledOfficer("Officer Lam");
    const slot = currentSlot();
    const scope = { entrances: [codes[0]!.entranceId], windowStart: slot - HOUR, windowEnd: slot };
    const now = Math.floor(Date.now() / 1000);
    // What claimApproval writes before the append; the worker then stopped.
    const leaveClaim = (id: string, entry: string, size: string, at: number) =>
      env.DB.prepare(
        `UPDATE venue_requests SET decided_by = ?, decided_at = ?, claim_entry = ?,
            claim_log_size = ? WHERE id = ?`,
      )
        .bind(officer.accountId, at, entry, size, id)
        .run();
    const stateOf = async (id: string) =>
      (
        await ok<{ requests: RequestView[] }>(
          await signedJson(operator, "GET", `/api/venues/${app.id}/requests`),
        )
      ).requests.find((r) => r.id === id)!;

    // Appended, not recorded: settled with the index the log gave it, once the claim is old.
    const first = await ok<RequestView>(
      await file(operator, app.id, { ...scope, reason: "guest-case" }),
      201,
    );
    const entry = approvalOf(first, officer);
    const size = (await deploymentLog().status()).size;
    await leaveClaim(first.id, entry, size, now);
    const appended = await deploymentLog().append([
      Uint8Array.from(Buffer.from(entry, "base64url")),
    ]);
    expect(appended.ok).toBe(true);
    expect(await stateOf(first.id)).toMatchObject({ state: "pending", logIndex: null });
    await expectProblem(
      await signedJson(officer, "POST", `/api/venue-requests/${first.id}/approve`, { entry }),
      409,
      "wrong-state",
    );
    await leaveClaim(first.id, entry, size, now - 601);
    expect(await stateOf(first.id)).toMatchObject({ state: "approved", logIndex: size });
    const history = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM venue_events WHERE venue_id = ? AND action = 'request-approved'",
    )
      .bind(app.id)
      .first<{ n: number }>();
    expect(history?.n).toBe(1);

    // Never appended: released, so the request is pending again and an officer can approve it.
    const second = await ok<RequestView>(
      await file(operator, app.id, { ...scope, reason: "staff-case" }),
      201,
    );
    const lost = approvalOf(second, officer);
    await leaveClaim(second.id, lost, (await deploymentLog().status()).size, now - 601);
    const officersView = await ok<{ requests: RequestView[] }>(
      await signedJson(officer, "GET", "/api/venue-requests"),
    );
    expect(officersView.requests.find((r) => r.id === second.id)).toMatchObject({
      state: "pending",
      logIndex: null,
    });
    const approved = await ok<RequestView>(
      await signedJson(officer, "POST", `/api/venue-requests/${second.id}/approve`, {
        entry: approvalOf(second, officer),
      }),
      201,
    );
    expect(approved.state).toBe("approved");
    const claims = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM venue_requests WHERE claim_entry IS NOT NULL OR claim_log_size IS NOT NULL",
    ).first<{ n: number }>();
    expect(claims?.n).toBe(0);
  });
});
