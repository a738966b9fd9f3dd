/**
 * lintel-authority — the health authority's command line (PROTOCOL.md §11).
 *
 *   lintel-authority file --entrance <id>... --from <time> --to <time> --case <reference>
 *                         --legal-basis <text> --legal-document <file> --reason <text>
 *   lintel-authority list
 *   lintel-authority approve <draftId> --case <reference> --legal-document <file> [--yes]
 *   lintel-authority decrypt <queryIndex> [--csv <out.csv>] [--threads N]
 *                            [--authority-box-key-file <file>] [--cosignatures N]
 *
 * `file` makes the query's release key and keeps its secret half in release-keys.json next to
 * the key file (or --release-keys <file>); `decrypt` opens the sealed releases with it, so only
 * the officer who filed a query, from this key file's directory, can decrypt it.
 *   lintel-authority warn <queryIndex> --entrance <id> --from <time> --to <time>
 *
 * Every command: --service <url> (default http://127.0.0.1:8787); the officer's key from
 * --key-file <file> — {"secretKey": "<base64url Ed25519 seed>"}, or the demo identities file
 * (.lintel/identities.json) with --officer <id>; --registry-key <base64url or verifier key> pins
 * the registry. Times are ISO 8601 (e.g. 2026-11-21T10:00Z).
 *
 * Decrypted data is printed, or written only to the file named by --csv (mode 0600); it is never
 * sent anywhere. Exit status: 0 done; 1 refused (the problem's code and message are printed);
 * 2 the command line is wrong.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { decodeBase64url, isProtocolError, parseVerifierKey } from "@lintel/protocol";
import { deviceKeyFromSeed } from "../src/auth/device-key.ts";
import {
  type ApproverChecks,
  type AuthorityDeployment,
  approveQuery,
  buildQuery,
  contactsCsv,
  createNodeDecryptPool,
  type DecryptPool,
  decryptQuery,
  type FoundContact,
  fetchAuthorityDeployment,
  fileQuery,
  inThreadPool,
  listQueries,
  newReleaseKey,
  type OfficerOptions,
  publishWarning,
  type QueryResult,
  reviewQuery,
  verifyApproverChecks,
} from "../src/authority/index.ts";
import { LintelError } from "../src/errors.ts";
import type { FetchLike } from "../src/http.ts";
import { releaseKeyLookup, releaseKeysFile, rememberReleaseKey } from "./release-keys.ts";

const USAGE = `usage: lintel-authority <command> [options]
  file --entrance <id>... --from <time> --to <time> --case <reference>
       --legal-basis <text> --legal-document <file> --reason <text>
  list
  approve <draftId> --case <reference> --legal-document <file> [--yes]
           (the approver's own copy of both: they must match the draft's hashes)
  decrypt <queryIndex> [--csv <out.csv>] [--threads N] [--authority-box-key-file <file>]
          [--cosignatures N]
  warn <queryIndex> --entrance <id> --from <time> --to <time>
options for every command:
  --service <url>          the Lintel service (default http://127.0.0.1:8787)
  --key-file <file>        {"secretKey": "<base64url Ed25519 seed>"} or the demo identities file
  --officer <id>           with the demo identities file: which officer (e.g. officer-a)
  --registry-key <key>     pin the registry: base64url public key or C2SP verifier key
  --release-keys <file>    the queries' release keys (default: release-keys.json next to
                           the key file; written by file, read by decrypt)`;

class UsageError extends Error {}

/** `approve`'s required --case and --legal-document, read before any request. */
function approverChecksFrom(
  caseReference: string | undefined,
  documentFile: string | undefined,
): ApproverChecks {
  if (!caseReference?.trim() || !documentFile) {
    throw new UsageError(
      "approve: --case <reference> and --legal-document <file> are required (your own copy of both)",
    );
  }
  try {
    return { caseReference, legalDocument: new Uint8Array(readFileSync(documentFile)) };
  } catch {
    throw new UsageError(`--legal-document ${documentFile} cannot be read`);
  }
}

export interface CliResult {
  readonly code: number;
  readonly output: string;
}

export interface CliIo {
  readonly fetch?: FetchLike;
  /** Asked before approving without --yes; default: a terminal prompt. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Progress lines (standard error by default). */
  readonly log?: (line: string) => void;
}

