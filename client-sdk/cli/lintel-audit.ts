/**
 * lintel-audit — verify a transparency log and remember what was verified.
 *
 *   lintel-audit verify --log <URL or directory> --key <log verifier key>
 *                       [--witness <verifier key>]... [--quorum N] --state <file>
 *                       [--entries auto|lintel|opaque] [--registry-key <base64url>] [--json]
 *
 * Exit status: 0 everything holds (the new state is saved); 1 the log failed verification (the
 * reason is printed; a fork or rollback also writes a proof of misbehaviour next to the state
 * file); 2 the command line or the state file is wrong.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  type AuditOutcome,
  type AuditState,
  auditLog,
  decodeBase64url,
  type EntryPolicy,
  type LogSource,
  parseCosignatureVerifierKey,
  parseState,
  parseVerifierKey,
  SourceError,
  sourceFromReader,
  type VerifierKey,
} from "@lintel/protocol";
import { httpLogSource } from "../src/audit/source.ts";

const USAGE = `usage: lintel-audit verify --log <URL or directory> --key <log verifier key>
                    [--witness <verifier key>]... [--quorum N] --state <file>
                    [--entries auto|lintel|opaque] [--registry-key <base64url>] [--json]`;

class UsageError extends Error {}

function directorySource(dir: string): LogSource {
  return sourceFromReader(dir, async (p) => {
    try {
      return new Uint8Array(await readFile(path.join(dir, p)));
    } catch {
      throw new SourceError(`${path.join(dir, p)} cannot be read`);
    }
  });
}

function parseKey(
  text: string,
  what: string,
  parse: (t: string) => VerifierKey = parseVerifierKey,
): VerifierKey {
  try {
    return parse(text);
  } catch (e) {
    throw new UsageError(
      `${what} is not a verifier key (name+hash+base64): ${e instanceof Error ? e.message : e}`,
    );
  }
}

function parseRegistryKey(text: string): Uint8Array {
  try {
    return decodeBase64url(text, 32);
  } catch {
    throw new UsageError(
      "--registry-key is the registry's 32-byte Ed25519 public key in base64url",
    );
  }
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export interface CliResult {
  readonly code: number;
  readonly output: string;
}

export async function runCli(
  argv: readonly string[],
  fetchImpl?: typeof fetch,
): Promise<CliResult> {
  let args: ReturnType<typeof parse>;
  const parse = (a: readonly string[]) =>
    parseArgs({
      args: [...a],
      allowPositionals: true,
      options: {
        log: { type: "string" },
        key: { type: "string" },
        witness: { type: "string", multiple: true },
        quorum: { type: "string" },
        state: { type: "string" },
        entries: { type: "string" },
        "registry-key": { type: "string" },
        json: { type: "boolean" },
      },
    });
  try {
    args = parse(argv);
    const { positionals: pos, values } = args;
    if (pos[0] !== "verify" || pos.length !== 1)
      throw new UsageError("the only command is: verify");
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
    let previous: AuditState | undefined;
    if (existsSync(values.state)) {
      try {
        previous = parseState(readFileSync(values.state, "utf8"));
      } catch (e) {
        throw new UsageError(`${values.state}: ${e instanceof Error ? e.message : e}`);
      }
    }
    const source = /^https?:\/\//.test(values.log)
      ? httpLogSource(values.log, fetchImpl)
      : directorySource(values.log);
    const outcome = await auditLog({
      source,
      logKey: parseKey(values.key, "--key"),
      witnesses,
      quorum,
      entries,
      ...(previous ? { previous } : {}),
      ...(values["registry-key"] ? { registryKey: parseRegistryKey(values["registry-key"]) } : {}),
    });
    return report(outcome, values.state, Boolean(values.json), source.location);
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      return { code: 2, output: `lintel-audit: ${e.message}\n${USAGE}\n` };
    }
    throw e;
  }
}

function report(
  outcome: AuditOutcome,
  stateFile: string,
  json: boolean,
  location: string,
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
    };
    const text = json
      ? `${JSON.stringify(summary)}\n`
      : `OK ${summary.origin}: ${summary.size} entries (${summary.newEntries} new) verified` +
        `${summary.entryPolicy === "lintel" ? ", every entry's signatures and policy checked" : ""}` +
        `${summary.cosigners.length ? `, cosigned by ${summary.cosigners.join(", ")}` : ""}; state saved to ${stateFile}\n`;
    return { code: 0, output: text };
  }
  let evidence: string | undefined;
  if (outcome.misbehaviour) {
    evidence = `${stateFile}.misbehaviour-${Date.now()}.json`;
    writeAtomically(evidence, `${JSON.stringify(outcome.misbehaviour, null, 2)}\n`);
  }
  const text = json
    ? `${JSON.stringify({ ok: false, log: location, reason: outcome.reason, ...(evidence ? { evidence } : {}) })}\n`
    : `FAILED ${location}: ${outcome.reason}${evidence ? `\nproof of misbehaviour saved to ${evidence}` : ""}\nstate left unchanged\n`;
  return { code: 1, output: text };
}

// As an installed bin, argv[1] is node_modules/.bin's symlink; this module's URL is the real file.
const invokedAs =
  process.argv[1] && existsSync(process.argv[1]) ? realpathSync(process.argv[1]) : "";
if (
  (invokedAs && import.meta.url === pathToFileURL(invokedAs).href) ||
  process.argv[1]?.endsWith("lintel-audit.ts")
) {
  const { code, output } = await runCli(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(output);
  process.exit(code);
}
