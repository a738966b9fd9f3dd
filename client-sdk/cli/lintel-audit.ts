#!/usr/bin/env node
/**
 * lintel-audit — verify a transparency log and remember what was verified (PROTOCOL.md §10.6),
 * or report a service's log as public statistics (audit-report.ts).
 *
 *   lintel-audit verify --log <URL or directory> --key <log verifier key>
 *                       [--witness <verifier key>]... [--quorum N] --state <file>
 *                       [--entries auto|lintel|opaque] [--registry-key <base64url>] [--json]
 *   lintel-audit report --service <URL> [--format json|csv] …   (audit-report.ts)
 *
 * Standard output carries the result only (one JSON document with --json, failures included);
 * progress goes to standard error. Exit statuses: exit-codes.ts — 1 means the log failed
 * verification (a fork or rollback also writes a proof of misbehaviour next to the state file).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { stderr as processStderr } from "node:process";
import { parseArgs } from "node:util";
import {
  type AuditOutcome,
  type AuditState,
  auditLog,
  type EntryPolicy,
  type LogSource,
  parseCosignatureVerifierKey,
  parseState,
  SourceError,
  sourceFromReader,
} from "@lintel/protocol";
import { httpLogSource } from "../src/audit/source.ts";
import { useNodeCurves } from "../src/curves/node-curves.ts";
import type { FetchLike } from "../src/http.ts";
import { transportFailure } from "./audit-failures.ts";
import { parseKey, parseRegistryKey } from "./audit-inputs.ts";
import { REPORT_HELP, runReport } from "./audit-report.ts";
import { countingLogSource } from "./counting.ts";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.ts";
import { failureFrom, UsageError } from "./failure.ts";
import { type FailedRequest, traceFetch } from "./fetch-trace.ts";
import {
  type CliResult,
  failureResult,
  isMain,
  jsonDocument,
  result,
  runAsProgram,
  type TextSink,
  toolVersion,
} from "./io.ts";
import { joinOptionValues } from "./option-values.ts";
import { type ProgressReporter, progressReporter } from "./progress.ts";

const TOOL = "lintel-audit";
const COMMANDS = "the commands are verify and report";

const HELP = `usage: lintel-audit verify --log <URL or directory> --key <log verifier key>
                    [--witness <verifier key>]... [--quorum N] --state <file>
                    [--entries auto|lintel|opaque] [--registry-key <base64url>]
       lintel-audit report --service <URL> [--format json|csv] ...  (lintel-audit report --help)

Verifies a C2SP tlog-tiles log: the checkpoint's signature and witness cosignatures, the tree
from its tiles, that it extends the tree verified last time (the state file), every new entry
against its leaf, and for Lintel logs every entry's signatures and the log policy. The new
state is saved only when everything holds; a fork or rollback writes a proof of misbehaviour
next to the state file.

  --log <URL or dir>       the log's prefix (https://checkin.example.org/log) or a mirror folder
  --key <verifier key>     the log's verifier key (name+hash+base64), as the deployment prints it
  --witness <key>          a witness's cosignature/v1 verifier key (repeat for several)
  --quorum N               cosignatures required (default: every --witness)
  --state <file>           what was verified last time; created on the first run
  --entries <kind>         lintel (check every entry), opaque (leaves only), auto (default)
  --registry-key <key>     Lintel logs: the registry key the first entry must name (base64url)
  --json                   print the result, or the failure, as one JSON document on stdout
  --progress               progress on stderr even when it is not a terminal
  --debug                  print the stack trace of an internal error
  -h, --help               this help;  --version  the version

${EXIT_CODES_HELP}
`;

const OPTIONS = {
  log: { type: "string" },
  key: { type: "string" },
  witness: { type: "string", multiple: true },
  quorum: { type: "string" },
  state: { type: "string" },
  entries: { type: "string" },
  "registry-key": { type: "string" },
  json: { type: "boolean" },
  progress: { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

export interface AuditIo {
  readonly fetch?: FetchLike;
  /** Progress lines. Default: process.stderr. */
  readonly stderr?: TextSink;
  /** Milliseconds, for progress estimates. */
  readonly now?: () => number;
}

function directorySource(dir: string): LogSource {
  return sourceFromReader(dir, async (p) => {
    try {
      return new Uint8Array(await readFile(path.join(dir, p)));
    } catch {
      throw new SourceError(`${path.join(dir, p)} cannot be read`);
    }
  });
}

function writeAtomically(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    const why = e instanceof Error && "code" in e ? String(e.code) : String(e);
    throw new UsageError(`${file} cannot be written (${why}): choose a writable place`);
  }
}

function readPrevious(stateFile: string): AuditState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return parseState(readFileSync(stateFile, "utf8"));
  } catch (e) {
    throw new UsageError(
      `--state ${stateFile} is not an audit state (${e instanceof Error ? e.message : e}): name the file an earlier run saved, or a new one`,
    );
  }
}

