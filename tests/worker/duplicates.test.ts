/**
 * One registration per venue: an application's licence number is checked (a unified social
 * credit code by its check character) and kept sealed, with keyed hashes of it and of the
 * normalised address to match on; other pending or registered venues sharing either are shown to
 * the registry; a licence number that holds a registration is refused at submit (naming nobody
 * else's venue) and at approval (writing nothing), whatever runs at once; a shared address alone
 * is only shown.
 */
import { env } from "cloudflare:workers";
import { licenceNumberProblem } from "@lintel/contract";
import { beforeEach, describe, expect, it } from "vitest";
import { normaliseAddress } from "../../worker/src/venues/match-keys.ts";
import { freshLicenceNumber } from "../support/licence.ts";
import {
  type Application,
  applicationIn,
  makeAccount,
  ok,
  sampleApplication,
  signedJson,
  type TestDevice,
} from "./account-fixtures.ts";
import { count, expectProblem, resetDatabase } from "./helpers.ts";
import { ensureLogStarted, startDeploymentLog } from "./log-fixtures.ts";

beforeEach(async () => {
  await resetDatabase();
  await startDeploymentLog();
});

interface Matches {
  matches: Array<{
    id: string;
    name: { en: string; zh: string };
    status: string;
    keys: string[];
  }>;
}

const matchesOf = async (registry: TestDevice, id: string) =>
  (await ok<Matches>(await signedJson(registry, "GET", `/api/registry/applications/${id}/matches`)))
    .matches;

const approve = (registry: TestDevice, id: string) =>
  signedJson(registry, "POST", `/api/registry/applications/${id}/approve`);

const venueRow = (id: string) =>
  env.DB.prepare("SELECT * FROM venues WHERE id = ?").bind(id).first<Record<string, unknown>>();

/** A draft with both documents, not yet submitted. */
async function draft(operator: TestDevice, body: Record<string, unknown>): Promise<Application> {
  return applicationIn("draft", operator, undefined, body);
}

describe("the licence number", () => {
  it("checks a unified social credit code's characters and check character (GB 32100-2015)", () => {
    // Published codes, each with its check character.
    for (const valid of ["91110000600037341L", "91512081MA62K0260E", "91440101MA5CJQ4N59"]) {
      expect(licenceNumberProblem(valid)).toBeNull();
    }
    expect(licenceNumberProblem("123502001549897397")).toBeNull();
    // One character changed, or a wrong check character.
    expect(licenceNumberProblem("91110000600037342L")).toBe("check");
    expect(licenceNumberProblem("91350203M0001QAY9B")).toBe("check");
    // Letters the code does not use (I, O, S, V, Z), and letters where the division code is.
    expect(licenceNumberProblem("9111000060003734IL")).toBe("characters");
    expect(licenceNumberProblem("91AB0000600037341L")).toBe("characters");
    // Other registration numbers: 8–30 digits or letters.
    expect(licenceNumberProblem("440301000123456")).toBeNull();
    expect(licenceNumberProblem("1234567")).toBe("length");
    expect(licenceNumberProblem("A".repeat(31))).toBe("length");
    expect(licenceNumberProblem("ABC/12345")).toBe("characters");
  });

  it("refuses an invalid one with a 422 naming the field, writing nothing", async () => {
    const operator = await makeAccount("operator");
    for (const licenceNumber of ["91110000600037342L", "1234", "ABCD+1234"]) {
      const problem = await expectProblem(
        await signedJson(
          operator,
          "POST",
          "/api/applications",
          sampleApplication({ licenceNumber }),
        ),
        422,
        "invalid-body",
      );
      expect(problem.errors?.map((e) => e.pointer)).toEqual(["/licenceNumber"]);
      expect(JSON.stringify(problem)).not.toContain(licenceNumber);
    }
    expect(await count("venues")).toBe(0);
  });

  it("is kept in one spelling, sealed, with only keyed hashes to match on", async () => {
    const operator = await makeAccount("operator");
    const registry = await makeAccount("registry");
    const app = await draft(
      operator,
      sampleApplication({ licenceNumber: " 9111 0000-6000 3734 1l " }),
    );
    expect(app.licenceNumber).toBe("91110000600037341L");
    const seen = await ok<Application>(
      await signedJson(registry, "GET", `/api/applications/${app.id}`),
    );
    expect(seen.licenceNumber).toBe("91110000600037341L");
    const row = (await venueRow(app.id))!;
    const stored = JSON.stringify(row);
    expect(stored).not.toContain("91110000600037341L");
    expect(stored).not.toContain("600037341");
    expect(row.licence_key).toMatch(/^[0-9a-f]{64}$/);
    expect(row.address_key).toMatch(/^[0-9a-f]{64}$/);
    expect(row.licence_key).not.toBe(row.address_key);
  });

  it("may be left out of a draft, but a draft without it is not submitted", async () => {
    const operator = await makeAccount("operator");
    const { licenceNumber: _, ...withoutLicence } = sampleApplication();
    const app = await draft(operator, withoutLicence);
    expect(app.licenceNumber).toBeNull();
    const problem = await expectProblem(
      await signedJson(operator, "POST", `/api/applications/${app.id}/submit`),
      422,
      "application-incomplete",
    );
    expect((problem as unknown as { missing: string[] }).missing).toEqual(["licence-number"]);
    expect((await venueRow(app.id))?.status).toBe("draft");
  });
});

