/**
 * Field formats shared by many routes. A request field that carries bytes is base64url text of
 * an exact length in JSON and the decoded bytes once validated, so a handler never decodes by
 * hand and a caller sends text.
 */
import { decodeBase64url } from "@lintel/protocol";
import * as z from "zod";

/** Unpadded base64url text of `bytes` bytes. */
export const base64urlText = (bytes: number) =>
  z
    .string()
    .length(Math.ceil((bytes * 4) / 3))
    .regex(/^[A-Za-z0-9_-]*$/, "base64url");

/** base64url text of exactly `bytes` bytes in JSON; those bytes after validation. */
export const base64urlBytes = (bytes: number, what: string) =>
  z
    .string()
    .max(Math.ceil((bytes * 4) / 3) + 4)
    .meta({ description: `${what}: ${bytes} bytes, base64url without padding` })
    .transform((s, ctx) => {
      try {
        return decodeBase64url(s, bytes);
      } catch {
        ctx.addIssue({ code: "custom", message: `${what}: ${bytes} bytes in base64url` });
        return z.NEVER;
      }
    });

/** Unix seconds. */
export const unixSeconds = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A text in both of the service's languages. */
export const localized = z.object({ en: z.string(), zh: z.string() });

/** An account, venue or entrance id as the service makes them. */
export const idText = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "an identifier of 1–64 characters");

export type Localized = z.output<typeof localized>;
