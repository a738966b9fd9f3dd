/**
 * Accounts, devices, request nonces and enrolment codes in D1: every statement on those tables.
 * Functions that return a prepared statement are parts of a caller's batch (one D1 transaction:
 * an account with its first device and nonce, a device only while its code is unspent).
 */

import type { ReviewerScope } from "@lintel/contract";
import {
  deviceKeyId,
  encodeBase64url,
  enrolmentCodeHash,
  newEnrolmentCode,
  toHex,
} from "@lintel/protocol";
import { isUniqueViolation } from "../db/d1.ts";
import type { AccountRole } from "../env.ts";
import { DEVICE_LIFETIMES } from "../middleware/auth/lifetimes.ts";
import { ProblemError } from "../problems/problem.ts";
import { type StoredScope, storedScope } from "../venues/scope.ts";
import { newId } from "./ids.ts";

// ── Accounts ────────────────────────────────────────────────────────────────────────────────

export function insertAccount(
  db: D1Database,
  account: {
    readonly id: string;
    readonly role: AccountRole;
    readonly label: string;
    readonly createdBy: string | null;
    readonly venueId?: string;
    /** A registry reviewer's scope; absent: every district and sector. */
    readonly scope?: ReviewerScope;
  },
  now: number,
): D1PreparedStatement {
  const [districts, sectors] = account.scope ? storedScope(account.scope) : [null, null];
  return db
    .prepare(
      `INSERT INTO accounts (id, role, label, venue_id, created_by, created_at, scope_districts, scope_sectors)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      account.id,
      account.role,
      account.label,
      account.venueId ?? null,
      account.createdBy,
      now,
      districts,
      sectors,
    );
}

/** Live registry reviewers with their stored scopes, oldest first. */
export async function registryReviewers(
  db: D1Database,
): Promise<Array<StoredScope & { id: string; label: string; createdAt: number }>> {
  const { results } = await db
    .prepare(
      `SELECT id, label, created_at AS createdAt, scope_districts AS scopeDistricts,
              scope_sectors AS scopeSectors
         FROM accounts WHERE role = 'registry' AND disabled_at IS NULL
        ORDER BY created_at, id LIMIT 500`,
    )
    .all<StoredScope & { id: string; label: string; createdAt: number }>();
  return results;
}

/** Sets a live registry reviewer's scope; false when there is no such reviewer. */
export async function setScope(
  db: D1Database,
  accountId: string,
  scope: ReviewerScope,
): Promise<boolean> {
  const [districts, sectors] = storedScope(scope);
  const result = await db
    .prepare(
      `UPDATE accounts SET scope_districts = ?, scope_sectors = ?
        WHERE id = ? AND role = 'registry' AND disabled_at IS NULL`,
    )
    .bind(districts, sectors, accountId)
    .run();
  return result.meta.changes === 1;
}

/**
 * A registry reviewer created by a statement signed with the registry key itself: the account,
 * and the statement's nonce under `signer` (a pseudo device id), as writes for one batch with the
 * account's enrolment code — a replayed statement breaks the nonce's key and writes nothing.
 */
export function registryKeyReviewerWrites(
  db: D1Database,
  account: { readonly id: string; readonly label: string },
  signer: string,
  nonceHex: string,
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare("INSERT INTO request_nonces (device_id, nonce, seen_at) VALUES (?, ?, ?)")
      .bind(signer, nonceHex, now),
    insertAccount(
      db,
      { id: account.id, role: "registry", label: account.label, createdBy: signer },
      now,
    ),
  ];
}

/** A live registry, officer or auditor account: the only ones the registry may re-enrol. */
export async function findReenrollableAccount(
  db: D1Database,
  id: string,
): Promise<{ id: string; role: "registry" | "officer" | "auditor" } | null> {
  // Not operators or venue staff: the registry must not be able to act as them.
  return db
    .prepare(
      "SELECT id, role FROM accounts WHERE id = ? AND disabled_at IS NULL AND role IN ('registry', 'officer', 'auditor')",
    )
    .bind(id)
    .first<{ id: string; role: "registry" | "officer" | "auditor" }>();
}

/** The entrances a staff account is bound to. */
export async function staffEntranceIds(db: D1Database, accountId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT entrance_id AS id FROM staff_entrances WHERE account_id = ? ORDER BY entrance_id",
    )
    .bind(accountId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

// ── Devices ─────────────────────────────────────────────────────────────────────────────────

export interface NewDevice {
  readonly deviceId: string;
  readonly expiresAt: number;
  readonly insert: D1PreparedStatement;
}

/** A device row to insert (in the caller's batch), with its id and the end of its lifetime. */
export function newDevice(
  db: D1Database,
  deployment: string,
  accountId: string,
  role: AccountRole,
  publicKey: Uint8Array,
  now: number,
  options: {
    /** Only insert while this enrolment code (its hash) is unspent: redemption is atomic. */
    readonly unspentCodeHash?: string;
    /** The latest expiry allowed (the enrolling device's own lifetime end). */
    readonly notAfter?: number;
  } = {},
): NewDevice {
  const { unspentCodeHash, notAfter } = options;
  const deviceId = newId("d");
  const expiresAt = Math.min(now + DEVICE_LIFETIMES[role].lifetimeSeconds, notAfter ?? Infinity);
  const values = [
    deviceId,
    accountId,
    encodeBase64url(publicKey),
    toHex(deviceKeyId(deployment, publicKey)),
    now,
    now,
    expiresAt,
  ];
  const columns =
    "INSERT INTO devices (id, account_id, public_key, key_id, created_at, last_used_at, expires_at)";
  const insert =
    unspentCodeHash === undefined
      ? db.prepare(`${columns} VALUES (?, ?, ?, ?, ?, ?, ?)`).bind(...values)
      : db
          .prepare(
            `${columns} SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM enrolment_codes
               WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?)`,
          )
          .bind(...values, unspentCodeHash, now);
  return { deviceId, expiresAt, insert };
}

/** The nonce of the statement that enrolled a device, stored only if the device was. */
export function enrolmentNonce(
  db: D1Database,
  deviceId: string,
  nonceHex: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO request_nonces (device_id, nonce, seen_at) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM devices WHERE id = ?)",
    )
    .bind(deviceId, nonceHex, now, deviceId);
}

/** A new operator account with its first device and that device's nonce, in one batch. */
export async function createOperator(
  db: D1Database,
  account: { readonly id: string; readonly label: string },
  device: NewDevice,
  nonceHex: string,
  now: number,
): Promise<void> {
  await db.batch([
    insertAccount(
      db,
      { id: account.id, role: "operator", label: account.label, createdBy: null },
      now,
    ),
    device.insert,
    enrolmentNonce(db, device.deviceId, nonceHex, now),
  ]);
}

/**
 * Enrols a device made with `unspentCodeHash` (newDevice) and spends the code, in one
 * transaction: the device and its nonce are inserted only while the code is unspent, then the
 * code is spent. Two requests racing with one code cannot both get a device: false for the loser.
 */
export async function redeemEnrolmentCode(
  db: D1Database,
  device: NewDevice,
  nonceHex: string,
  codeHash: string,
  now: number,
): Promise<boolean> {
  const results = await db.batch([
    device.insert,
    enrolmentNonce(db, device.deviceId, nonceHex, now),
    spendEnrolmentCode(db, codeHash, now),
  ]);
  return (results[0]?.meta.changes ?? 0) === 1;
}

/** A device that may sign, with its account (auth middleware). */
export interface DeviceRow {
  readonly deviceId: string;
  readonly publicKey: string;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly accountId: string;
  readonly role: AccountRole;
  readonly label: string;
  readonly venueId: string | null;
  /** A registry reviewer's scope as stored (venues/scope.ts); null: every one. */
  readonly scopeDistricts: string | null;
  readonly scopeSectors: string | null;
}

/** Devices of live accounts with this 4-byte key id (hex): a few devices may share one. */
export async function devicesWithKeyId(db: D1Database, keyIdHex: string): Promise<DeviceRow[]> {
  const { results } = await db
    .prepare(
      `SELECT d.id AS deviceId, d.public_key AS publicKey, d.created_at AS createdAt,
            d.last_used_at AS lastUsedAt, d.expires_at AS expiresAt, d.revoked_at AS revokedAt,
            a.id AS accountId, a.role AS role, a.label AS label, a.venue_id AS venueId,
            a.scope_districts AS scopeDistricts, a.scope_sectors AS scopeSectors
       FROM devices d JOIN accounts a ON a.id = d.account_id
      WHERE d.key_id = ? AND a.disabled_at IS NULL`,
    )
    .bind(keyIdHex)
    .all<DeviceRow>();
  return results;
}

/** The accounts whose devices hold these public keys (base64url), revoked devices included. */
export async function accountsOfKeys(
  db: D1Database,
  publicKeys: readonly string[],
): Promise<Set<string>> {
  if (publicKeys.length === 0) return new Set();
  const { results } = await db
    .prepare(
      `SELECT DISTINCT account_id AS accountId FROM devices WHERE public_key IN (${publicKeys.map(() => "?").join(", ")})`,
    )
    .bind(...publicKeys)
    .all<{ accountId: string }>();
  return new Set(results.map((r) => r.accountId));
}

/** Stores the nonce and the last-use time together; a replayed nonce fails both. */
export async function recordUse(
  db: D1Database,
  deviceId: string,
  nonceHex: string,
  now: number,
): Promise<void> {
  try {
    await db.batch([
      db
        .prepare("INSERT INTO request_nonces (device_id, nonce, seen_at) VALUES (?, ?, ?)")
        .bind(deviceId, nonceHex, now),
      db.prepare("UPDATE devices SET last_used_at = ? WHERE id = ?").bind(now, deviceId),
    ]);
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new ProblemError("statement-replayed", "This statement was already used.");
    }
    throw e;
  }
}

export interface DeviceSummary {
  readonly id: string;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

export async function devicesOf(db: D1Database, accountId: string): Promise<DeviceSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, created_at AS createdAt, last_used_at AS lastUsedAt, expires_at AS expiresAt,
              revoked_at AS revokedAt FROM devices WHERE account_id = ? ORDER BY created_at, id`,
    )
    .bind(accountId)
    .all<DeviceSummary>();
  return results;
}

