/**
 * Reading an RFC 9457 problem answer: the one parser the SDK and the pages share. Whatever the
 * service (or something in front of it) answered, the caller gets a stable `code` to branch on:
 * the service's own, or "unexpected-response" when the answer is not a problem document.
 */
import * as z from "zod";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/** Where to scan instead of a retired entrance's code (problem `entrance-retired`). */
export const scanInstead = z.object({
  entranceId: z.string(),
  name: z.object({ en: z.string(), zh: z.string() }),
});
export type ScanInstead = z.output<typeof scanInstead>;

/** The members every problem of this service has, and the extensions callers read. */
export const problemDocumentSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  /** The service's Unix seconds, with bad-slots: devices correct their clock from it. */
  serviceTime: z.number().int().optional(),
  /** invalid-body: each offending field as a JSON Pointer and why (values never echoed). */
  errors: z.array(z.object({ pointer: z.string(), reason: z.string() })).optional(),
  /** entrance-retired: the entrance to scan instead, or null (ask the venue's staff). */
  scanInstead: scanInstead.nullable().optional(),
});

/** What a caller needs of a problem to act on it: its code (a proxy's may lack the rest). */
const readableProblem = problemDocumentSchema.partial({ type: true, title: true, status: true });

export interface Problem {
  readonly code: string;
  /** For people: the problem's detail, else its title, else the status. */
  readonly message: string;
  readonly status: number;
  readonly serviceTime?: number;
  /** Seconds from a Retry-After header (429, 503), when the service sent one. */
  readonly retryAfterSeconds?: number;
  readonly errors?: ReadonlyArray<{ readonly pointer: string; readonly reason: string }>;
  /** entrance-retired: where to scan instead; null when there is no other entrance to name. */
  readonly scanInstead?: ScanInstead | null;
}

/** What the parser needs of a fetch Response (kept structural: no DOM types here). */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

/** The problem a failed answer carries; reads the body. */
export async function readProblem(res: ResponseLike): Promise<Problem> {
  const retry = Number(res.headers.get("retry-after"));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {};
  const unexpected: Problem = {
    code: "unexpected-response",
    message: `The service answered ${res.status}.`,
    status: res.status,
    ...retryAfter,
  };
  if (!(res.headers.get("content-type") ?? "").startsWith(PROBLEM_MEDIA_TYPE)) return unexpected;
  const parsed = readableProblem.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) return unexpected;
  const doc = parsed.data;
  return {
    code: doc.code,
    message: doc.detail ?? doc.title ?? unexpected.message,
    status: res.status,
    ...(doc.serviceTime === undefined ? {} : { serviceTime: doc.serviceTime }),
    ...(doc.errors === undefined ? {} : { errors: doc.errors }),
    ...(doc.scanInstead === undefined ? {} : { scanInstead: doc.scanInstead }),
    ...retryAfter,
  };
}
