/**
 * The transparency log over HTTP (C2SP tlog-tiles under /log, PROTOCOL.md §10.1, §10.5). Its
 * reads answer text notes and bytes, not JSON; appends take self-authenticating signed entries.
 */
import * as z from "zod";
import { defineRoute, rawAnswer } from "../route.ts";

/** A log index: decimal, no leading zeroes, at most 2^64 − 1 (checked by the handler). */
const logIndex = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, "a decimal index");

export const logRoutes = {
  checkpoint: defineRoute({
    id: "getCheckpoint",
    method: "GET",
    path: "/log/checkpoint",
    summary: "The newest signed checkpoint (C2SP signed note)",
    auth: "public",
    responses: {
      200: rawAnswer("text/plain", "The checkpoint note, witness cosignatures included"),
    },
    problems: ["not-found"],
  }),
  entryBundle: defineRoute({
    id: "getEntryBundle",
    method: "GET",
    path: "/log/tile/entries/*",
    summary: "An entry bundle: u16 length-prefixed entries (full bundles never change)",
    auth: "public",
    responses: { 200: rawAnswer("application/octet-stream", "The entry bundle") },
    problems: ["not-found"],
  }),
  tile: defineRoute({
    id: "getTile",
    method: "GET",
    path: "/log/tile/*",
    summary: "A hash tile (full tiles never change)",
    auth: "public",
    responses: { 200: rawAnswer("application/octet-stream", "The tile's hashes") },
    problems: ["not-found"],
  }),
  proof: defineRoute({
    id: "getLogProof",
    method: "GET",
    path: "/log/proof/:index",
    summary: "A C2SP tlog-proof bundle: the entry's inclusion proof in the newest checkpoint",
    auth: "public",
    params: z.object({ index: logIndex }),
    responses: { 200: rawAnswer("text/plain", "The tlog-proof bundle") },
    problems: ["not-found"],
  }),
  append: defineRoute({
    id: "appendToLog",
    method: "POST",
    path: "/log/entries",
    summary: "Appends signed entries, each checked against the log policy; rate-limited",
    auth: "public",
    body: z.strictObject({
      entries: z
        .array(z.string().regex(/^[A-Za-z0-9_-]+$/, "base64url"))
        .min(1)
        .max(100),
    }),
    maxBodyBytes: 256 * 1024,
    responses: {
      // Indexes are u64: decimal text, as JSON numbers lose precision past 2^53.
      201: z.object({
        firstIndex: z.string().regex(/^[0-9]+$/),
        size: z.string().regex(/^[0-9]+$/),
        checkpoint: z.string(),
      }),
    },
    problems: ["rate-limited", "log-policy-violation", "log-unavailable"],
  }),
  entryProof: defineRoute({
    id: "getEntryProof",
    method: "GET",
    path: "/api/log/entries/:index/proof",
    summary: "The entry itself with its tlog-proof, for a query's release (public)",
    auth: "public",
    params: z.object({ index: logIndex }),
    responses: { 200: rawAnswer("text/plain", "The tlog-proof bundle with the entry") },
    problems: ["not-found"],
  }),
} as const;