function logSource(log: string, fetch: FetchLike): LogSource {
  if (/^https?:\/\//.test(log)) return httpLogSource(log, fetch);
  let isDir = false;
  try {
    isDir = statSync(log).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDir) {
    throw new UsageError(
      `--log ${log} is neither an http(s) URL nor a folder: give the log's prefix (https://…/log) or a mirror's folder`,
    );
  }
  return directorySource(log);
}

export async function runCli(argv: readonly string[], io: AuditIo = {}): Promise<CliResult> {
  const stderr = io.stderr ?? processStderr;
  const loose = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
  });
  const json = loose.values.json === true;
  const debug = loose.values.debug === true;
  const trace = traceFetch(io.fetch);
  const fail = (e: unknown) =>
    failureResult(TOOL, failureFrom(e, trace.failures, TOOL, "verify"), { json, debug, error: e });
  if (loose.values.version === true) {
    const version = toolVersion();
    return result(
      EXIT.ok,
      json ? jsonDocument({ ok: true, tool: TOOL, version }) : `${TOOL} ${version}\n`,
    );
  }
  if (loose.values.help === true || loose.positionals[0] === "help") {
    const named = loose.positionals[0] === "help" ? loose.positionals[1] : loose.positionals[0];
    if (named === "report") return result(EXIT.ok, REPORT_HELP);
    if (named !== undefined && named !== "verify")
      return fail(new UsageError(`unknown command ${JSON.stringify(named)}: ${COMMANDS}`));
    return result(EXIT.ok, HELP);
  }
  if (argv.length === 0) return result(EXIT.usage, "", HELP);
  if (loose.positionals[0] === "report") return runReport(argv, io);
  let progress: ProgressReporter | undefined;
  try {
    const { positionals: pos, values } = parseArgs({
      args: joinOptionValues(argv, OPTIONS),
      options: OPTIONS,
      allowPositionals: true,
    });
    if (pos[0] !== "verify" || pos.length !== 1) {
      throw new UsageError(
        pos[0] === undefined
          ? `no command given: ${COMMANDS}`
          : `unknown command ${JSON.stringify(pos.join(" "))}: ${COMMANDS}`,
      );
    }
    if (!values.log || !values.key || !values.state)
      throw new UsageError("--log, --key and --state are required");
    const witnesses = (values.witness ?? []).map((w) =>
      parseKey(w, "--witness", parseCosignatureVerifierKey),
    );
    const quorum = values.quorum === undefined ? witnesses.length : Number(values.quorum);
    if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
      throw new UsageError(
        `--quorum must be a whole number from 0 to ${witnesses.length} (the number of --witness keys)`,
      );
    }
    const entries = (values.entries ?? "auto") as EntryPolicy;
    if (!["auto", "lintel", "opaque"].includes(entries))
      throw new UsageError("--entries is auto, lintel or opaque");
    const logKey = parseKey(values.key, "--key");
    const registryKey = values["registry-key"]
      ? parseRegistryKey(values["registry-key"])
      : undefined;
    const previous = readPrevious(values.state);
    const reporter = progressReporter({
      sink: stderr,
      enabled: values.progress === true || stderr.isTTY === true,
      ...(io.now ? { now: io.now } : {}),
    });
    progress = reporter;
    const source = logSource(values.log, trace.fetch);
    reporter.step(`reading ${source.location}`);
    // A Lintel log's replay checks a proof of possession (a BLS12-381 pairing) per epoch key and
    // trustee enrolment: once the signatures go through WebCrypto, those pairings can be most of a
    // year's audit. Native blst where its addon is built, else mcl-wasm.
    await useNodeCurves();
    const outcome = await auditLog({
      source: countingLogSource(source, (done, of) =>
        reporter.count("auditing the log", done, of, "entry bundles"),
      ),
      logKey,
      witnesses,
      quorum,
      entries,
      ...(previous ? { previous } : {}),
      ...(registryKey ? { registryKey } : {}),
    });
    return report(outcome, values.state, json, source.location, trace.failures);
  } catch (e) {
    return fail(e);
  } finally {
    progress?.close();
  }
}

function report(
  outcome: AuditOutcome,
  stateFile: string,
  json: boolean,
  location: string,
  failures: readonly FailedRequest[],
): CliResult {
  if (outcome.ok) {
    writeAtomically(stateFile, `${JSON.stringify(outcome.state, null, 2)}\n`);
    const summary = {
      ok: true,
      log: location,
      origin: outcome.checkpoint.origin,
      size: outcome.checkpoint.size.toString(),
      newEntries: outcome.newEntries.toString(),
      entryPolicy: outcome.entryPolicy,
      cosigners: outcome.cosigners,
      tilesFetched: outcome.tilesFetched,
      state: stateFile,
    };
    const text = json
      ? jsonDocument(summary)
      : `OK ${summary.origin}: ${summary.size} entries (${summary.newEntries} new) verified` +
        `${summary.entryPolicy === "lintel" ? ", every entry's signatures and policy checked" : ""}` +
        `${summary.cosigners.length ? `, cosigned by ${summary.cosigners.join(", ")}` : ""}; state saved to ${stateFile}\n`;
    return result(EXIT.ok, text);
  }
  const transport = outcome.misbehaviour ? undefined : transportFailure(location, failures);
  if (transport) {
    return failureResult(TOOL, transport, { json, debug: false });
  }
  let evidence: string | undefined;
  if (outcome.misbehaviour) {
    evidence = `${stateFile}.misbehaviour-${Date.now()}.json`;
    writeAtomically(evidence, `${JSON.stringify(outcome.misbehaviour, null, 2)}\n`);
  }
  if (json) {
    return result(
      EXIT.failed,
      jsonDocument({
        ok: false,
        code: "verification-failed",
        message: `${location}: ${outcome.reason}`,
        log: location,
        reason: outcome.reason,
        ...(evidence ? { evidence } : {}),
        exitCode: EXIT.failed,
      }),
    );
  }
  return result(
    EXIT.failed,
    "",
    `FAILED ${location}: ${outcome.reason}${evidence ? `\nproof of misbehaviour saved to ${evidence}` : ""}\nstate left unchanged\n`,
  );
}

if (isMain(import.meta.url)) await runAsProgram(TOOL, (argv) => runCli(argv));
