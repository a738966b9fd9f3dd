/**
 * lintel-authority's inputs, all read and checked before the first request: the officer's key
 * (a key file or the demo identities file), the authority's box key, a pinned registry key,
 * counts, query indices, the approver's own case reference and document, and the window's
 * times (their syntax now, their zone once the deployment names it). Every failure is a
 * UsageError that names the flag or file and what it should hold.
 */
import { readFileSync } from "node:fs";
import { decodeBase64url, parseVerifierKey } from "@lintel/protocol";
import type { ApproverChecks } from "../src/authority/index.ts";
import { readJson, readNote } from "./authority-output.ts";
import { UsageError } from "./failure.ts";
import { parseWallTime, readTime } from "./zoned-time.ts";

/** `approve`'s required --case and --legal-document, read before any request. */
export function approverChecksFrom(
  caseReference: string | undefined,
  documentFile: string | undefined,
): ApproverChecks {
  if (!caseReference?.trim() || !documentFile) {
    throw new UsageError(
      "approve: --case <reference> and --legal-document <file> are required (your own copy of both)",
    );
  }
  return { caseReference, legalDocument: readFileBytes(documentFile, "--legal-document") };
}

export function readFileBytes(file: string, flag: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new UsageError(`${flag} ${file} cannot be read (${fsReason(e)}): check the path`);
  }
}

export const fsReason = (e: unknown) =>
  e instanceof Error && "code" in e ? String(e.code) : e instanceof Error ? e.message : String(e);

function readJsonFile(file: string, flag: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${flag} ${file} cannot be read (${fsReason(e)}): check the path`);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === "object" && json !== null) return json as Record<string, unknown>;
  } catch {
    // Reported below, with what the file should hold.
  }
  throw new UsageError(`${flag} ${file} is not a JSON object such as {"secretKey": "<base64url>"}`);
}

function seed(text: unknown, what: string): Uint8Array {
  try {
    return decodeBase64url(String(text), 32);
  } catch {
    throw new UsageError(`${what} is not a 32-byte base64url key`);
  }
}

/** The officer's seed from a key file or from the demo identities file. */
export function officerSeed(file: string | undefined, officer: string | undefined): Uint8Array {
  if (!file) throw new UsageError("--key-file <file> is required: the officer's key");
  const json = readJsonFile(file, "--key-file");
  if (Array.isArray(json.officers)) {
    const officers = json.officers as Array<Record<string, unknown>>;
    const ids = officers.map((o) => String(o.id)).join(", ");
    if (!officer) throw new UsageError(`--officer <id> names one officer of ${file} (${ids})`);
    const found = officers.find((o) => o.id === officer);
    if (!found) throw new UsageError(`${file} has no officer ${officer} (it has ${ids})`);
    return seed(found.secretKey, `${file}: officer ${officer}'s secretKey`);
  }
  return seed(json.secretKey, `--key-file ${file}: secretKey`);
}

/** The authority's box secret key, from {"secretKey"} or the identities file's authorityBox. */
export function boxSecretKey(file: string): Uint8Array {
  const json = readJsonFile(file, "--authority-box-key-file");
  const box = (json.authorityBox ?? json) as Record<string, unknown>;
  return seed(box.secretKey, `--authority-box-key-file ${file}: the authority box secretKey`);
}

export function registryKey(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  try {
    return text.includes("+") ? parseVerifierKey(text).publicKey : decodeBase64url(text, 32);
  } catch {
    throw new UsageError("--registry-key is a 32-byte base64url key or a C2SP verifier key");
  }
}

export function count(text: string | undefined, flag: string, min: number, max: number) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError(`${flag} is a whole number from ${min} to ${max}`);
  }
  return n;
}

export function queryIndex(text: string | undefined): bigint {
  if (!text || !/^(0|[1-9][0-9]{0,19})$/.test(text))
    throw new UsageError(`a query index is a decimal number, not ${JSON.stringify(text ?? "")}`);
  return BigInt(text);
}

/** --from and --to: syntax checked before any request; the zone applied once it is known. */
export function windowFlags(
  values: { readonly from?: string | undefined; readonly to?: string | undefined },
  command: string,
) {
  for (const flag of ["from", "to"] as const) {
    const text = values[flag];
    if (!text) throw new UsageError(`${command}: --${flag} <time> is required`);
    parseWallTime(text, `--${flag}`);
  }
  const from = values.from!;
  const to = values.to!;
  return (zone: string | undefined) => {
    const start = readTime(from, "--from", zone);
    const end = readTime(to, "--to", zone);
    return {
      start,
      end,
      notes: [readNote("--from", from, start), readNote("--to", to, end)].filter(
        (n): n is string => n !== undefined,
      ),
      json: [readJson("--from", from, start), readJson("--to", to, end)],
    };
  };
}
