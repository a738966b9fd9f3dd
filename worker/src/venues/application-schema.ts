/**
 * The shape of a venue application. Names, address and labels are untrusted text: markup and
 * formula characters are kept as typed (they are shown and exported as plain text, never
 * interpreted), but control and invisible format characters are refused. Byte limits follow what
 * a signed code can carry (PROTOCOL.md §3.1): the Chinese name goes into the code.
 */
import { plainText } from "@lintel/contract";
import { VENUE_CODE_LIMITS as LIMITS } from "@lintel/protocol";
import * as z from "zod";
import { VENUE_CATEGORIES } from "./categories.ts";

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

export const entranceInputSchema = z.strictObject({
  /** Present when editing an entrance that already exists in this application. */
  id: z
    .string()
    .regex(/^e-[0-9a-z]{12}$/, "an entrance id of this application")
    .optional(),
  label: z.strictObject({
    en: plainText(LIMITS.entranceName, "English label"),
    zh: plainText(LIMITS.entranceName, "Chinese label"),
  }),
});

export const applicationSchema = z.strictObject({
  name: z.strictObject({
    en: plainText(120, "English name"),
    zh: plainText(LIMITS.venueName, "Chinese name"),
  }),
  address: plainText(300, "address", { multiline: true }),
  category: z.enum(VENUE_CATEGORIES),
  contact: z.strictObject({
    person: plainText(100, "contact person"),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, "a phone number: digits, spaces, ( ) - and a leading +"),
  }),
  entrances: z.array(entranceInputSchema).min(1, "at least one entrance").max(50, "at most 50"),
});

export type ApplicationInput = z.output<typeof applicationSchema>;

/** The entrance name a code carries: both languages when they fit, else the Chinese label. */
export function codeEntranceName(label: { readonly en: string; readonly zh: string }): string {
  const both = `${label.zh} ${label.en}`;
  return utf8Length(both) <= LIMITS.entranceName ? both : label.zh;
}
