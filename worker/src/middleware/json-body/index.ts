/**
 * Reads and validates a JSON request body, or throws the precise problem:
 *   415 unsupported-media-type  — not application/json
 *   413 payload-too-large       — more than `maxBytes`, counted while streaming (a missing or
 *                                 lying Content-Length does not get past the limit)
 *   400 malformed-json          — not UTF-8, or not one JSON value
 *   422 invalid-body            — valid JSON of the wrong shape; `errors` lists JSON Pointers
 * Validation messages describe the expected shape and never repeat the submitted values.
 */
import type { Context } from "hono";
import type * as z from "zod";
import { ProblemError } from "../../problems/problem.ts";

export const DEFAULT_MAX_JSON_BYTES = 16 * 1024;

export interface FieldError {
  readonly pointer: string;
  readonly reason: string;
}

export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  maxBytes: number = DEFAULT_MAX_JSON_BYTES,
): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ProblemError("unsupported-media-type", "Send the body as application/json.");
  }
  // A signed request's body was already read (and its hash checked) by middleware/auth.
  const preRead: Uint8Array | undefined = c.get("body");
  const bytes = preRead ?? (await readBodyBytes(c, maxBytes));
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);

  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new ProblemError("malformed-json", "The body is not valid UTF-8 JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 20).map(describeIssue);
    throw new ProblemError("invalid-body", "Some fields are missing or invalid.", { errors });
  }
  return parsed.data;
}

/**
 * The raw body, at most `maxBytes`: refused early by Content-Length and again while streaming
 * (a missing or lying Content-Length does not get past the limit).
 */
export async function readBodyBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  return readLimited(c.req.raw.body, maxBytes);
}

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError("payload-too-large", `The body must be at most ${maxBytes} bytes.`);
}

async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function escapePointerToken(token: PropertyKey): string {
  return String(token).slice(0, 40).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function describeIssue(issue: z.core.$ZodIssue): FieldError {
  const pointer = issue.path.map((p) => `/${escapePointerToken(p)}`).join("");
  if (issue.code === "unrecognized_keys") {
    return {
      pointer,
      reason: `unexpected field(s): ${issue.keys.map(escapePointerToken).join(", ")}`,
    };
  }
  return { pointer, reason: issue.message };
}
