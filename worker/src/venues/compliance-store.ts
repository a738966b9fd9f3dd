/**
 * The registry's compliance view: for every approved or suspended venue, what needs attention —
 * entrances open for check-in with none in the last `quietDays` days (their poster may be gone or
 * ignored), reports not closed, codes replaced in the period, rectification orders past their
 * deadline unanswered, and the last inspection — and how long reports closed in the period took.
 * Counts only: no check-in, reporter or person is read.
 */
import { hourCounts } from "../checkins/counts.ts";
import type { Env } from "../env.ts";
import type { InspectionResult } from "./inspection-store.ts";

export interface ComplianceRow {
  readonly venueId: string;
  readonly name: { readonly en: string; readonly zh: string };
  readonly status: "approved" | "suspended";
  readonly quietEntrances: Array<{ id: string; label: { en: string; zh: string } }>;
  readonly openReports: number;
  readonly replacedCodes: number;
  readonly overdueRectifications: number;
  readonly lastInspection: {
    readonly inspectedOn: string;
    readonly result: InspectionResult;
  } | null;
}

export interface Compliance {
  readonly venues: ComplianceRow[];
  readonly reportsClosed: number;
  readonly medianHoursToClose: number | null;
}

interface VenueFacts {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly status: "approved" | "suspended";
  readonly openReports: number;
  readonly replacedCodes: number;
  readonly overdue: number;
  readonly inspectedOn: string | null;
  readonly result: InspectionResult | null;
}

/** At most this many venues per answer, the ones needing most attention first. */
const LIMIT = 500;

export async function compliance(env: Env, quietDays: number, now: number): Promise<Compliance> {
  const since = now - quietDays * 86_400;
  const [venuesResult, entrancesResult, closedResult] = await env.DB.batch<Record<string, unknown>>(
    [
      env.DB.prepare(
        `SELECT v.id, v.name_en AS nameEn, v.name_zh AS nameZh, v.status,
          (SELECT COUNT(*) FROM reports r WHERE r.venue_id = v.id AND r.merged_into IS NULL
             AND r.status != 'closed') AS openReports,
          (SELECT COUNT(*) FROM venue_events e WHERE e.venue_id = v.id
             AND e.action = 'code-replaced' AND e.at >= ?1) AS replacedCodes,
          (SELECT COUNT(*) FROM rectification_orders o WHERE o.venue_id = v.id
             AND o.closed_at IS NULL AND o.answered_at IS NULL AND o.deadline < ?2) AS overdue,
          i.inspected_on AS inspectedOn, i.result
         FROM venues v
         LEFT JOIN inspections i ON i.id = (SELECT id FROM inspections WHERE venue_id = v.id
           ORDER BY inspected_on DESC, recorded_at DESC LIMIT 1)
        WHERE v.status IN ('approved', 'suspended')
        ORDER BY v.id`,
      ).bind(since, now),
      env.DB.prepare(
        `SELECT e.id, e.venue_id AS venueId, e.label_en AS labelEn, e.label_zh AS labelZh
         FROM entrances e JOIN venues v ON v.id = e.venue_id
        WHERE e.active = 1 AND v.status = 'approved'`,
      ),
      env.DB.prepare(
        `SELECT closed_at - reported_hour AS took FROM reports
        WHERE closed_at IS NOT NULL AND closed_at >= ?1 AND merged_into IS NULL
        ORDER BY took`,
      ).bind(since),
    ],
  );
  const venues = (venuesResult?.results ?? []) as unknown as VenueFacts[];
  const entrances = (entrancesResult?.results ?? []) as unknown as Array<{
    id: string;
    venueId: string;
    labelEn: string;
    labelZh: string;
  }>;
  const fromHour = since - (since % 3600);
  const busy = new Set(
    (
      await hourCounts(
        env,
        entrances.map((e) => e.id),
        fromHour,
        now + 3600,
      )
    )
      .filter((c) => c.count > 0)
      .map((c) => c.entranceId),
  );
  const quiet = new Map<string, ComplianceRow["quietEntrances"]>();
  for (const e of entrances) {
    if (busy.has(e.id)) continue;
    quiet.set(e.venueId, [
      ...(quiet.get(e.venueId) ?? []),
      { id: e.id, label: { en: e.labelEn, zh: e.labelZh } },
    ]);
  }
  const rows: ComplianceRow[] = venues.map((v) => ({
    venueId: v.id,
    name: { en: v.nameEn, zh: v.nameZh },
    status: v.status,
    quietEntrances: quiet.get(v.id) ?? [],
    openReports: v.openReports,
    replacedCodes: v.replacedCodes,
    overdueRectifications: v.overdue,
    lastInspection:
      v.inspectedOn !== null && v.result !== null
        ? { inspectedOn: v.inspectedOn, result: v.result }
        : null,
  }));
  const weight = (r: ComplianceRow) =>
    r.overdueRectifications * 4 + r.openReports * 2 + r.quietEntrances.length + r.replacedCodes;
  rows.sort((a, b) => weight(b) - weight(a) || a.venueId.localeCompare(b.venueId));
  const took = ((closedResult?.results ?? []) as Array<{ took: number }>).map((r) => r.took);
  return {
    venues: rows.slice(0, LIMIT),
    reportsClosed: took.length,
    medianHoursToClose: took.length === 0 ? null : median(took) / 3600,
  };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
