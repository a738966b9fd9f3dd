/**
 * Public statistics from a verified Lintel log: per calendar month of the deployment's time zone,
 * how many exposure queries were logged and the entrance-hours they opened, releases, warnings,
 * retention receipts (ciphertexts deleted, epoch days destroyed), code replacements, entrances
 * issued, enrolments by role, venue suspensions and reinstatements, entrances retired, and venue
 * requests approved with the entrance-hours they name; and the totals.
 *
 * One function for every reader (the `lintel-audit report` CLI and the /transparency/ page), so
 * the two cannot disagree. It takes the outcome of a successful audit, never bytes off the wire:
 * every entry it counts has had its leaf hash, signatures and policy checked (PROTOCOL.md §10.6).
 *
 * Only what an entry itself says is counted. A query's draft that was never approved is not in
 * the log, so the log cannot count filed drafts: a logged query is counted in the month of its
 * `issuedAt`, which is when it was filed (its approvals sign those same bytes). Every other entry
 * is counted in the month of its `issuedAt`, the time its author claims.
 */
import {
  type AuditOutcome,
  decodeEntry,
  type EntryBody,
  type EntryKind,
  utcOffsetSeconds,
} from "@lintel/protocol";
import { LintelError } from "../errors.ts";

/** The figures, in the report's column order (JSON keys and CSV columns follow it). */
export const REPORT_COUNTERS = [
  "queries",
  "entranceHours",
  "releases",
  "warnings",
  "retentionReceipts",
  "ciphertextsDeleted",
  "daysDestroyed",
  "codeReplacements",
  "entrancesIssued",
  "officerEnrolments",
  "trusteeEnrolments",
  "witnessEnrolments",
  "venueSuspensions",
  "venueReinstatements",
  "entrancesRetired",
  "venueRequests",
  "venueRequestEntranceHours",
] as const;
export type ReportCounter = (typeof REPORT_COUNTERS)[number];

/** Counts are bigints: `ciphertextsDeleted` is a u64 in the log. */
export type ReportCounts = Readonly<Record<ReportCounter, bigint>>;

type Tally = Partial<Record<ReportCounter, bigint>>;
type BodyOf<K extends EntryKind> = Extract<EntryBody, { kind: K }>;

const SLOT_SECONDS = 3600n;

/**
 * Entry kind → what it adds. Every kind has a row, so a new kind does not compile until it is
 * given one (an empty row counts nothing).
 */
const COUNTED: { readonly [K in EntryKind]: (body: BodyOf<K>) => Tally } = {
  deployment: () => ({}),
  "officer-enrolment": () => ({ officerEnrolments: 1n }),
  "officer-removal": () => ({}),
  "trustee-enrolment": () => ({ trusteeEnrolments: 1n }),
  "trustee-removal": () => ({}),
  "witness-enrolment": () => ({ witnessEnrolments: 1n }),
  "witness-removal": () => ({}),
  "epoch-key": () => ({}),
  // The policy requires hour-aligned windows, so this is the scope's length (§11.1).
  "exposure-query": (q) => ({
    queries: 1n,
    entranceHours:
      (BigInt(q.entrances.length) * BigInt(q.windowEnd - q.windowStart)) / SLOT_SECONDS,
  }),
  "trustee-release": () => ({ releases: 1n }),
  "exposure-warning": () => ({ warnings: 1n }),
  "retention-receipt": (r) => ({
    retentionReceipts: 1n,
    ciphertextsDeleted: r.ciphertextsDeleted,
    daysDestroyed: BigInt(r.epochDaysDestroyed.length),
  }),
  "code-replacement": () => ({ codeReplacements: 1n }),
  "entrance-issued": () => ({ entrancesIssued: 1n }),
  "venue-suspension": () => ({ venueSuspensions: 1n }),
  "venue-reinstatement": () => ({ venueReinstatements: 1n }),
  "entrance-retired": () => ({ entrancesRetired: 1n }),
  // A venue's own request, approved by officers: the hours it names are hours the venue learnt
  // about (its counts), warned for, or — granting contacts — read, its releases counted with
  // every other release (a trustee-release names the request's index as its queryIndex).
  "venue-request": (r) => ({
    venueRequests: 1n,
    venueRequestEntranceHours:
      (BigInt(r.entrances.length) * BigInt(r.windowEnd - r.windowStart)) / SLOT_SECONDS,
  }),
};

function tally(body: EntryBody): Tally {
  return (COUNTED[body.kind] as (b: EntryBody) => Tally)(body);
}

export interface ReportMonth {
  /** `YYYY-MM` in the report's time zone. */
  readonly month: string;
  readonly counts: ReportCounts;
}

export interface TransparencyReport {
  readonly format: "lintel-transparency-report/1";
  /** The deployment named by the log's first entry. */
  readonly deployment: string;
  /** The verified checkpoint's origin and size: the entries counted are 0 … logSize − 1. */
  readonly origin: string;
  readonly logSize: bigint;
  /** The IANA zone whose calendar months the figures are grouped by. */
  readonly timeZone: string;
  /** Every month from the first entry's to the last's, in order (months without entries are 0). */
  readonly months: readonly ReportMonth[];
  readonly totals: ReportCounts;
}

