import {
  auditLog,
  type EntryBody,
  formatVerifierKey,
  generateEd25519KeyPair,
  memoryLogReader,
  NO_RELEASE_KEY,
  parseVerifierKey,
  sourceFromReader,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { HOUR, T, TestLog } from "../citizen/exposure/test-log.ts";
import { LintelError } from "../errors.ts";
import {
  REPORT_COUNTERS,
  type ReportCounts,
  reportCsv,
  reportJson,
  transparencyReport,
  type VerifiedAudit,
} from "./report.ts";

const ORIGIN = "lintel.test/demo/log";
/** 2026-11-30T17:00:00Z: still November in UTC, already 1 December in Shanghai (UTC+8). */
const T2 = Date.UTC(2026, 10, 30, 17) / 1000;
/** 2027-02-10T00:00:00Z: leaves January without entries. */
const T3 = Date.UTC(2027, 1, 10) / 1000;

/**
 * November (UTC and Shanghai): the set-up (2 officers, 2 trustees), a query of two entrances ×
 * two hours, releases by a trustee and by the log, a warning. 30 November 17:00 UTC: a query of
 * one entrance × two hours, a retention receipt, a witness, a code replacement. February: one
 * more code replacement, the venue suspended and reinstated, a venue request of two entrances ×
 * two hours, a request granting contacts of one entrance × two hours with a trustee's release,
 * and an entrance retired.
 */
function activity(): TestLog {
  const log = new TestLog().setUp();
  const q = log.query(["hbr-main", "hbr-back"], T - 3 * HOUR, T - HOUR);
  log.release(q, "trustee-a", 4);
  log.release(q, "log", 4);
  log.warning(q, "hbr-back", T - 2 * HOUR, T - HOUR);
  const query: EntryBody = {
    kind: "exposure-query",
    caseReferenceHash: new Uint8Array(32).fill(0xcb),
    legalBasis: "Prevention and Control of Disease Ordinance s.10",
    legalDocumentHash: new Uint8Array(32).fill(0xdc),
    entrances: ["hbr-main"],
    windowStart: T2 - 2 * HOUR,
    windowEnd: T2,
    reason: "a second confirmed case at the library",
    releaseKey: new Uint8Array(32).fill(0x09),
  };
  log.add(query, [log.officerA, log.officerB], T2);
  log.add(
    {
      kind: "retention-receipt",
      cutoff: T2 - 22 * 86_400,
      // Past 2^53: the count is a u64 and must not be rounded.
      ciphertextsDeleted: 12_345_678_901_234_567_890n,
      epochDaysDestroyed: [20_400, 20_401, 20_402],
    },
    [log.keys.log],
    T2,
  );
  log.add(
    {
      kind: "witness-enrolment",
      name: "witness.example",
      publicKey: generateEd25519KeyPair().publicKey,
    },
    [log.keys.registry],
    T2,
  );
  log.add(
    {
      kind: "code-replacement",
      venueId: "hbr",
      entranceId: "hbr-main",
      newVersion: 2,
      reason: "leaked",
    },
    [log.keys.registry],
    T2,
  );
  log.add(
    {
      kind: "code-replacement",
      venueId: "hbr",
      entranceId: "hbr-back",
      newVersion: 2,
      reason: "damaged",
    },
    [log.keys.registry],
    T3,
  );
  log.add({ kind: "venue-suspension", venueId: "hbr", reason: "closed" }, [log.keys.registry], T3);
  log.add({ kind: "venue-reinstatement", venueId: "hbr" }, [log.keys.registry], T3);
  log.add(
    {
      kind: "venue-request",
      venueId: "hbr",
      entrances: ["hbr-main", "hbr-back"],
      windowStart: T3 - 3 * HOUR,
      windowEnd: T3 - HOUR,
      reason: "staff-case",
      grants: ["warning"],
      releaseKey: NO_RELEASE_KEY,
    },
    [log.officerA],
    T3,
  );
  // A request granting contacts, and a trustee's release for it: a release like any other.
  const contacts = log.add(
    {
      kind: "venue-request",
      venueId: "hbr",
      entrances: ["hbr-main"],
      windowStart: T3 - 3 * HOUR,
      windowEnd: T3 - HOUR,
      reason: "guest-case",
      grants: ["contacts"],
      releaseKey: new Uint8Array(32).fill(4),
    },
    [log.officerA, log.officerB],
    T3,
  );
  log.add(
    {
      kind: "trustee-release",
      queryIndex: contacts,
      trusteeId: "trustee-a",
      identityCount: 2,
      partialKeysHash: new Uint8Array(32),
    },
    [log.trusteeSigners[0]],
    T3,
  );
  log.add(
    { kind: "entrance-retired", venueId: "hbr", entranceId: "hbr-back", replacedBy: "hbr-main" },
    [log.keys.registry],
    T3,
  );
  return log;
}

async function verified(log: TestLog): Promise<VerifiedAudit> {
  const outcome = await auditLog({
    source: sourceFromReader(ORIGIN, memoryLogReader(log.entries, ORIGIN, log.keys.log.secretKey)),
    logKey: parseVerifierKey(formatVerifierKey(ORIGIN, log.keys.log.publicKey)),
    entries: "lintel",
  });
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome;
}

const counts = (c: Partial<ReportCounts>): ReportCounts =>
  Object.fromEntries(REPORT_COUNTERS.map((k) => [k, c[k] ?? 0n])) as Record<
    keyof ReportCounts,
    bigint
  >;

describe("transparencyReport", () => {
  it("counts what each verified entry says, per month of the deployment's zone", async () => {
    const report = transparencyReport(await verified(activity()), "Asia/Shanghai");
    expect(report.deployment).toBe("demo");
    expect(report.logSize).toBe(22n);
    expect(report.months.map((m) => m.month)).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(report.months[0]!.counts).toEqual(
      counts({
        queries: 1n,
        entranceHours: 4n,
        releases: 2n,
        warnings: 1n,
        entrancesIssued: 2n,
        officerEnrolments: 2n,
        trusteeEnrolments: 2n,
      }),
    );
    expect(report.months[1]!.counts).toEqual(
      counts({
        queries: 1n,
        entranceHours: 2n,
        retentionReceipts: 1n,
        ciphertextsDeleted: 12_345_678_901_234_567_890n,
        daysDestroyed: 3n,
        codeReplacements: 1n,
        witnessEnrolments: 1n,
      }),
    );
    expect(report.months[2]!.counts).toEqual(counts({}));
    expect(report.months[3]!.counts).toEqual(
      counts({
        codeReplacements: 1n,
        venueSuspensions: 1n,
        venueReinstatements: 1n,
        entrancesRetired: 1n,
        releases: 1n,
        venueRequests: 2n,
        venueRequestEntranceHours: 6n,
      }),
    );
    expect(report.totals).toEqual(
      counts({
        queries: 2n,
        entranceHours: 6n,
        releases: 3n,
        warnings: 1n,
        retentionReceipts: 1n,
        ciphertextsDeleted: 12_345_678_901_234_567_890n,
        daysDestroyed: 3n,
        codeReplacements: 2n,
        entrancesIssued: 2n,
        officerEnrolments: 2n,
        trusteeEnrolments: 2n,
        witnessEnrolments: 1n,
        venueSuspensions: 1n,
        venueReinstatements: 1n,
        entrancesRetired: 1n,
        venueRequests: 2n,
        venueRequestEntranceHours: 6n,
      }),
    );
  });

  it("reads the months in the zone it is given", async () => {
    const report = transparencyReport(await verified(activity()), "UTC");
    expect(report.months.map((m) => m.month)).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    // 30 November 17:00 UTC is still November here.
    expect(report.months[0]!.counts.queries).toBe(2n);
    expect(report.months[1]!.counts).toEqual(counts({}));
  });

  it("writes JSON with decimal strings and CSV with one row per month under a header", async () => {
    const report = transparencyReport(await verified(activity()), "Asia/Shanghai");
    const json = reportJson(report);
    expect(json.logSize).toBe("22");
    expect(json.months[1]).toMatchObject({
      month: "2026-12",
      ciphertextsDeleted: "12345678901234567890",
    });
    expect(Object.keys(json.totals)).toEqual([...REPORT_COUNTERS]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    const lines = reportCsv(report).split("\r\n");
    expect(lines[0]).toBe(
      "month,queries,entranceHours,releases,warnings,retentionReceipts,ciphertextsDeleted," +
        "daysDestroyed,codeReplacements,entrancesIssued,officerEnrolments,trusteeEnrolments," +
        "witnessEnrolments,venueSuspensions,venueReinstatements,entrancesRetired,venueRequests," +
        "venueRequestEntranceHours",
    );
    expect(lines.slice(1)).toEqual([
      "2026-11,1,4,2,1,0,0,0,0,2,2,2,0,0,0,0,0,0",
      "2026-12,1,2,0,0,1,12345678901234567890,3,1,0,0,0,1,0,0,0,0,0",
      "2027-01,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
      "2027-02,0,0,1,0,0,0,0,1,0,0,0,0,1,1,1,2,6",
      "",
    ]);
  });

  it("refuses an unknown zone and an audit that does not hold every entry", async () => {
    const audit = await verified(activity());
    expect(() => transparencyReport(audit, "Mars/Olympus")).toThrow(LintelError);
    const resumed = { ...audit, lintel: { ...audit.lintel!, firstIndex: 5n } };
    expect(() => transparencyReport(resumed, "UTC")).toThrow(/every entry of the log/);
    const { lintel: _, ...opaque } = audit;
    expect(() => transparencyReport(opaque, "UTC")).toThrow(/not a Lintel log/);
  });
});
