/**
 * The shape of a venue application, as the API contract declares it (`@lintel/contract`'s
 * `applicationInput`: untrusted text, byte limits of a signed code).
 */

import type { applicationInput } from "@lintel/contract";
import type * as z from "zod";

export { applicationInput as applicationSchema } from "@lintel/contract";

export type ApplicationInput = z.output<typeof applicationInput>;
