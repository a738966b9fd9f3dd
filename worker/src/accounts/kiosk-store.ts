/**
 * Kiosk accounts in D1. A kiosk is an account of role "kiosk" made by a venue's operator and
 * bound to exactly one entrance (one `staff_entrances` row: the table binds accounts to
 * entrances whatever their role; staff queries select role 'staff'). Its `venue_id` stays NULL —
 * the accounts table reserves that column for staff — so a kiosk's venue is its entrance's.
 */
import type { AccountRole } from "../env.ts";
import { insertAccount } from "./store.ts";

const KIOSK: AccountRole = "kiosk";

/** A kiosk account bound to `entranceId`, as statements for the caller's batch. */
export function kioskAccountWrites(
  db: D1Database,
  kiosk: {
    readonly id: string;
    readonly label: string;
    readonly entranceId: string;
    readonly createdBy: string;
  },
  now: number,
): D1PreparedStatement[] {
  return [
    insertAccount(
      db,
      { id: kiosk.id, role: KIOSK, label: kiosk.label, createdBy: kiosk.createdBy },
      now,
    ),
    db
      .prepare("INSERT INTO staff_entrances (account_id, entrance_id) VALUES (?, ?)")
      .bind(kiosk.id, kiosk.entranceId),
  ];
}

export interface KioskRow {
  readonly id: string;
  readonly label: string;
  readonly entranceId: string;
  readonly disabledAt: number | null;
  readonly lastSeen: number | null;
  readonly devices: number;
}

/** The kiosks bound to entrances of `venueId`, revoked ones included. */
export async function kiosksOfVenue(db: D1Database, venueId: string): Promise<KioskRow[]> {
  const { results } = await db
    .prepare(
      `SELECT a.id, a.label, s.entrance_id AS entranceId, a.disabled_at AS disabledAt,
              (SELECT MAX(last_used_at) FROM devices d WHERE d.account_id = a.id) AS lastSeen,
              (SELECT COUNT(*) FROM devices d WHERE d.account_id = a.id) AS devices
         FROM accounts a JOIN staff_entrances s ON s.account_id = a.id
         JOIN entrances e ON e.id = s.entrance_id
        WHERE a.role = 'kiosk' AND e.venue_id = ? ORDER BY a.created_at, a.id`,
    )
    .bind(venueId)
    .all<KioskRow>();
  return results;
}

/**
 * Revokes a kiosk of this venue: the account is disabled (its unused code with it) and its
 * devices signed out, in one batch; false when the venue has no such live kiosk.
 */
export async function disableKiosk(
  db: D1Database,
  venueId: string,
  accountId: string,
  now: number,
): Promise<boolean> {
  const ofVenue = `SELECT a.id FROM accounts a JOIN staff_entrances s ON s.account_id = a.id
       JOIN entrances e ON e.id = s.entrance_id
      WHERE a.id = ? AND a.role = 'kiosk' AND e.venue_id = ?`;
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE accounts SET disabled_at = ? WHERE disabled_at IS NULL AND id IN (${ofVenue})`,
      )
      .bind(now, accountId, venueId),
    db
      .prepare(
        `UPDATE devices SET revoked_at = ? WHERE revoked_at IS NULL AND account_id IN (${ofVenue})`,
      )
      .bind(now, accountId, venueId),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

export interface KioskEntrance {
  readonly entranceId: string;
  readonly labelEn: string;
  readonly labelZh: string;
  readonly codeVersion: number;
  readonly active: number;
  readonly venueId: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly venueStatus: string;
}

/** The entrance a kiosk account is bound to, with its venue; null when it has none. */
export async function kioskEntrance(
  db: D1Database,
  accountId: string,
): Promise<KioskEntrance | null> {
  return db
    .prepare(
      `SELECT e.id AS entranceId, e.label_en AS labelEn, e.label_zh AS labelZh,
              e.code_version AS codeVersion, e.active AS active, v.id AS venueId,
              v.name_en AS nameEn, v.name_zh AS nameZh, v.status AS venueStatus
         FROM accounts a JOIN staff_entrances s ON s.account_id = a.id
         JOIN entrances e ON e.id = s.entrance_id JOIN venues v ON v.id = e.venue_id
        WHERE a.id = ? AND a.role = 'kiosk'`,
    )
    .bind(accountId)
    .first<KioskEntrance>();
}
