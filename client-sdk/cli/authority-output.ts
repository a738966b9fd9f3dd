/**
 * What lintel-authority prints: each command's result as text for people, and as the JSON
 * document --json prints instead. Times are shown in the deployment's zone with their offset
 * (UTC with `Z` when the service names no zone); JSON carries UTC ISO 8601 times.
 */
import type { DraftQuery, FoundContact, QueryResult } from "../src/authority/index.ts";
import { reviewQuery } from "../src/authority/index.ts";
import { formatTime, type ReadTime, zoneLabel } from "./zoned-time.ts";

const utc = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/** How a typed time was read, for the answer to say. */
export function readNote(flag: string, text: string, read: ReadTime): string | undefined {
  return read.readIn
    ? `${flag} ${text} has no zone: read in the deployment's zone ${zoneLabel(read.readIn, read.seconds)} as ${formatTime(read.seconds, read.readIn)} (${formatTime(read.seconds)})`
    : undefined;
}

export function readJson(flag: string, text: string, read: ReadTime) {
  return {
    flag,
    input: text,
    time: utc(read.seconds),
    zone: read.readIn ? { readIn: read.readIn, because: "the input has no zone" } : "given",
  };
}

function who(c: FoundContact): string {
  switch (c.details.kind) {
    case "contact":
    case "card": {
      const { name, phone, idNumber } = c.details.contact;
      return `${name}, ${phone}${idNumber ? `, ID ${idNumber}` : ""}${c.details.kind === "card" ? " (citizen card)" : ""}`;
    }
    case "sealed-card":
      return "sealed card, needs the authority key";
    case "card-unreadable":
      return `citizen card does not open (${c.details.code})`;
  }
}

function contactLine(c: FoundContact, zone: string | undefined): string {
  const t = (s: number) => formatTime(s, zone);
  return (
    `${c.entranceId}  ${t(c.arrival)} → ${t(c.expectedDeparture)}  ${c.recordedBy}` +
    `${c.companions ? ` +${c.companions}` : ""}  ${who(c)}  [slots ${c.slots.map(t).join(", ")}]`
  );
}

export function decryptText(r: QueryResult, csvFile: string | undefined, zone?: string): string {
  const t = (s: number) => formatTime(s, zone);
  const lines = [
    `query ${r.queryIndex}: ${r.query.entrances.join(", ")} ${t(r.query.windowStart)} – ${t(r.query.windowEnd)}`,
    `times in ${zoneLabel(zone, r.query.windowStart)}`,
    `released by ${r.releases.map((x) => `${x.trusteeId} (entry ${x.releaseIndex})`).join(", ")}`,
    `${r.ciphertexts} ciphertexts, ${r.contacts.length} distinct check-ins`,
  ];
  for (const e of r.expired) {
    lines.push(
      e.reason === "no-epoch-key"
        ? `no epoch key was ever published for this day (no check-in can exist for it): ${e.entranceId} ${t(e.slotStart)}`
        : `past retention, key withheld by ${e.withheldBy.join(" and ")} (nobody can decrypt it): ${e.entranceId} ${t(e.slotStart)}`,
    );
  }
  for (const [code, n] of Object.entries(r.failures))
    lines.push(`${n} ciphertexts did not decrypt (${code})`);
  if (csvFile) lines.push(`contacts written to ${csvFile}`);
  else lines.push("", ...r.contacts.map((c) => contactLine(c, zone)));
  return `${lines.join("\n")}\n`;
}

function contactJson(c: FoundContact) {
  return {
    entranceId: c.entranceId,
    recordedBy: c.recordedBy,
    arrival: utc(c.arrival),
    expectedDeparture: utc(c.expectedDeparture),
    companions: c.companions,
    details: c.details,
    slots: c.slots.map(utc),
  };
}

export function decryptJson(r: QueryResult, csvFile: string | undefined) {
  return {
    ok: true,
    command: "decrypt",
    queryIndex: r.queryIndex,
    query: {
      entrances: r.query.entrances,
      windowStart: utc(r.query.windowStart),
      windowEnd: utc(r.query.windowEnd),
    },
    releases: r.releases,
    ciphertexts: r.ciphertexts,
    failures: r.failures,
    expired: r.expired.map((e) => ({
      entranceId: e.entranceId,
      slotStart: utc(e.slotStart),
      withheldBy: e.withheldBy,
      reason: e.reason,
    })),
    contactCount: r.contacts.length,
    ...(csvFile ? { csv: csvFile } : { contacts: r.contacts.map(contactJson) }),
  };
}

export function listText(queries: readonly DraftQuery[], zone: string | undefined): string {
  if (queries.length === 0) return "no queries\n";
  const t = (s: number) => formatTime(s, zone);
  const lines = queries.map((q) => {
    const r = reviewQuery(q.entry);
    const state =
      q.status === "expired"
        ? ` — ${q.expiredReason}`
        : q.status === "awaiting-approval"
          ? ` (${q.approvals ?? 1} of ${q.approvalsNeeded ?? 2} officers; expires ${q.expiresAt ?? "?"})`
          : "";
    return (
      `${q.draftId}  ${q.status}${q.queryIndex !== undefined ? ` (entry ${q.queryIndex})` : ""}  ` +
      `${r.entrances.join(",")} ${t(q.query.windowStart)} – ${t(q.query.windowEnd)}  ` +
      `filed by ${q.filedBy.label || q.filedBy.accountId} ${q.filedAt}  "${r.reason}"${state}`
    );
  });
  return `${lines.join("\n")}\n`;
}

export function listJson(queries: readonly DraftQuery[]) {
  return {
    ok: true,
    command: "list",
    queries: queries.map((q) => {
      const r = reviewQuery(q.entry);
      return {
        draftId: q.draftId,
        status: q.status,
        ...(q.queryIndex !== undefined ? { queryIndex: q.queryIndex } : {}),
        entrances: r.entrances,
        windowStart: utc(q.query.windowStart),
        windowEnd: utc(q.query.windowEnd),
        legalBasis: r.legalBasis,
        reason: r.reason,
        filedBy: q.filedBy,
        filedAt: q.filedAt,
        ...(q.approvedBy ? { approvedBy: q.approvedBy } : {}),
        ...(q.approvals !== undefined ? { approvals: q.approvals } : {}),
        ...(q.approvalsNeeded !== undefined ? { approvalsNeeded: q.approvalsNeeded } : {}),
        ...(q.expiresAt ? { expiresAt: q.expiresAt } : {}),
        ...(q.expiredReason ? { expiredReason: q.expiredReason } : {}),
      };
    }),
  };
}

/** The draft as `approve` shows it before asking, on stderr. */
export function draftText(q: DraftQuery, zone: string | undefined): string {
  const r = reviewQuery(q.entry);
  const start = q.query.windowStart;
  return [
    `draft ${q.draftId}, filed by ${q.filedBy.label || q.filedBy.accountId} at ${q.filedAt}`,
    `  entrances:      ${r.entrances.join(", ")}`,
    `  window:         ${formatTime(start, zone)} – ${formatTime(q.query.windowEnd, zone)} (${r.identityCount} entrance-hours; ${zoneLabel(zone, start)})`,
    `  window (UTC):   ${formatTime(start)} – ${formatTime(q.query.windowEnd)}`,
    `  legal basis:    ${r.legalBasis}`,
    `  reason:         ${r.reason}`,
    `  case reference: SHA-256 ${r.caseReferenceHash}`,
    `  legal document: SHA-256 ${r.legalDocumentHash}`,
  ].join("\n");
}
