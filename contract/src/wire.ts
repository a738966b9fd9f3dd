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

const utf8Length = (s: string) => new TextEncoder().encode(s).length;
/** Control and invisible format characters; with `multiline`, line feeds are allowed. */
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const CONTROL_BUT_LF = /(?![\n])[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * Untrusted text typed by a person (a name, an address, feedback): markup and formula
 * characters are kept as typed (shown and exported as plain text, never interpreted), control
 * and invisible format characters refused, at most `maxBytes` of UTF-8 once trimmed. With
 * `multiline`, line breaks are allowed and become "\n".
 */
export function plainText(maxBytes: number, what: string, options: { multiline?: boolean } = {}) {
  const forbidden = options.multiline ? CONTROL_BUT_LF : CONTROL;
  return z
    .string()
    .transform((s) => (options.multiline ? s.replace(/\r\n?/g, "\n") : s))
    .pipe(
      z
        .string()
        .trim()
        .min(1, `${what}: required`)
        .refine((s) => utf8Length(s) <= maxBytes, `${what}: at most ${maxBytes} bytes of UTF-8`)
        .refine((s) => !forbidden.test(s), `${what}: no control characters`),
    );
}

/** A label a person picks for an account ("Reviewer 3", "Front desk"); not a real name. */
export const accountLabel = z
  .string()
  .trim()
  .min(1, "1–60 characters")
  .max(60, "1–60 characters")
  .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), "no control or format characters");
