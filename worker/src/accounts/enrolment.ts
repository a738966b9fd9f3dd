/**
 * One-time enrolment codes. Whoever enrols a person (the registry for its staff, officers and
 * auditors; an operator for venue staff) gets the code once, to hand over in person; the service
 * keeps only its SHA-256 (PROTOCOL.md §6.3). A code binds exactly one device and expires after three days.
 */
import { enrolmentCodeHash, newEnrolmentCode } from "@lintel/protocol";

export const ENROLMENT_CODE_SECONDS = 3 * 86_400;

export interface IssuedCode {
  readonly enrolmentCode: string;
  readonly codeExpiresAt: number;
}

/** Stores a new code for `accountId`, in one batch with `alongside` (e.g. the account's creation). */
export async function issueEnrolmentCode(
  db: D1Database,
  accountId: string,
  createdBy: string,
  now: number,
  alongside: readonly D1PreparedStatement[] = [],
): Promise<IssuedCode> {
  const code = newEnrolmentCode();
  const expiresAt = now + ENROLMENT_CODE_SECONDS;
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
