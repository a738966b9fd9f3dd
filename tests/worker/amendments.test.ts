/**
 * Entrance amendments (worker/src/routes/amendments.ts): the operator of an approved venue
 * proposes to add, rename and retire entrances; the registry approves (new codes, a renamed
 * entrance's new code version, retired entrances refused at check-in with where to scan instead,
 * every change a registry-signed log entry the policy accepts) or refuses with a reason. Bad
 * proposals get their own problem codes and write nothing; an approval the log refuses is undone.
 */
import { env } from "cloudflare:workers";
import { decodeEntry, ed25519PublicKey, LogPolicy } from "@lintel/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type Application,
  applicationIn,
  makeAccount,
  ok,
  sampleApplication,
  signedJson,
  type TestDevice,
} from "./account-fixtures.ts";
import { approvedVenue, body, checkIn, fragment } from "./checkin-fixtures.ts";
import { count, expectProblem, postJson, resetDatabase } from "./helpers.ts";
import {
  deploymentLog,
  registrySecret,
  startDeploymentLog,
  wipeDeploymentLog,
} from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

interface Amendment {
  id: string;
  status: string;
  add: Array<{ entranceId: string; label: { en: string; zh: string } }>;
  rename: Array<{ entranceId: string; label: { en: string; zh: string } }>;
  retire: Array<{ entranceId: string; replacedBy: string | null }>;
  refusal: string | null;
}
interface Codes {
  codes: Array<{
    entranceId: string;
    label: { en: string; zh: string };
    version: number;
    url: string;
  }>;
}

const propose = (operator: TestDevice, venueId: string, amendment: unknown) =>
  signedJson(operator, "POST", `/api/venues/${venueId}/amendments`, amendment);
const approve = (registry: TestDevice, venueId: string, id: string) =>
  signedJson(registry, "POST", `/api/registry/venues/${venueId}/amendments/${id}/approve`);
const refuse = (registry: TestDevice, venueId: string, id: string, reason: string) =>
  signedJson(registry, "POST", `/api/registry/venues/${venueId}/amendments/${id}/refuse`, {
    reason,
  });
const codesOf = (operator: TestDevice, venueId: string) =>
  signedJson(operator, "GET", `/api/venues/${venueId}/codes`).then((r) => ok<Codes>(r));
const checkCode = (code: string) => postJson("/api/codes/check", { code });

async function loggedEntries(): Promise<Uint8Array[]> {
  const { size } = await deploymentLog().status();
  const entries: Uint8Array[] = [];
  for (let i = 0n; i < BigInt(size); i++) entries.push((await deploymentLog().entryAt(i))!);
  return entries;
}

/** What an amendment must leave untouched when it is refused or undone. */
async function entranceState(venueId: string) {
  const [doors, codes, amendments, events] = await Promise.all([
    env.DB.prepare(
      `SELECT id, label_en, label_zh, code_version, active, retired_at, replaced_by
         FROM entrances WHERE venue_id = ? ORDER BY id`,
    )
      .bind(venueId)
      .all(),
    env.DB.prepare(
      `SELECT entrance_id, version, replaced_at FROM entrance_codes
        WHERE entrance_id IN (SELECT id FROM entrances WHERE venue_id = ?) ORDER BY 1, 2`,
    )
      .bind(venueId)
      .all(),
    env.DB.prepare("SELECT id, status FROM entrance_amendments WHERE venue_id = ?")
      .bind(venueId)
      .all(),
    env.DB.prepare(
      "SELECT action FROM venue_events WHERE venue_id = ? AND action <> 'amendment-approval-undone' ORDER BY id",
    )
      .bind(venueId)
      .all(),
  ]);
  return {
    doors: doors.results,
    codes: codes.results,
    amendments: amendments.results,
    events: events.results,
  };
}