function readJsonFile(file: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(
      `${what} ${file} cannot be read as JSON: ${e instanceof Error ? e.message : e}`,
    );
  }
}

function seed(text: unknown, what: string): Uint8Array {
  try {
    return decodeBase64url(String(text), 32);
  } catch {
    throw new UsageError(`${what} is not a 32-byte base64url key`);
  }
}

/** The officer's seed from a key file or from the demo identities file. */
function officerSeed(file: string | undefined, officer: string | undefined): Uint8Array {
  if (!file) throw new UsageError("--key-file is required");
  const json = readJsonFile(file, "--key-file");
  if (Array.isArray(json.officers)) {
    if (!officer) throw new UsageError("--officer <id> names one officer of the identities file");
    const found = (json.officers as Array<Record<string, unknown>>).find((o) => o.id === officer);
    if (!found) throw new UsageError(`${file} has no officer ${officer}`);
    return seed(found.secretKey, `officer ${officer}'s secretKey`);
  }
  return seed(json.secretKey, "--key-file secretKey");
}

/** The authority's box secret key, from {"secretKey"} or the identities file's authorityBox. */
function boxSecretKey(file: string): Uint8Array {
  const json = readJsonFile(file, "--authority-box-key-file");
  const box = (json.authorityBox ?? json) as Record<string, unknown>;
  return seed(box.secretKey, "the authority box secretKey");
}

function registryKey(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  try {
    return text.includes("+") ? parseVerifierKey(text).publicKey : decodeBase64url(text, 32);
  } catch {
    throw new UsageError("--registry-key is a 32-byte base64url key or a C2SP verifier key");
  }
}

function time(text: string | undefined, flag: string): number {
  if (!text) throw new UsageError(`${flag} <time> is required`);
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw new UsageError(`${flag} is an ISO 8601 time such as 2026-11-21T10:00Z`);
  }
  return Math.floor(ms / 1000);
}

function count(
  text: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError(`${flag} is a whole number from ${min} to ${max}`);
  }
  return n;
}

