import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { venueRoutes } from "@lintel/contract";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/src/app.ts";
import { loadDeployment } from "../../worker/src/config/deployment.ts";
import worker from "../../worker/src/entry/main.ts";
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
} from "../../worker/src/middleware/security-headers/index.ts";
import { retentionCutoff } from "../../worker/src/retention/cron.ts";
import { BASE, call, expectProblem, seedVenues } from "./helpers.ts";

beforeEach(seedVenues);

describe("/healthz", () => {
  it("passes when the database is migrated and the log writer answers", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "pass",
      checks: { database: "pass", log: "pass" },
      logSize: "0",
    });
  });

  it("reports an unmigrated database as a 503 problem", async () => {
    await env.DB.exec("DROP TABLE reports");
    await env.DB.exec("DROP TABLE entrances");
    await env.DB.exec("DROP TABLE venues");
    await expectProblem(await call("/healthz"), 503, "database-unavailable");
  });
});

describe("deployment configuration", () => {
  const valid = () => structuredClone(env.LINTEL_DEPLOYMENT) as Record<string, unknown>;

  it("validates the settings in wrangler.toml", () => {
    const d = loadDeployment(env.LINTEL_DEPLOYMENT);
    expect(d.trustees.map((t) => t.id)).toEqual(["trustee-a", "trustee-b"]);
    expect(d.officerPolicy.approvalsRequired).toBeGreaterThanOrEqual(2);
  });

  it("publishes the responsible authority's contact in both languages", async () => {
    const answer = (await (await call("/api/deployment")).json()) as {
      contact?: { name: { en: string; zh: string }; phone: string };
    };
    expect(answer.contact).toEqual(loadDeployment(env.LINTEL_DEPLOYMENT).contact);
    expect(answer.contact?.name.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ["a missing id", (c: Record<string, unknown>) => delete c.id, /id/],
    [
      "one officer approving alone",
      (c: Record<string, unknown>) =>
        ((c.officerPolicy as Record<string, number>).approvalsRequired = 1),
      /approvalsRequired/,
    ],
    ["a bad time zone", (c: Record<string, unknown>) => (c.timezone = "Mars/Olympus"), /timezone/],
    [
      "duplicate trustee ids",
      (c: Record<string, unknown>) =>
        (c.trustees = [...(c.trustees as unknown[]), (c.trustees as unknown[])[0]]),
      /trustee ids/,
    ],
    ["an unknown setting", (c: Record<string, unknown>) => (c.surprise = true), /surprise/],
    [
      "an id longer than entries can carry",
      (c: Record<string, unknown>) => (c.id = "d".repeat(33)),
      /id/,
    ],
    [
      "an authority contact whose phone is not a number",
      (c: Record<string, unknown>) => ((c.contact as Record<string, unknown>).phone = "<script>"),
      /contact/,
    ],
    [
      "an authority web page that is not https",
      (c: Record<string, unknown>) =>
        ((c.contact as Record<string, unknown>).url = "javascript:alert(1)"),
      /contact/,
    ],
    [
      "a log origin that cannot name a key",
      (c: Record<string, unknown>) => (c.logOrigin = "log+1.example"),
      /logOrigin/,
    ],
  ])("refuses %s, naming the setting", (_, mutate, message) => {
    const config = valid();
    mutate(config);
    expect(() => loadDeployment(config)).toThrowError(message);
  });

  it("answers every request with a misconfigured problem rather than guessing", async () => {
    const broken = { ...env, LINTEL_DEPLOYMENT: { ...valid(), retentionDays: 0 } };
    const res = await createApp().fetch(
      new Request(`${BASE}/healthz`),
      broken,
      createExecutionContext(),
    );
    const problem = await expectProblem(res, 503, "misconfigured");
    expect(problem.detail).toContain("retentionDays");
  });
});

describe("public venue facts", () => {
  it("lists approved venues only", async () => {
    const body = venueRoutes.listVenues.responses[200].parse(
      await (await call("/api/venues")).json(),
    );
    expect(body.venues.map((v) => v.id)).toEqual(["v1"]);
    expect(body.next).toBeNull();
  });

  it("pages through many venues without repeats", async () => {
    const rows = Array.from(
      { length: 120 },
      (_, i) => `('p${String(i).padStart(3, "0")}', 'N', 'N', 'shop', 'approved')`,
    );
    await env.DB.exec(
      `INSERT INTO venues (id, name_en, name_zh, category, status) VALUES ${rows.join(", ")}`,
    );
    const seen: string[] = [];
    let after: string | null = "";
    while (after !== null) {
      const res: Response = await call(`/api/venues${after ? `?after=${after}` : ""}`);
      const page = venueRoutes.listVenues.responses[200].parse(await res.json());
      seen.push(...page.venues.map((v) => v.id));
      after = page.next;
    }
    expect(seen).toHaveLength(121);
    expect(new Set(seen).size).toBe(121);
  });

  it("refuses a page cursor that is no venue id, naming the parameter", async () => {
    const problem = await expectProblem(
      await call("/api/venues?after=%3Cx%3E"),
      422,
      "invalid-body",
    );
    expect(problem.errors?.map((e) => e.pointer)).toEqual(["/after"]);
  });

  it("shows one venue with its entrances, and hides unapproved ones", async () => {
    const venue = venueRoutes.getVenue.responses[200].parse(
      await (await call("/api/venues/v1")).json(),
    );
    expect(venue.entrances.map((e) => e.id).sort()).toEqual(["v1-back", "v1-front"]);
    expect(venue.entrances.every((e) => e.codeVersion === 1)).toBe(true);
    await expectProblem(await call("/api/venues/v2"), 404, "not-found");
    await expectProblem(await call("/api/venues/%3Cscript%3E"), 404, "not-found");
  });
});

describe("security headers", () => {
  it("sets the strict CSP on pages, API answers and problems alike", async () => {
    // The one addition: the trustees' origins in connect-src, so that the authority's console can
    // ask them for their releases — the configured trustees, exactly, and nothing else.
    const expected = contentSecurityPolicy(["http://127.0.0.1:8789", "http://127.0.0.1:8790"]);
    expect(expected).toContain("connect-src 'self' http://127.0.0.1:8789 http://127.0.0.1:8790;");
    for (const path of ["/", "/api/deployment", "/nope", "/assets/styles.css"]) {
      const res = await call(path);
      expect(res.headers.get("content-security-policy"), path).toBe(expected);
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:|\*/);
    // WebAssembly (libsodium on the check-in page) is the one exception, and only that.
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval';");
  });

  it("serves the pages from static assets and a problem for a missing asset", async () => {
    const page = await call("/");
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>[^<]*Lintel<\/title>/);
    await expectProblem(await call("/assets/missing.js"), 404, "not-found");
  });
});

describe("retention cron", () => {
  it("computes the cutoff from the retention setting", () => {
    expect(retentionCutoff(Date.UTC(2026, 0, 22), 21)).toBe(Date.UTC(2026, 0, 1) / 1000);
  });

  it("runs from the scheduled handler", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.UTC(2026, 0, 22), cron: "7 * * * *" }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^retention: cutoff 2026-01-01T00:00:00\.000Z, \d+ ciphertexts/),
    );
    log.mockRestore();
  });
});
