/**
 * lintel-audit report — the public statistics of a service's log, verified here first: the
 * deployment (registry-signed record), then every entry of the log as `verify` checks it, then
 * counted per month of the deployment's time zone (src/audit/report.ts, the function the
 * /transparency/ page runs too, so both print the same figures).
 *
 * Standard output is the report only: one JSON document (default; failures too) or CSV (one row
 * per month under a header row; failures then go to standard error as text).
 */
import { stderr as processStderr } from "node:process";
import { parseArgs } from "node:util";
import { parseCosignatureVerifierKey } from "@lintel/protocol";
import { REPORT_COUNTERS, reportCsv, reportJson } from "../src/audit/report.ts";
import { auditTransparency } from "../src/audit/transparency.ts";
import { useNodeCurves } from "../src/curves/node-curves.ts";
import type { FetchLike } from "../src/http.ts";
import { transportFailure } from "./audit-failures.ts";
import { parseKey, parseRegistryKey } from "./audit-inputs.ts";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.ts";
import { failureFrom, UsageError } from "./failure.ts";
import { traceFetch } from "./fetch-trace.ts";
import { type CliResult, failureResult, jsonDocument, result, type TextSink } from "./io.ts";
import { joinOptionValues } from "./option-values.ts";
import { progressReporter } from "./progress.ts";

const TOOL = "lintel-audit";

/** `text` cut after commas into lines of at most 96 characters, each indented by `indent`. */
function wrapped(text: string, indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const part of text.split(/(?<=,)/)) {
    if (line && indent + line.length + part.length > 96) {
      lines.push(line);
      line = "";
    }
    line += part;
  }
  lines.push(line);
  return lines.map((l) => `${" ".repeat(indent)}${l}`).join("\n");
}

export const REPORT_HELP = `usage: lintel-audit report --service <URL> [--registry-key <base64url>]
                    [--witness <verifier key>]... [--quorum N] [--timezone <IANA zone>]
                    [--format json|csv]

Verifies the service's deployment record and its whole transparency log (every entry's leaf,
signatures and policy, as verify does), then prints the log's public statistics per calendar
month of the deployment's time zone, with totals: exposure queries logged (by the month they
were filed) and the entrance-hours they opened, key releases, exposure warnings, retention
receipts with the ciphertexts deleted and epoch days destroyed, code replacements, entrances
issued, and officer (device), trustee and witness enrolments. Nothing is printed as a figure
unless the whole log verified. Nothing is saved.

  --service <URL>          the service's origin (https://checkin.example.org); the log is <URL>/log
  --registry-key <key>     the registry's Ed25519 public key (base64url) the deployment must name
  --witness <key>          a witness's cosignature/v1 verifier key (repeat for several)
  --quorum N               cosignatures required (default: every --witness)
  --timezone <zone>        count months in this IANA zone (default: the deployment's, as
                           /api/deployment serves it; the report names the zone used)
  --format json|csv        json (default): one document, counts as decimal strings;
                           csv: a header row, then one row per month; columns:
${wrapped(["month", ...REPORT_COUNTERS].join(","), 27)}
  --progress               progress on stderr even when it is not a terminal
  --debug                  print the stack trace of an internal error
  -h, --help               this help

${EXIT_CODES_HELP}
`;

export const REPORT_OPTIONS = {
  service: { type: "string" },
  "registry-key": { type: "string" },
  witness: { type: "string", multiple: true },
  quorum: { type: "string" },
  timezone: { type: "string" },
  format: { type: "string" },
  progress: { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

export interface ReportIo {
  readonly fetch?: FetchLike;
  readonly stderr?: TextSink;
  readonly now?: () => number;
}

function serviceOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--service ${text} is not a URL: give the service's origin (https://…)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`--service ${text} is not an http(s) URL`);
  }
  return url.href.replace(/\/$/, "");
}

/** `argv` starts with "report". */
export async function runReport(argv: readonly string[], io: ReportIo = {}): Promise<CliResult> {
  const stderr = io.stderr ?? processStderr;
  const loose = parseArgs({
    args: joinOptionValues(argv, REPORT_OPTIONS),
    options: REPORT_OPTIONS,
    allowPositionals: true,
    strict: false,
  });
  const json = loose.values.format !== "csv";
  const debug = loose.values.debug === true;
  const trace = traceFetch(io.fetch);
  const fail = (e: unknown) =>
    failureResult(TOOL, failureFrom(e, trace.failures, TOOL, "report"), {
      json,
      debug,
      error: e,
    });
  let closeProgress = () => {};
  try {
    const { positionals, values } = parseArgs({
      args: joinOptionValues(argv, REPORT_OPTIONS),
      options: REPORT_OPTIONS,
      allowPositionals: true,
    });
    if (positionals.length !== 1)
      throw new UsageError(`unexpected ${JSON.stringify(positionals.slice(1).join(" "))}`);
    const format = values.format ?? "json";
    if (format !== "json" && format !== "csv") throw new UsageError("--format is json or csv");
    if (!values.service) throw new UsageError("--service is required");
    const baseUrl = serviceOrigin(values.service);
    const witnesses = values.witness ?? [];
    for (const w of witnesses) parseKey(w, "--witness", parseCosignatureVerifierKey);
    const quorum = values.quorum === undefined ? witnesses.length : Number(values.quorum);
    if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
      throw new UsageError(
        `--quorum must be a whole number from 0 to ${witnesses.length} (the number of --witness keys)`,
      );
    }
    const registryKey = values["registry-key"]
      ? parseRegistryKey(values["registry-key"])
      : undefined;
    const reporter = progressReporter({
      sink: stderr,
      enabled: values.progress === true || stderr.isTTY === true,
      ...(io.now ? { now: io.now } : {}),
    });
    closeProgress = () => reporter.close();
    reporter.step(`auditing ${baseUrl}/log`);
    await useNodeCurves();
    const audit = await auditTransparency({
      service: { baseUrl, fetch: trace.fetch },
      witnesses,
      quorum,
      ...(registryKey ? { registryKey } : {}),
      ...(values.timezone === undefined ? {} : { timeZone: values.timezone }),
    });
    if (!audit.ok) {
      const location = `${baseUrl}/log`;
      const transport = audit.misbehaviour
        ? undefined
        : transportFailure(
            location,
            trace.failures,
            "Check --service and that the service and its log are running and reachable from here.",
          );
      if (transport) return failureResult(TOOL, transport, { json, debug: false });
      const message = `${location}: ${audit.reason}`;
      return json
        ? result(
            EXIT.failed,
            jsonDocument({
              ok: false,
              code: "verification-failed",
              message,
              log: location,
              reason: audit.reason,
              exitCode: EXIT.failed,
            }),
          )
        : result(EXIT.failed, "", `FAILED ${message}\nno figures: the log did not verify\n`);
    }
    if (format === "csv") return result(EXIT.ok, reportCsv(audit.report));
    return result(
      EXIT.ok,
      jsonDocument({ ok: true, ...reportJson(audit.report), cosigners: audit.cosigners }),
    );
  } catch (e) {
    return fail(e);
  } finally {
    closeProgress();
  }
}
