/**
 * Enrolling device keys: the statements that create a device row, shared by operator sign-up,
 * enrolment-code redemption and adding a device from a signed-in one.
 */
import { decodeBase64url, deviceKeyId, encodeBase64url, toHex } from "@lintel/protocol";
import * as z from "zod";
import type { AccountRole } from "../env.ts";
import { DEVICE_LIFETIMES } from "../middleware/auth/lifetimes.ts";
import { newId } from "./ids.ts";

/** A raw Ed25519 public key in base64url (43 characters, 32 bytes). */
export const publicKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "a 32-byte Ed25519 public key in base64url")
  .transform((s, ctx) => {
    try {
      return decodeBase64url(s, 32);
    } catch {
      ctx.addIssue({ code: "custom", message: "a 32-byte Ed25519 public key in base64url" });
      return z.NEVER;
    }
  });

/** A label a person picks for an account ("Reviewer 3", "Front desk"); not a real name. */
export const labelSchema = z
  .string()
  .trim()
  .min(1, "1–60 characters")
  .max(60, "1–60 characters")
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), "no control or format characters");

export interface NewDevice {
  readonly deviceId: string;
  readonly expiresAt: number;
  readonly insert: D1PreparedStatement;
}

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