/** A successful audit of a Lintel log, as `auditLog` returns it. */
export type VerifiedAudit = Extract<AuditOutcome, { ok: true }>;

function zeroCounts(): Record<ReportCounter, bigint> {
  return Object.fromEntries(REPORT_COUNTERS.map((c) => [c, 0n])) as Record<ReportCounter, bigint>;
}

function add(into: Record<ReportCounter, bigint>, t: Tally): void {
  for (const c of REPORT_COUNTERS) into[c] += t[c] ?? 0n;
}

/** A month as a number of months since year 0, and back. */
const monthNumber = (year: number, month: number) => year * 12 + (month - 1);
const monthText = (n: number) =>
  `${String(Math.floor(n / 12)).padStart(4, "0")}-${String((n % 12) + 1).padStart(2, "0")}`;

function localMonth(unixSeconds: number, timeZone: string): number {
  const wall = new Date((unixSeconds + utcOffsetSeconds(unixSeconds, timeZone)) * 1000);
  return monthNumber(wall.getUTCFullYear(), wall.getUTCMonth() + 1);
}

/** Throws LintelError `bad-value` for a zone this platform does not know. */
export function checkTimeZone(timeZone: string): string {
  try {
    utcOffsetSeconds(0, timeZone);
    return timeZone;
  } catch {
    throw new LintelError("bad-value", `${JSON.stringify(timeZone)} is not an IANA time zone.`);
  }
}

/**
 * The report of every entry of a verified Lintel log. Refuses (LintelError `bad-value`) an
 * opaque log and an audit resumed from a saved policy state, whose entries start past 0: the
 * report counts the whole log or nothing.
 */
export function transparencyReport(audit: VerifiedAudit, timeZone: string): TransparencyReport {
  checkTimeZone(timeZone);
  const lintel = audit.lintel;
  if (!lintel) throw new LintelError("bad-value", "The log is not a Lintel log.");
  if (lintel.firstIndex !== 0n || BigInt(lintel.entries.length) !== audit.checkpoint.size) {
    throw new LintelError("bad-value", "A report needs every entry of the log, from entry 0.");
  }
  const byMonth = new Map<number, Record<ReportCounter, bigint>>();
  const totals = zeroCounts();
  let deployment = "";
  for (const bytes of lintel.entries) {
    const { entry } = decodeEntry(bytes);
    if (entry.body.kind === "deployment") deployment = entry.deployment;
    const month = localMonth(entry.issuedAt, timeZone);
    const counts = byMonth.get(month) ?? zeroCounts();
    byMonth.set(month, counts);
    const t = tally(entry.body);
    add(counts, t);
    add(totals, t);
  }
  const months: ReportMonth[] = [];
  if (byMonth.size > 0) {
    const keys = [...byMonth.keys()];
    for (let m = Math.min(...keys); m <= Math.max(...keys); m++) {
      months.push({ month: monthText(m), counts: byMonth.get(m) ?? zeroCounts() });
    }
  }
  return {
    format: "lintel-transparency-report/1",
    deployment,
    origin: audit.checkpoint.origin,
    logSize: audit.checkpoint.size,
    timeZone,
    months,
    totals,
  };
}

/** The counts as decimal strings (64-bit numbers travel as strings, PROTOCOL.md §1.3). */
export type ReportCountsJson = Readonly<Record<ReportCounter, string>>;

export interface TransparencyReportJson {
  readonly format: "lintel-transparency-report/1";
  readonly deployment: string;
  readonly origin: string;
  readonly logSize: string;
  readonly timeZone: string;
  readonly months: ReadonlyArray<{ readonly month: string } & ReportCountsJson>;
  readonly totals: ReportCountsJson;
}

function countsJson(c: ReportCounts): ReportCountsJson {
  return Object.fromEntries(REPORT_COUNTERS.map((k) => [k, c[k].toString()])) as Record<
    ReportCounter,
    string
  >;
}

export function reportJson(report: TransparencyReport): TransparencyReportJson {
  return {
    format: report.format,
    deployment: report.deployment,
    origin: report.origin,
    logSize: report.logSize.toString(),
    timeZone: report.timeZone,
    months: report.months.map((m) => ({ month: m.month, ...countsJson(m.counts) })),
    totals: countsJson(report.totals),
  };
}

/** One row per month under a header row `month,<REPORT_COUNTERS…>`; CRLF line ends (RFC 4180). */
export function reportCsv(report: TransparencyReport): string {
  const rows = [
    ["month", ...REPORT_COUNTERS].join(","),
    ...report.months.map((m) =>
      [m.month, ...REPORT_COUNTERS.map((c) => m.counts[c].toString())].join(","),
    ),
  ];
  return `${rows.join("\r\n")}\r\n`;
}
