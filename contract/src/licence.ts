/**
 * A venue's business licence number, as an application names it: a unified social credit code
 * (统一社会信用代码, GB 32100-2015: 18 characters) or another registration number (8–30 digits or
 * letters). The number is what tells two applications for one venue apart from two venues, so it
 * is checked here, where the form and the service both read it, and kept in one spelling:
 * spaces and hyphens (how licences print it in groups) dropped, letters upper case.
 *
 * A unified social credit code uses the digits and the capital letters but I, O, S, V and Z;
 * characters 3–8 are the registering authority's administrative division code (digits). Its
 * last character is a check character: with each of the first 17 characters' value (0–9, then
 * A = 10 … Y = 30 in that alphabet) times the weight of its position (3^i mod 31: 1, 3, 9, 27,
 * 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), the check character is the alphabet's
 * character of value (31 − sum mod 31) mod 31.
 *
 * Every 18-character number must be a valid unified social credit code: that length is the
 * code's, so an 18-character number that fails its check is a typing mistake, not some other
 * kind of number.
 */
import * as z from "zod";

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;
const OTHER_NUMBER = /^[0-9A-Z]{8,30}$/;

/** The check character of a unified social credit code's first 17 characters. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i] ?? "");
    if (value < 0) throw new Error("not a unified social credit code character");
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** The one spelling of a typed licence number: no spaces or hyphens, letters in upper case. */
export function canonicalLicenceNumber(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase();
}

export type LicenceNumberProblem = "length" | "characters" | "check";

/** What is wrong with a licence number in its canonical spelling; null when nothing is. */
export function licenceNumberProblem(canonical: string): LicenceNumberProblem | null {
  if (canonical.length === 18) {
    if (!USCC_SHAPE.test(canonical)) return "characters";
    return creditCodeCheckCharacter(canonical.slice(0, 17)) === canonical[17] ? null : "check";
  }
  if (canonical.length < 8 || canonical.length > 30) return "length";
  return OTHER_NUMBER.test(canonical) ? null : "characters";
}

const REASONS: Record<LicenceNumberProblem, string> = {
  length: "licence number: 8–30 digits or letters (a unified social credit code has 18)",
  characters:
    "licence number: digits and letters only; a unified social credit code uses no I, O, S, V or Z and digits in places 3–8",
  check: "licence number: the unified social credit code's check character does not match",
};

/** The request field: typed text in, the canonical spelling out. */
export const licenceNumber = z
  .string()
  .max(60, "licence number: at most 60 characters")
  .transform(canonicalLicenceNumber)
  .superRefine((s, ctx) => {
    const problem = licenceNumberProblem(s);
    if (problem !== null) ctx.addIssue({ code: "custom", message: REASONS[problem] });
  });