describe("an approved entrance amendment", () => {
  it("adds, renames and retires entrances: new codes, the retired code points to the new entrance, every change logged", async () => {
    const { app, codes, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const [front, back] = codes;
    const proposed = await ok<Amendment>(
      await propose(operator, app.id, {
        add: [{ label: { en: "Side door", zh: "侧门" } }],
        rename: [{ entranceId: front!.entranceId, label: { en: "Main door", zh: "正门" } }],
        retire: [{ entranceId: back!.entranceId, replacedBy: "added-0" }],
      }),
      201,
    );
    expect(proposed.status).toBe("pending");
    const side = proposed.add[0]!.entranceId;
    expect(proposed.retire).toEqual([{ entranceId: back!.entranceId, replacedBy: side }]);
    // Nothing changes before the registry decides.
    await ok(await checkIn(body(fragment(back!.url))), 201);

    const approved = await ok<Amendment>(await approve(registry, app.id, proposed.id));
    expect(approved.status).toBe("approved");

    // The posters: the renamed entrance at version 2 with its new names, the new entrance at 1,
    // the retired one gone.
    const after = await codesOf(operator, app.id);
    expect(after.codes.map((c) => [c.entranceId, c.label, c.version])).toEqual([
      [front!.entranceId, { en: "Main door", zh: "正门" }, 2],
      [side, { en: "Side door", zh: "侧门" }, 1],
    ]);
    const sideCode = fragment(after.codes[1]!.url);
    await ok(await checkIn(body(sideCode)), 201);
    await ok(await checkIn(body(fragment(after.codes[0]!.url))), 201);

    // The retired entrance's code is refused, naming where to scan instead, in both languages.
    for (const res of [
      await checkIn(body(fragment(back!.url))),
      await checkCode(fragment(back!.url)),
    ]) {
      const problem = (await expectProblem(res, 410, "entrance-retired")) as unknown as {
        scanInstead: unknown;
        detail: string;
      };
      expect(problem.scanInstead).toEqual({
        entranceId: side,
        name: { en: "Side door", zh: "侧门" },
      });
      expect(problem.detail).toContain("Side door");
      expect(problem.detail).toContain("侧门");
    }
    // The renamed entrance's old code is refused as replaced.
    await expectProblem(await checkIn(body(fragment(front!.url))), 410, "code-replaced");
    await expectProblem(await checkCode(fragment(front!.url)), 410, "code-replaced");

    // The log: the new entrance issued, the renamed one's code replaced for `amended`, the
    // retirement pointing to the new entrance; registry-signed, and the policy accepts them all.
    const entries = await loggedEntries();
    expect(entries.slice(-3).map((e) => decodeEntry(e).entry.body)).toEqual([
      { kind: "entrance-issued", venueId: app.id, entranceId: side },
      {
        kind: "code-replacement",
        venueId: app.id,
        entranceId: front!.entranceId,
        newVersion: 2,
        reason: "amended",
      },
      {
        kind: "entrance-retired",
        venueId: app.id,
        entranceId: back!.entranceId,
        replacedBy: side,
      },
    ]);
    const policy = new LogPolicy(ed25519PublicKey(registrySecret()));
    for (const e of entries) policy.apply(e);

    // Every step in the venue's history, as the operator and the registry read it.
    for (const reader of [operator, registry]) {
      const view = await ok<Application>(
        await signedJson(reader, "GET", `/api/applications/${app.id}`),
      );
      expect(view.events.slice(-5).map((e) => [e.action, e.detail])).toEqual([
        ["amendment-proposed", proposed.id],
        ["amendment-approved", proposed.id],
        ["entrance-added", side],
        ["entrance-renamed", `${front!.entranceId} v2`],
        ["entrance-retired", `${back!.entranceId} → ${side}`],
      ]);
    }
    const listed = await ok<{ amendments: Amendment[] }>(
      await signedJson(operator, "GET", `/api/venues/${app.id}/amendments`),
    );
    expect(listed.amendments.map((a) => a.status)).toEqual(["approved"]);

    // A retired entrance is never issued again, and cannot be amended again.
    await expectProblem(
      await signedJson(
        operator,
        "POST",
        `/api/venues/${app.id}/entrances/${back!.entranceId}/replace-code`,
        { reason: "damaged" },
      ),
      409,
      "wrong-state",
    );
    await expectProblem(
      await propose(operator, app.id, {
        rename: [{ entranceId: back!.entranceId, label: { en: "Back", zh: "后门" } }],
      }),
      422,
      "bad-amendment",
    );
    // A retirement with no pointer: the refusal says to ask staff.
    const last = await ok<Amendment>(
      await propose(operator, app.id, { retire: [{ entranceId: side }] }),
      201,
    );
    await ok(await approve(registry, app.id, last.id));
    const none = (await expectProblem(
      await checkCode(sideCode),
      410,
      "entrance-retired",
    )) as unknown as { scanInstead: unknown; detail: string };
    expect(none.scanInstead).toBeNull();
    expect(none.detail).toContain("staff");
    const finalLog = await loggedEntries();
    for (const e of finalLog.slice(entries.length)) policy.apply(e);
  });

  it("is refused by the registry with a reason the operator reads; one pending amendment at a time", async () => {
    const { app, codes, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const amendment = { add: [{ label: { en: "Gate 2", zh: "二号门" } }] };
    const first = await ok<Amendment>(await propose(operator, app.id, amendment), 201);
    await expectProblem(await propose(operator, app.id, amendment), 409, "amendment-pending");
    await expectProblem(await approve(operator, app.id, first.id), 403, "forbidden");
    await expectProblem(await refuse(operator, app.id, first.id, "no"), 403, "forbidden");
    await expectProblem(await refuse(registry, app.id, first.id, " "), 422, "invalid-body");

    const refused = await ok<Amendment>(
      await refuse(registry, app.id, first.id, "The floor plan shows no second gate."),
    );
    expect(refused).toMatchObject({
      status: "refused",
      refusal: "The floor plan shows no second gate.",
    });
    await expectProblem(await approve(registry, app.id, first.id), 409, "wrong-state");
    await expectProblem(await refuse(registry, app.id, first.id, "again"), 409, "wrong-state");
    // `amended` is the reason of an approved amendment's replacement, never one to choose.
    for (const caller of [operator, registry]) {
      await expectProblem(
        await signedJson(
          caller,
          "POST",
          `/api/venues/${app.id}/entrances/${codes[0]!.entranceId}/replace-code`,
          { reason: "amended" },
        ),
        422,
        "invalid-body",
      );
    }
    const codesNow = await codesOf(operator, app.id);
    expect(codesNow.codes.map((c) => c.entranceId)).toEqual(codes.map((c) => c.entranceId));
    const view = await ok<Application>(
      await signedJson(operator, "GET", `/api/applications/${app.id}`),
    );
    expect(view.events.at(-1)).toMatchObject({
      action: "amendment-refused",
      detail: "The floor plan shows no second gate.",
    });
    // Decided, so the operator may propose again.
    const second = await ok<Amendment>(await propose(operator, app.id, amendment), 201);
    const listed = await ok<{ amendments: Amendment[] }>(
      await signedJson(registry, "GET", `/api/venues/${app.id}/amendments`),
    );
    expect(listed.amendments.map((a) => [a.id, a.status])).toEqual([
      [second.id, "pending"],
      [first.id, "refused"],
    ]);
    // Another operator sees nothing of it.
    const stranger = await makeAccount("operator");
    await expectProblem(
      await signedJson(stranger, "GET", `/api/venues/${app.id}/amendments`),
      404,
      "not-found",
    );
    await expectProblem(await propose(stranger, app.id, amendment), 404, "not-found");
  });
});

describe("the review queue", () => {
  interface Queued {
    id: string;
    amendmentPending: boolean;
  }
  const queue = async (who: TestDevice, query: string) =>
    (
      await ok<{ applications: Queued[] }>(
        await signedJson(who, "GET", `/api/registry/applications?${query}`),
      )
    ).applications;

  it("flags a venue whose entrance change waits, narrows to those, within the reviewer's scope", async () => {
    const full = await makeAccount("registry");
    const operator = await makeAccount("operator");
    const waiting = await applicationIn(
      "approved",
      operator,
      full,
      sampleApplication({ district: "harbour" }),
    );
    const quiet = await applicationIn(
      "approved",
      operator,
      full,
      sampleApplication({ district: "harbour", address: "9 Quiet Lane" }),
    );
    const elsewhere = await applicationIn(
      "approved",
      operator,
      full,
      sampleApplication({ district: "north", address: "4 North Road" }),
    );
    const change = { add: [{ label: { en: "Gate 2", zh: "二号门" } }] };
    const pending = await ok<Amendment>(await propose(operator, waiting.id, change), 201);
    await ok(await propose(operator, elsewhere.id, change), 201);
    const harbour = await makeAccount("registry");
    await ok(
      await signedJson(full, "PUT", `/api/registry/accounts/${harbour.accountId}/scope`, {
        districts: ["harbour"],
        sectors: null,
      }),
    );

    const all = await queue(full, "status=approved");
    expect(all.map((a) => [a.id, a.amendmentPending]).sort()).toEqual(
      [
        [waiting.id, true],
        [quiet.id, false],
        [elsewhere.id, true],
      ].sort(),
    );
    expect(
      (await queue(full, "status=approved&amendment=pending")).map((a) => a.id).sort(),
    ).toEqual([waiting.id, elsewhere.id].sort());
    // The scope still applies: the north venue's change is not the harbour reviewer's.
    expect((await queue(harbour, "status=approved&amendment=pending")).map((a) => a.id)).toEqual([
      waiting.id,
    ]);
    // The filter keeps the status: no submitted venue has a change waiting.
    expect(await queue(full, "status=submitted&amendment=pending")).toEqual([]);
    await expectProblem(
      await signedJson(full, "GET", "/api/registry/applications?status=approved&amendment=yes"),
      422,
      "invalid-body",
    );

    // Decided, the flag goes.
    await ok(await refuse(full, waiting.id, pending.id, "No second gate on the floor plan."));
    expect(
      (await queue(harbour, "status=approved")).map((a) => [a.id, a.amendmentPending]),
    ).toEqual(expect.arrayContaining([[waiting.id, false]]));
    expect(await queue(harbour, "status=approved&amendment=pending")).toEqual([]);
  });
});

describe("a bad amendment", () => {
  it("gets a stable problem code and writes nothing", async () => {
    const { app, codes, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const other = await approvedVenue();
    const [front, back] = codes;
    const foreign = other.codes[0]!.entranceId;
    const before = await entranceState(app.id);
    const label = { en: "New", zh: "新门" };
    const cases: Array<[unknown, number, string]> = [
      [{}, 422, "bad-amendment"],
      [{ add: [], rename: [], retire: [] }, 422, "bad-amendment"],
      [{ rename: [{ entranceId: "e-000000000000", label }] }, 422, "unknown-entrance"],
      [{ rename: [{ entranceId: foreign, label }] }, 422, "unknown-entrance"],
      [{ retire: [{ entranceId: foreign }] }, 422, "unknown-entrance"],
      [
        { retire: [{ entranceId: back!.entranceId, replacedBy: foreign }] },
        422,
        "unknown-entrance",
      ],
      [
        { retire: [{ entranceId: back!.entranceId, replacedBy: "added-0" }] },
        422,
        "unknown-entrance",
      ],
      [{ retire: [{ entranceId: back!.entranceId, replacedBy: "front" }] }, 422, "invalid-body"],
      [
        { retire: [{ entranceId: back!.entranceId, replacedBy: back!.entranceId }] },
        422,
        "bad-amendment",
      ],
      // Both retired, one pointing to the other: a pointer to a retired entrance, and no open one left.
      [
        {
          retire: [
            { entranceId: back!.entranceId, replacedBy: front!.entranceId },
            { entranceId: front!.entranceId },
          ],
        },
        422,
        "bad-amendment",
      ],
      [
        { retire: [{ entranceId: back!.entranceId }, { entranceId: front!.entranceId }] },
        422,
        "bad-amendment",
      ],
      [
        {
          rename: [{ entranceId: back!.entranceId, label }],
          retire: [{ entranceId: back!.entranceId }],
        },
        422,
        "bad-amendment",
      ],
      [
        { rename: [{ entranceId: back!.entranceId, label: { en: "Back", zh: "后门" } }] },
        422,
        "bad-amendment",
      ],
      [{ add: [{ label: { en: "E".repeat(31), zh: "门" } }] }, 422, "invalid-body"],
      [{ add: [{ label: { en: "Gate", zh: "门".repeat(11) } }] }, 422, "invalid-body"],
      [{ add: [{ label: { en: "Gate", zh: "" } }] }, 422, "invalid-body"],
      [{ add: [{ label }], drop: [] }, 422, "invalid-body"],
    ];
    for (const [amendment, status, code] of cases) {
      await expectProblem(await propose(operator, app.id, amendment), status, code);
    }
    // Only an approved venue is amended, and only by its operator.
    const draft = await applicationIn("draft", operator);
    await expectProblem(
      await propose(operator, draft.id, { add: [{ label }] }),
      409,
      "wrong-state",
    );
    await expectProblem(await propose(registry, app.id, { add: [{ label }] }), 403, "forbidden");
    expect(await entranceState(app.id)).toEqual(before);
    expect(await count("entrance_amendments")).toBe(0);

    // A pointer to an entrance retired by an earlier amendment.
    const retireBack = await ok<Amendment>(
      await propose(operator, app.id, {
        add: [{ label }],
        retire: [{ entranceId: back!.entranceId }],
      }),
      201,
    );
    await ok(await approve(registry, app.id, retireBack.id));
    const added = retireBack.add[0]!.entranceId;
    await expectProblem(
      await propose(operator, app.id, {
        retire: [{ entranceId: added, replacedBy: back!.entranceId }],
      }),
      422,
      "bad-amendment",
    );
    expect(await count("entrance_amendments")).toBe(1);
  });

  it("with names no poster code could carry is refused when proposed", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    // The longest venue name the format allows with a short entrance name fits a poster; an
    // entrance name at its limit beside it does not (PROTOCOL.md §3.3).
    const app = await applicationIn(
      "approved",
      operator,
      registry,
      sampleApplication({
        name: { en: "V".repeat(60), zh: "一二三四五六七八九十一二三四五六七八九十" },
        entrances: [{ label: { en: "A", zh: "甲" } }],
      }),
    );
    const before = await entranceState(app.id);
    const tooLong = { en: "E".repeat(30), zh: "一二三四五六七八九十" };
    await expectProblem(
      await propose(operator, app.id, { add: [{ label: tooLong }] }),
      422,
      "code-too-large",
    );
    await expectProblem(
      await propose(operator, app.id, {
        rename: [{ entranceId: app.entrances[0]!.id, label: tooLong }],
      }),
      422,
      "code-too-large",
    );
    expect(await entranceState(app.id)).toEqual(before);
  });
});

describe("an approval the log refuses", () => {
  it("is undone: entrances, codes and history as before, the amendment pending again", async () => {
    const { app, codes, operator } = await approvedVenue();
    const registry = await makeAccount("registry");
    const [front, back] = codes;
    const proposed = await ok<Amendment>(
      await propose(operator, app.id, {
        add: [{ label: { en: "Side door", zh: "侧门" } }],
        rename: [{ entranceId: front!.entranceId, label: { en: "Main door", zh: "正门" } }],
        retire: [{ entranceId: back!.entranceId, replacedBy: "added-0" }],
      }),
      201,
    );
    const before = await entranceState(app.id);
    await wipeDeploymentLog();
    await expectProblem(await approve(registry, app.id, proposed.id), 422, "log-policy-violation");
    expect(await entranceState(app.id)).toEqual(before);
    const view = await ok<Application>(
      await signedJson(operator, "GET", `/api/applications/${app.id}`),
    );
    expect(view.events.at(-1)).toMatchObject({ action: "amendment-approval-undone" });
    // The old codes still check people in.
    await ok(await checkIn(body(fragment(front!.url))), 201);
    await ok(await checkIn(body(fragment(back!.url))), 201);
  });
});
