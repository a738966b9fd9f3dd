/**
 * The shape of a venue application, as the API contract declares it (`@lintel/contract`'s
 * `applicationInput`: untrusted text, byte limits of a signed code), and the entrance name a
 * code carries.
 */

import type { applicationInput } from "@lintel/contract";
import { VENUE_CODE_LIMITS as LIMITS } from "@lintel/protocol";
import type * as z from "zod";

export { applicationInput as applicationSchema } from "@lintel/contract";

export type ApplicationInput = z.output<typeof applicationInput>;

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** The entrance name a code carries: both languages when they fit, else the Chinese label. */
export function codeEntranceName(label: { readonly en: string; readonly zh: string }): string {
  const both = `${label.zh} ${label.en}`;
  return utf8Length(both) <= LIMITS.entranceName ? both : label.zh;
}
