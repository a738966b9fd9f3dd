/**
 * What a person sends to enrol a device key: the key itself and an account label. The rows are
 * written by store.ts (`newDevice`).
 */
import { decodeBase64url } from "@lintel/protocol";
import * as z from "zod";

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
export { accountLabel as labelSchema } from "@lintel/contract";