function queryIndex(text: string | undefined): bigint {
  if (!text || !/^(0|[1-9][0-9]{0,19})$/.test(text))
    throw new UsageError("a query index is a decimal number");
  return BigInt(text);
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(":00.000Z", "Z");

function describeContact(c: FoundContact): string {
  const who = (() => {
    switch (c.details.kind) {
      case "contact":
        return `${c.details.contact.name}, ${c.details.contact.phone}${c.details.contact.idNumber ? `, ID ${c.details.contact.idNumber}` : ""}`;
      case "card":
        return `${c.details.contact.name}, ${c.details.contact.phone}${c.details.contact.idNumber ? `, ID ${c.details.contact.idNumber}` : ""} (citizen card)`;
      case "sealed-card":
        return "sealed card, needs the authority key";
      case "card-unreadable":
        return `citizen card does not open (${c.details.code})`;
    }
  })();
  return (
    `${c.entranceId}  ${iso(c.arrival)} → ${iso(c.expectedDeparture)}  ${c.recordedBy}` +
    `${c.companions ? ` +${c.companions}` : ""}  ${who}  [slots ${c.slots.map(iso).join(", ")}]`
  );
}

function describeResult(r: QueryResult, csvFile: string | undefined): string {
  const lines = [
    `query ${r.queryIndex}: ${r.query.entrances.join(", ")} ${iso(r.query.windowStart)} – ${iso(r.query.windowEnd)}`,
    `released by ${r.releases.map((x) => `${x.trusteeId} (entry ${x.releaseIndex})`).join(", ")}`,
    `${r.ciphertexts} ciphertexts, ${r.contacts.length} distinct check-ins`,
  ];
  for (const e of r.expired) {
    lines.push(
      `past retention, key withheld by ${e.withheldBy.join(" and ")} (nobody can decrypt it): ${e.entranceId} ${iso(e.slotStart)}`,
    );
  }
  for (const [code, n] of Object.entries(r.failures))
    lines.push(`${n} ciphertexts did not decrypt (${code})`);
  if (csvFile) lines.push(`contacts written to ${csvFile}`);
  else lines.push("", ...r.contacts.map(describeContact));
  return `${lines.join("\n")}\n`;
}

async function terminalConfirm(question: string): Promise<boolean> {
  if (!stdin.isTTY) return false;
  const rl = createInterface({ input: stdin, output: stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<CliResult> {
  const log = io.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let pool: DecryptPool | undefined;
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    return { code: argv.length === 0 ? 2 : 0, output: `${USAGE}\n` };
  }
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        service: { type: "string" },
        "key-file": { type: "string" },
        officer: { type: "string" },
        "registry-key": { type: "string" },
        entrance: { type: "string", multiple: true },
        from: { type: "string" },
        to: { type: "string" },
        case: { type: "string" },
        "legal-basis": { type: "string" },
        "legal-document": { type: "string" },
        reason: { type: "string" },
        yes: { type: "boolean" },
        csv: { type: "string" },
        threads: { type: "string" },
        "authority-box-key-file": { type: "string" },
        cosignatures: { type: "string" },
        "release-keys": { type: "string" },
      },
    });
    const [command, ...rest] = positionals;
    const arity: Record<string, number> = { file: 0, list: 0, approve: 1, decrypt: 1, warn: 1 };
    if (command === undefined || !(command in arity)) throw new UsageError("unknown command");
    if (rest.length !== arity[command])
      throw new UsageError(`${command}: wrong number of arguments`);
    const baseUrl = values.service ?? "http://127.0.0.1:8787";
    if (!/^https?:\/\//.test(baseUrl)) throw new UsageError("--service is an http(s) URL");
    const key = deviceKeyFromSeed(officerSeed(values["key-file"], values.officer));
    const releaseKeys = releaseKeysFile(values["key-file"]!, values["release-keys"]);
    const pinned = registryKey(values["registry-key"]);
    // Check the decrypt-only inputs before any network call.
    const threads = count(values.threads, "--threads", 0, 64);
    const cosignatures = count(values.cosignatures, "--cosignatures", 0, 100);
    const boxKey = values["authority-box-key-file"]
      ? boxSecretKey(values["authority-box-key-file"])
      : undefined;
    if (values.csv && existsSync(values.csv))
      throw new UsageError(`${values.csv} exists; not overwriting it`);
    // The approver's two checks are required before anything is asked of the service.
    const approverDocument =
      command === "approve" ? approverChecksFrom(values.case, values["legal-document"]) : undefined;

    const service = { baseUrl, ...(io.fetch ? { fetch: io.fetch } : {}) };
    const deployment: AuthorityDeployment = await fetchAuthorityDeployment(
      service,
      pinned ? { registryKey: pinned } : {},
    );
    const officer: OfficerOptions = { ...service, deployment: deployment.id, key };

    switch (command) {
      case "file": {
        if (!values.entrance?.length)
          throw new UsageError("file: --entrance <id> (repeatable) is required");
        for (const flag of ["case", "legal-basis", "legal-document", "reason"] as const) {
          if (!values[flag]) throw new UsageError(`file: --${flag} is required`);
        }
        let document: Uint8Array;
        try {
          document = new Uint8Array(readFileSync(values["legal-document"]!));
        } catch {
          throw new UsageError(`--legal-document ${values["legal-document"]} cannot be read`);
        }
        const releaseKey = newReleaseKey();
        rememberReleaseKey(releaseKeys, releaseKey);
        const entry = await buildQuery({
          deployment: deployment.id,
          releaseKey: releaseKey.publicKey,
          caseReference: values.case!,
          legalBasis: values["legal-basis"]!,
          legalDocument: document,
          entrances: values.entrance,
          windowStart: time(values.from, "--from"),
          windowEnd: time(values.to, "--to"),
          reason: values.reason!,
        });
        const filed = await fileQuery(officer, entry);
        return {
          code: 0,
          output: `filed draft ${filed.draftId} (${filed.status}); a second officer approves it with: lintel-authority approve ${filed.draftId} --case <case reference> --legal-document <their copy of the order>\n`,
        };
      }
      case "list": {
        const queries = await listQueries(officer);
        const lines = queries.map((q) => {
          const r = reviewQuery(q.entry);
          const state =
            q.status === "expired"
              ? ` — ${q.expiredReason}`
              : q.status === "awaiting-approval"
                ? ` (${q.approvals ?? 1} of ${q.approvalsNeeded ?? 2} officers; expires ${q.expiresAt ?? "?"})`
                : "";
          return (
            `${q.draftId}  ${q.status}${q.queryIndex !== undefined ? ` (entry ${q.queryIndex})` : ""}  ` +
            `${r.entrances.join(",")} ${iso(q.query.windowStart)} – ${iso(q.query.windowEnd)}  ` +
            `filed by ${q.filedBy.label || q.filedBy.accountId} ${q.filedAt}  "${r.reason}"${state}`
          );
        });
        return { code: 0, output: lines.length ? `${lines.join("\n")}\n` : "no queries\n" };
      }
      case "approve": {
        const draft = (await listQueries(officer)).find((q) => q.draftId === rest[0]);
        if (!draft) return { code: 1, output: `not-found: no draft ${rest[0]}\n` };
        if (draft.status === "expired") {
          return { code: 1, output: `draft-expired: ${draft.expiredReason}\n` };
        }
        const r = reviewQuery(draft.entry);
        const shown = [
          `draft ${draft.draftId}, filed by ${draft.filedBy.label || draft.filedBy.accountId} at ${draft.filedAt}`,
          `  entrances:      ${r.entrances.join(", ")}`,
          `  window (UTC):   ${r.windowStart.toISOString()} – ${r.windowEnd.toISOString()} (${r.identityCount} entrance-hours)`,
          `  legal basis:    ${r.legalBasis}`,
          `  reason:         ${r.reason}`,
          `  case reference: SHA-256 ${r.caseReferenceHash}`,
          `  legal document: SHA-256 ${r.legalDocumentHash}`,
        ].join("\n");
        log(shown);
        // Checked against the draft before the prompt: a mismatch is refused, nothing is signed.
        await verifyApproverChecks(draft.entry, approverDocument);
        log("  case reference and legal document: both match the draft");
        const yes = values.yes || (await (io.confirm ?? terminalConfirm)("Approve this query?"));
        if (!yes) throw new UsageError("not approved: answer y at the prompt, or pass --yes");
        const approved = await approveQuery(officer, draft, approverDocument!);
        if (approved.status === "awaiting-approval") {
          return {
            code: 0,
            output: `approved (${approved.approvals} of ${approved.approvalsNeeded} officers): another officer must approve it too\n`,
          };
        }
        return { code: 0, output: `approved: the query is log entry ${approved.queryIndex}\n` };
      }
      case "decrypt": {
        pool =
          threads === 0 ? inThreadPool() : await createNodeDecryptPool({ threads: threads ?? 2 });
        const result = await decryptQuery({
          officer,
          deployment,
          queryIndex: queryIndex(rest[0]),
          releaseSecretKey: releaseKeyLookup(releaseKeys),
          pool,
          ...(boxKey ? { authorityBoxSecretKey: boxKey } : {}),
          ...(cosignatures !== undefined ? { cosignatures } : {}),
          onProgress: (p) => {
            if (p.step === "decrypt")
              log(`decrypting ${p.ciphertexts} ciphertexts in ${pool!.threads} thread(s)…`);
            else if (p.step !== "ciphertexts") log(`${p.step}…`);
          },
        });
        if (values.csv) {
          writeFileSync(values.csv, contactsCsv(result.contacts), { mode: 0o600, flag: "wx" });
        }
        return { code: 0, output: describeResult(result, values.csv) };
      }
      case "warn": {
        if (values.entrance?.length !== 1)
          throw new UsageError("warn: exactly one --entrance <id>");
        const warning = await publishWarning(officer, {
          queryIndex: queryIndex(rest[0]),
          entranceId: values.entrance[0]!,
          windowStart: time(values.from, "--from"),
          windowEnd: time(values.to, "--to"),
        });
        return { code: 0, output: `warning published: log entry ${warning.index}\n` };
      }
    }
    throw new UsageError("unknown command");
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      return { code: 2, output: `lintel-authority: ${e.message}\n${USAGE}\n` };
    }
    if (e instanceof LintelError || isProtocolError(e)) {
      return { code: 1, output: `${e.code}: ${e.message}\n` };
    }
    throw e;
  } finally {
    await pool?.close();
  }
}

// As an installed bin, argv[1] is node_modules/.bin's symlink; this module's URL is the real file.
const invokedAs =
  process.argv[1] && existsSync(process.argv[1]) ? realpathSync(process.argv[1]) : "";
if (
  (invokedAs && import.meta.url === pathToFileURL(invokedAs).href) ||
  process.argv[1]?.endsWith("lintel-authority.ts")
) {
  const { code, output } = await runCli(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(output);
  process.exit(code);
}