describe("normalised addresses", () => {
  it("drops full-width forms, case, spaces and punctuation, and nothing that names another place", () => {
    expect(normaliseAddress("深圳市南山区 科技园路１号，Ａ座")).toBe(
      normaliseAddress("深圳市南山区科技园路1号A座"),
    );
    expect(normaliseAddress("1 Harbour Road, Kowloon.")).toBe("1harbourroadkowloon");
    // Numbers side by side stay apart; words are not rewritten.
    expect(normaliseAddress("Unit 1-23")).not.toBe(normaliseAddress("Unit 12-3"));
    expect(normaliseAddress("Unit 1 23")).toBe(normaliseAddress("Unit 1-23"));
    expect(normaliseAddress("建国路88号")).not.toBe(normaliseAddress("建国路八十八号"));
    expect(normaliseAddress("建国路88号")).not.toBe(normaliseAddress("建国路88"));
    expect(normaliseAddress("， 。")).toBe("");
  });
});

describe("possible duplicates, shown to the registry", () => {
  it("lists pending and registered venues sharing the licence number or the address, and nothing else", async () => {
    const registry = await makeAccount("registry");
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => makeAccount("operator")));
    const licence = freshLicenceNumber();
    const first = await applicationIn("approved", a!, registry, {
      ...sampleApplication({ name: { en: "Harbour Books", zh: "海港书店" } }),
      address: "1 Harbour Road, Kowloon",
    });
    // Another operator's application for the same licence number, spelt otherwise.
    const spaced = `${licence.slice(0, 9)} ${licence.slice(9).toLowerCase()}`;
    const second = await applicationIn("submitted", b!, registry, {
      ...sampleApplication(),
      licenceNumber: spaced,
      address: "１ HARBOUR ROAD，KOWLOON",
    });
    const third = await applicationIn("submitted", c!, registry, {
      ...sampleApplication({ name: { en: "Harbour Books Two", zh: "海港书店二" } }),
      licenceNumber: licence,
      address: "9 Nathan Road",
    });
    // A draft or a rejected application is no registration and no claim: never listed.
    await draft(d!, { ...sampleApplication(), licenceNumber: licence });
    await applicationIn("rejected", d!, registry, {
      ...sampleApplication(),
      address: "1 Harbour Road Kowloon",
    });

    const ofSecond = await matchesOf(registry, second.id);
    expect(ofSecond).toEqual([
      {
        id: third.id,
        name: { en: "Harbour Books Two", zh: "海港书店二" },
        status: "submitted",
        keys: ["licence"],
      },
      {
        id: first.id,
        name: { en: "Harbour Books", zh: "海港书店" },
        status: "approved",
        keys: ["address"],
      },
    ]);
    expect((await matchesOf(registry, third.id)).map((m) => [m.id, m.keys])).toEqual([
      [second.id, ["licence"]],
    ]);
    expect(await matchesOf(registry, first.id)).toEqual([
      expect.objectContaining({ id: second.id, keys: ["address"] }),
    ]);
    // The queue says how many each has, so the reviewer knows which to open first.
    const queue = await ok<{ applications: Array<{ id: string; possibleDuplicates: number }> }>(
      await signedJson(registry, "GET", "/api/registry/applications?status=submitted"),
    );
    expect(Object.fromEntries(queue.applications.map((a) => [a.id, a.possibleDuplicates]))).toEqual(
      { [second.id]: 2, [third.id]: 1 },
    );
    // Registry only: an operator learns nothing of other venues.
    await expectProblem(
      await signedJson(b!, "GET", `/api/registry/applications/${second.id}/matches`),
      403,
      "forbidden",
    );
  });
});