/** Which of an account's devices: one by id, or "all" of them. */
export type DeviceChoice = string;

/** The public keys (base64url) of an account's devices not signed out yet. */
export async function liveDeviceKeys(
  db: D1Database,
  accountId: string,
  which: DeviceChoice,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT public_key AS publicKey FROM devices
        WHERE account_id = ? AND revoked_at IS NULL AND (? = 'all' OR id = ?)`,
    )
    .bind(accountId, which, which)
    .all<{ publicKey: string }>();
  return results.map((r) => r.publicKey);
}

/** Signs devices of an account out; returns how many were still signed in. */
export async function revokeDevices(
  db: D1Database,
  accountId: string,
  which: DeviceChoice,
  now: number,
): Promise<number> {
  const result =
    which === "all"
      ? await db
          .prepare("UPDATE devices SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL")
          .bind(now, accountId)
          .run()
      : await db
          .prepare(
            "UPDATE devices SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL",
          )
          .bind(now, which, accountId)
          .run();
  return result.meta.changes;
}

/** Signs one device out whatever its account (undoing an enrolment the log refused). */
export async function revokeDevice(db: D1Database, deviceId: string, now: number): Promise<void> {
  await db.prepare("UPDATE devices SET revoked_at = ? WHERE id = ?").bind(now, deviceId).run();
}

// ── Enrolment codes (PROTOCOL.md §6.3) ──────────────────────────────────────────────────────

export const ENROLMENT_CODE_SECONDS = 3 * 86_400;
/**
 * A code for another device of one's own account: typed into the other browser there and then,
 * so an hour is plenty, and a code seen over a shoulder is worthless soon after.
 */
export const DEVICE_CODE_SECONDS = 3600;

export interface IssuedCode {
  readonly enrolmentCode: string;
  readonly codeExpiresAt: number;
}

/**
 * Stores a new one-time code for `accountId`, in one batch with `alongside` (e.g. the account's
 * creation). Only the code's SHA-256 is kept; the code itself is returned once, to hand over in
 * person. A code binds exactly one device and expires after three days, or `lifetimeSeconds`.
 */
export async function issueEnrolmentCode(
  db: D1Database,
  accountId: string,
  createdBy: string,
  now: number,
  alongside: readonly D1PreparedStatement[] = [],
  lifetimeSeconds: number = ENROLMENT_CODE_SECONDS,
): Promise<IssuedCode> {
  const code = newEnrolmentCode();
  const expiresAt = now + lifetimeSeconds;
  await db.batch([
    ...alongside,
    db
      .prepare(
        "INSERT INTO enrolment_codes (code_hash, account_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(enrolmentCodeHash(code), accountId, createdBy, now, expiresAt),
  ]);
  return { enrolmentCode: code, codeExpiresAt: expiresAt };
}

export interface CodeAccount {
  readonly id: string;
  readonly role: AccountRole;
  readonly label: string;
  readonly venueId: string | null;
}

/** The live account an unspent, unexpired code was made for. */
export async function accountOfCode(
  db: D1Database,
  codeHash: string,
  now: number,
): Promise<CodeAccount | null> {
  return db
    .prepare(
      `SELECT a.id AS id, a.role AS role, a.label AS label, a.venue_id AS venueId
           FROM enrolment_codes ec JOIN accounts a ON a.id = ec.account_id
          WHERE ec.code_hash = ? AND ec.used_at IS NULL AND ec.expires_at > ? AND a.disabled_at IS NULL`,
    )
    .bind(codeHash, now)
    .first<CodeAccount>();
}

/** Spends a code (in the batch that enrols the device it binds). */
export function spendEnrolmentCode(
  db: D1Database,
  codeHash: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(now, codeHash, now);
}

// ── Venue staff ─────────────────────────────────────────────────────────────────────────────

/** A staff account bound to entrances of its venue, as statements for the caller's batch. */
export function staffAccountWrites(
  db: D1Database,
  staff: {
    readonly id: string;
    readonly label: string;
    readonly venueId: string;
    readonly createdBy: string;
    readonly entranceIds: readonly string[];
  },
  now: number,
): D1PreparedStatement[] {
  return [
    insertAccount(
      db,
      {
        id: staff.id,
        role: "staff",
        label: staff.label,
        venueId: staff.venueId,
        createdBy: staff.createdBy,
      },
      now,
    ),
    ...staff.entranceIds.map((e) =>
      db
        .prepare("INSERT INTO staff_entrances (account_id, entrance_id) VALUES (?, ?)")
        .bind(staff.id, e),
    ),
  ];
}

export interface StaffRow {
  readonly id: string;
  readonly label: string;
  readonly createdAt: number;
  readonly disabledAt: number | null;
  /** Entrance ids, comma-separated. */
  readonly entrances: string | null;
  readonly lastSeen: number | null;
}

export async function staffOfVenue(db: D1Database, venueId: string): Promise<StaffRow[]> {
  const { results } = await db
    .prepare(
      `SELECT a.id, a.label, a.created_at AS createdAt, a.disabled_at AS disabledAt,
                (SELECT group_concat(entrance_id) FROM staff_entrances s WHERE s.account_id = a.id) AS entrances,
                (SELECT MAX(last_used_at) FROM devices d WHERE d.account_id = a.id) AS lastSeen
           FROM accounts a WHERE a.role = 'staff' AND a.venue_id = ? ORDER BY a.created_at, a.id`,
    )
    .bind(venueId)
    .all<StaffRow>();
  return results;
}

/**
 * Disables a staff account of this venue and signs out its devices, in one batch; false when
 * the venue has no such live staff account.
 */
export async function disableStaff(
  db: D1Database,
  venueId: string,
  accountId: string,
  now: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        "UPDATE accounts SET disabled_at = ? WHERE id = ? AND role = 'staff' AND venue_id = ? AND disabled_at IS NULL",
      )
      .bind(now, accountId, venueId),
    // Guarded like the first statement: only devices of this venue's staff account.
    db
      .prepare(
        `UPDATE devices SET revoked_at = ? WHERE revoked_at IS NULL AND account_id IN
             (SELECT id FROM accounts WHERE id = ? AND role = 'staff' AND venue_id = ?)`,
      )
      .bind(now, accountId, venueId),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

export interface StaffEntrance {
  readonly id: string;
  readonly labelEn: string;
  readonly labelZh: string;
  readonly venueId: string;
  readonly nameEn: string;
  readonly nameZh: string;
}

/**
 * A staff member's active entrances at approved venues, with their venues' names, in the order
 * the operator listed them in the venue's application (kept as `created_at`, see
 * venues/application-store.ts): the door picker offers them in that order.
 */
export async function staffEntrances(db: D1Database, accountId: string): Promise<StaffEntrance[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id, e.label_en AS labelEn, e.label_zh AS labelZh, v.id AS venueId,
            v.name_en AS nameEn, v.name_zh AS nameZh
       FROM staff_entrances s JOIN entrances e ON e.id = s.entrance_id
       JOIN venues v ON v.id = e.venue_id
      WHERE s.account_id = ? AND e.active = 1 AND v.status = 'approved'
      ORDER BY v.id, e.created_at, e.id`,
    )
    .bind(accountId)
    .all<StaffEntrance>();
  return results;
}

// ── Housekeeping (retention/cron.ts) ────────────────────────────────────────────────────────

/** Drops request nonces seen before `before`; returns how many went. */
export async function deleteRequestNonces(db: D1Database, before: number): Promise<number> {
  const result = await db
    .prepare("DELETE FROM request_nonces WHERE seen_at < ?")
    .bind(before)
    .run();
  return result.meta.changes;
}

/** Public keys (base64url) of officer devices signed out or past their lifetime at `now`. */
export async function lapsedOfficerKeys(db: D1Database, now: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT d.public_key AS publicKey FROM devices d JOIN accounts a ON a.id = d.account_id
      WHERE a.role = 'officer' AND (d.revoked_at IS NOT NULL OR d.expires_at <= ?)`,
    )
    .bind(now)
    .all<{ publicKey: string }>();
  return results.map((r) => r.publicKey);
}