describe("one registration per licence number", () => {
  it("refuses approving a second venue with a registered licence number, writing nothing", async () => {
    const registry = await makeAccount("registry");
    const [a, b] = await Promise.all([makeAccount("operator"), makeAccount("operator")]);
    const licence = freshLicenceNumber();
    const first = await applicationIn(
      "submitted",
      a!,
      registry,
      sampleApplication({ licenceNumber: licence }),
    );
    const second = await applicationIn(
      "submitted",
      b!,
      registry,
      sampleApplication({ licenceNumber: licence }),
    );
    await ensureLogStarted();
    await ok(await approve(registry, first.id));
    const before = {
      venue: await venueRow(second.id),
      codes: await count("entrance_codes"),
      events: await count("venue_events"),
    };
    const problem = await expectProblem(
      await approve(registry, second.id),
      409,
      "licence-registered",
    );
    expect(problem.detail).not.toContain(first.id);
    expect({
      venue: await venueRow(second.id),
      codes: await count("entrance_codes"),
      events: await count("venue_events"),
    }).toEqual(before);
    expect(before.venue?.status).toBe("submitted");
    // A suspended venue still holds its registration.
    await env.DB.prepare("UPDATE venues SET status = 'suspended' WHERE id = ?")
      .bind(first.id)
      .run();
    await expectProblem(await approve(registry, second.id), 409, "licence-registered");
  });

  it("lets only one of two approvals at once register a licence number", async () => {
    const registry = await makeAccount("registry");
    const [a, b] = await Promise.all([makeAccount("operator"), makeAccount("operator")]);
    const licence = freshLicenceNumber();
    const apps = [
      await applicationIn("submitted", a!, registry, sampleApplication({ licenceNumber: licence })),
      await applicationIn("submitted", b!, registry, sampleApplication({ licenceNumber: licence })),
    ];
    await ensureLogStarted();
    const answers = await Promise.all(apps.map((app) => approve(registry, app.id)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const { results } = await env.DB.prepare(
      "SELECT status FROM venues WHERE id IN (?, ?) ORDER BY status",
    )
      .bind(apps[0]!.id, apps[1]!.id)
      .all<{ status: string }>();
    expect(results.map((r) => r.status)).toEqual(["approved", "submitted"]);
  });

  it("refuses submitting a registered licence number, naming nobody else's venue", async () => {
    const registry = await makeAccount("registry");
    const [a, b] = await Promise.all([makeAccount("operator"), makeAccount("operator")]);
    const licence = freshLicenceNumber();
    const first = await applicationIn("approved", a!, registry, {
      ...sampleApplication({ licenceNumber: licence }),
      name: { en: "Registered Teahouse", zh: "已登记茶馆" },
    });
    const second = await draft(b!, sampleApplication({ licenceNumber: licence.toLowerCase() }));
    const events = await count("venue_events");
    const res = await signedJson(b!, "POST", `/api/applications/${second.id}/submit`);
    const text = await res.clone().text();
    const problem = await expectProblem(res, 409, "licence-registered");
    expect(problem.detail).toBe("This licence number is already registered; contact the registry.");
    for (const other of [first.id, "Registered Teahouse", "已登记茶馆", "Harbour", a!.accountId]) {
      expect(text).not.toContain(other);
    }
    expect((await venueRow(second.id))?.status).toBe("draft");
    expect(await count("venue_events")).toBe(events);
  });

  it("only shows a shared address: both venues are submitted and approved", async () => {
    const registry = await makeAccount("registry");
    const [a, b] = await Promise.all([makeAccount("operator"), makeAccount("operator")]);
    const address = "Shop 3, 1 Harbour Road";
    const first = await applicationIn("approved", a!, registry, {
      ...sampleApplication(),
      address,
    });
    const second = await applicationIn("approved", b!, registry, {
      ...sampleApplication(),
      address,
    });
    expect([first.status, second.status]).toEqual(["approved", "approved"]);
    expect((await matchesOf(registry, second.id)).map((m) => m.keys)).toEqual([["address"]]);
  });

  it("keeps an edit of a draft matching on its new licence number", async () => {
    const registry = await makeAccount("registry");
    const [a, b] = await Promise.all([makeAccount("operator"), makeAccount("operator")]);
    const licence = freshLicenceNumber();
    await applicationIn("approved", a!, registry, sampleApplication({ licenceNumber: licence }));
    const second = await draft(b!, sampleApplication());
    await ok(
      await signedJson(b!, "PUT", `/api/applications/${second.id}`, {
        ...sampleApplication(),
        licenceNumber: licence,
      }),
    );
    await expectProblem(
      await signedJson(b!, "POST", `/api/applications/${second.id}/submit`),
      409,
      "licence-registered",
    );
  });
});
