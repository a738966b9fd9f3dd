#!/usr/bin/env node
/**
 * lintel-authority — the health authority's command line (PROTOCOL.md §11): file, list,
 * approve and decrypt exposure queries and publish warnings. `lintel-authority --help` and
 * `lintel-authority <command> --help` describe each command; authority-help.ts holds the pages.
 *
 * Standard output carries the result only (one JSON document with --json, failures included);
 * progress and the draft under approval go to standard error. Exit statuses: exit-codes.ts.
 * Decrypted data is printed, or written only to the file named by --csv (mode 0600); it is never
 * sent anywhere.
 */
import { existsSync, writeFileSync } from "node:fs";
import { stderr as processStderr, stdin } from "node:process";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { httpLogSource } from "../src/audit/source.ts";
import { deviceKeyFromSeed } from "../src/auth/device-key.ts";
import {
  type AuthorityDeployment,
  approveQuery,
  buildQuery,
  contactsCsv,
  createNodeDecryptPool,
  type DecryptPool,
  decryptQuery,
  defaultNodeThreads,
  fetchAuthorityDeployment,
  fileQuery,
  inThreadPool,
  listQueries,
  newReleaseKey,
  type OfficerOptions,
  publishWarning,
  verifyApproverChecks,
} from "../src/authority/index.ts";
import { LintelError } from "../src/errors.ts";
import type { FetchLike } from "../src/http.ts";
import { type Command, helpText, isCommand } from "./authority-help.ts";
import {
  approverChecksFrom,
  boxSecretKey,
  count,
  fsReason,
  officerSeed,
  queryIndex,
  readFileBytes,
  registryKey,
  windowFlags,
} from "./authority-inputs.ts";
import { decryptJson, decryptText, draftText, listJson, listText } from "./authority-output.ts";
import { countingLogSource, countingPool } from "./counting.ts";
import { EXIT } from "./exit-codes.ts";
import { type Attribution, failureFrom, UsageError } from "./failure.ts";
import { traceFetch } from "./fetch-trace.ts";
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
import { releaseKeyLookup, releaseKeysFile, rememberReleaseKey } from "./release-keys.ts";
import { formatTime, type ReadTime } from "./zoned-time.ts";

const TOOL = "lintel-authority";

const OPTIONS = {
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
  json: { type: "boolean" },
  progress: { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

/** Positional arguments each command takes. */
const ARITY: Record<Command, number> = { file: 0, list: 0, approve: 1, decrypt: 1, warn: 1 };

export interface CliIo {
  readonly fetch?: FetchLike;
  /** Asked before approving without --yes; default: a prompt on the terminal (stderr). */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Human lines: progress and the draft under approval. Default: process.stderr. */
  readonly stderr?: TextSink;
  /** This run's clock in milliseconds: when queries and warnings are issued, and progress. */
  readonly now?: () => number;
}

async function terminalConfirm(question: string): Promise<boolean> {
  if (!stdin.isTTY) return false;
  // The prompt goes to stderr: stdout carries the result only.
  const rl = createInterface({ input: stdin, output: processStderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

interface Run {
  readonly command: Command;
  readonly args: readonly string[];
  readonly values: Values;
  readonly io: CliIo;
  readonly fetch: FetchLike;
  readonly stderr: TextSink;
  readonly progress: ProgressReporter;
  /** Set by decrypt, closed by runCli whatever happens. */
  pool?: DecryptPool;
  /** Which trustee a message names, once the deployment is known. */
  attribution?: Attribution;
}

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<CliResult> {
  const stderr = io.stderr ?? processStderr;
  // A first, forgiving read: --help, --version and --json must work on any command line.
  const loose = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
  });
  const json = loose.values.json === true;
  const debug = loose.values.debug === true;
  const first = loose.positionals[0];
  const named = first === "help" ? loose.positionals[1] : first;
  const command = isCommand(named) ? named : undefined;
  if (loose.values.version === true) {
    const version = toolVersion();
    return result(
      EXIT.ok,
      json ? jsonDocument({ ok: true, tool: TOOL, version }) : `${TOOL} ${version}\n`,
    );
  }
  const run: Partial<Run> = {};
  const fail = (e: unknown) =>
    failureResult(TOOL, failureFrom(e, trace.failures, TOOL, command, run.attribution), {
      json,
      debug,
      error: e,
    });
  const trace = traceFetch(io.fetch);
  if (loose.values.help === true || first === "help") {
    if (named !== undefined && !command)
      return fail(new UsageError(`unknown command ${JSON.stringify(named)}`));
    return result(EXIT.ok, helpText(command));
  }
  if (argv.length === 0) return result(EXIT.usage, "", helpText());
  try {
    const { positionals, values } = parseArgs({
      args: joinOptionValues(argv, OPTIONS),
      options: OPTIONS,
      allowPositionals: true,
    });
    const [name, ...args] = positionals;
    if (!isCommand(name)) {
      throw new UsageError(
        name === undefined ? "no command given" : `unknown command ${JSON.stringify(name)}`,
      );
    }
    if (args.length !== ARITY[name]) {
      throw new UsageError(
        `${name} takes ${ARITY[name] === 0 ? "no arguments" : "one argument"}, not ${args.length}`,
      );
    }
    Object.assign(run, {
      command: name,
      args,
      values,
      io,
      fetch: trace.fetch,
      stderr,
      progress: progressReporter({
        sink: stderr,
        enabled: values.progress === true || stderr.isTTY === true,
        ...(io.now ? { now: io.now } : {}),
      }),
    });
    return await execute(run as Run, json);
  } catch (e) {
    return fail(e);
  } finally {
    run.progress?.close();
    await run.pool?.close();
  }
}

async function execute(run: Run, json: boolean): Promise<CliResult> {
  const { command, args, values } = run;
  const baseUrl = values.service ?? "http://127.0.0.1:8787";
  if (!/^https?:\/\/[^/]/.test(baseUrl)) {
    throw new UsageError(
      `--service ${baseUrl} is not an http(s) URL such as https://checkin.example.org`,
    );
  }
  // Everything the command line can get wrong is checked before the first request.
  const key = deviceKeyFromSeed(officerSeed(values["key-file"], values.officer));
  const releaseKeys = releaseKeysFile(values["key-file"]!, values["release-keys"]);
  const pinned = registryKey(values["registry-key"]);
  const threads = count(values.threads, "--threads", 0, 64);
  const cosignatures = count(values.cosignatures, "--cosignatures", 0, 100);
  const boxKey = values["authority-box-key-file"]
    ? boxSecretKey(values["authority-box-key-file"])
    : undefined;
  if (values.csv && existsSync(values.csv)) {
    throw new UsageError(`--csv ${values.csv} exists; not overwriting it: name a new file`);
  }
  const index = command === "decrypt" || command === "warn" ? queryIndex(args[0]) : undefined;
  const window =
    command === "file" || command === "warn" ? windowFlags(values, command) : undefined;
  const approverDocument =
    command === "approve" ? approverChecksFrom(values.case, values["legal-document"]) : undefined;
  let document: Uint8Array | undefined;
  if (command === "file") {
    if (!values.entrance?.length)
      throw new UsageError("file: --entrance <id> (repeatable) is required");
    for (const flag of ["case", "legal-basis", "legal-document", "reason"] as const) {
      if (!values[flag]) throw new UsageError(`file: --${flag} is required`);
    }
    document = readFileBytes(values["legal-document"]!, "--legal-document");
  }
  if (command === "warn" && values.entrance?.length !== 1) {
    throw new UsageError("warn: exactly one --entrance <id>");
  }

  const service = { baseUrl, fetch: run.fetch };
  run.progress.step(`reading the deployment at ${baseUrl}`);
  const deployment: AuthorityDeployment = await fetchAuthorityDeployment(
    service,
    pinned ? { registryKey: pinned } : {},
  );
  run.attribution = deployment.trustees.map((t) => [`Trustee ${t.id}:`, t.url] as const);
  const zone = deployment.timezone;
  const officer: OfficerOptions = { ...service, deployment: deployment.id, key };
  const out = (value: object, text: string) => result(EXIT.ok, json ? jsonDocument(value) : text);

  switch (command) {
    case "file": {
      const w = window!(zone);
      const releaseKey = newReleaseKey();
      const entry = await buildQuery({
        deployment: deployment.id,
        releaseKey: releaseKey.publicKey,
        caseReference: values.case!,
        legalBasis: values["legal-basis"]!,
        legalDocument: document!,
        entrances: values.entrance!,
        windowStart: w.start.seconds,
        windowEnd: w.end.seconds,
        reason: values.reason!,
        issuedAt: issuedAt(run),
      });
      // Kept before the query is filed: a filed query's key is never lost.
      rememberReleaseKey(releaseKeys, releaseKey);
      const filed = await fileQuery(officer, entry);
      return out(
        {
          ok: true,
          command,
          draftId: filed.draftId,
          status: filed.status,
          window: w.json,
          timezone: zone ?? null,
        },
        `${[
          `filed draft ${filed.draftId} (${filed.status}): ${values.entrance!.join(", ")} ${windowText(w.start, w.end, zone)}`,
          ...w.notes,
          `a second officer approves it with: lintel-authority approve ${filed.draftId} --case <case reference> --legal-document <their copy of the order>`,
        ].join("\n")}\n`,
      );
    }
    case "list": {
      const queries = await listQueries(officer);
      return out(listJson(queries), listText(queries, zone));
    }
    case "approve": {
      const draft = (await listQueries(officer)).find((q) => q.draftId === args[0]);
      if (!draft) {
        throw new LintelError(
          "not-found",
          `There is no draft ${args[0]}: lintel-authority list shows the drafts.`,
        );
      }
      if (draft.status === "expired")
        throw new LintelError("draft-expired", draft.expiredReason ?? "The draft expired.");
      run.stderr.write(`${draftText(draft, zone)}\n`);
      // Checked against the draft before the prompt: a mismatch is refused, nothing is signed.
      await verifyApproverChecks(draft.entry, approverDocument);
      run.stderr.write("  case reference and legal document: both match the draft\n");
      const yes = values.yes || (await (run.io.confirm ?? terminalConfirm)("Approve this query?"));
      if (!yes) throw new UsageError("not approved: answer y at the prompt, or pass --yes");
      const approved = await approveQuery(officer, draft, approverDocument!);
      if (approved.status === "awaiting-approval") {
        return out(
          {
            ok: true,
            command,
            draftId: draft.draftId,
            status: approved.status,
            approvals: approved.approvals,
            approvalsNeeded: approved.approvalsNeeded,
          },
          `approved (${approved.approvals} of ${approved.approvalsNeeded} officers): another officer must approve it too\n`,
        );
      }
      return out(
        {
          ok: true,
          command,
          draftId: draft.draftId,
          status: approved.status,
          queryIndex: approved.queryIndex,
        },
        `approved: the query is log entry ${approved.queryIndex}\n`,
      );
    }
    case "decrypt":
      return decrypt(run, {
        officer,
        deployment,
        index: index!,
        releaseKeys,
        threads,
        cosignatures,
        boxKey,
        json,
      });
    case "warn": {
      const w = window!(zone);
      const warning = await publishWarning(officer, {
        queryIndex: index!,
        entranceId: values.entrance![0]!,
        windowStart: w.start.seconds,
        windowEnd: w.end.seconds,
        issuedAt: issuedAt(run),
      });
      return out(
        { ok: true, command, logIndex: warning.index, window: w.json, timezone: zone ?? null },
        `${[
          `warning published: log entry ${warning.index} (${values.entrance![0]} ${windowText(w.start, w.end, zone)})`,
          ...w.notes,
        ].join("\n")}\n`,
      );
    }
  }
}

const issuedAt = (run: Run) => Math.floor((run.io.now ?? Date.now)() / 1000);

/** A window in the deployment's zone, with the offset on each end. */
const windowText = (start: ReadTime, end: ReadTime, zone: string | undefined) =>
  `${formatTime(start.seconds, zone)} – ${formatTime(end.seconds, zone)}`;

interface DecryptInputs {
  readonly officer: OfficerOptions;
  readonly deployment: AuthorityDeployment;
  readonly index: bigint;
  readonly releaseKeys: string;
  readonly threads: number | undefined;
  readonly cosignatures: number | undefined;
  readonly boxKey: Uint8Array | undefined;
  readonly json: boolean;
}

async function decrypt(run: Run, d: DecryptInputs): Promise<CliResult> {
  const { progress } = run;
  const csv = run.values.csv;
  const threads = d.threads ?? (await defaultNodeThreads());
  const inner = threads === 0 ? inThreadPool() : await createNodeDecryptPool({ threads });
  const pool = countingPool(inner, {
    onCombined: (done, of) => progress.count("combining keys", done, of, "entrance-hours"),
    onDecrypted: (done, of) => progress.count("decrypting", done, of, "ciphertexts"),
  });
  run.pool = pool;
  const logSource = countingLogSource(
    httpLogSource(`${d.officer.baseUrl.replace(/\/+$/, "")}/log`, run.fetch),
    (done, of) => progress.count("auditing the log", done, of, "entry bundles"),
  );
  const found = await decryptQuery({
    officer: d.officer,
    deployment: d.deployment,
    queryIndex: d.index,
    releaseSecretKey: releaseKeyLookup(d.releaseKeys),
    pool,
    logSource,
    ...(d.boxKey ? { authorityBoxSecretKey: d.boxKey } : {}),
    ...(d.cosignatures !== undefined ? { cosignatures: d.cosignatures } : {}),
    onDecryptProgress: (p) => progress.estimate("decrypting", p, "ciphertexts"),
    onProgress: (p) => {
      switch (p.step) {
        case "proof":
          return progress.step(`checking query ${d.index}'s proof in the log`);
        case "releases":
          return p.done === undefined
            ? progress.step(
                `asking ${d.deployment.trustees.length} trustees and the log to release keys`,
              )
            : progress.count("releases", p.done, p.of ?? p.done, "holders answered");
        case "log":
          return progress.step("auditing the log");
        case "keys":
          return progress.step(
            `verifying and combining the partial keys in ${pool.threads} thread(s)`,
          );
        case "ciphertexts":
          // The first entrance-hour's pages start the decryption, which runs while the rest
          // are read.
          if (p.done === 0) {
            progress.step(
              `fetching ${p.of} entrance-hours' ciphertexts and decrypting them in ${pool.threads} thread(s) as they arrive`,
            );
          }
          return;
        case "decrypt":
          // Every page is read; the "decrypting" count now knows its total.
          return;
      }
    },
  });
  if (csv) {
    try {
      writeFileSync(csv, contactsCsv(found.contacts), { mode: 0o600, flag: "wx" });
    } catch (e) {
      throw new UsageError(
        `--csv ${csv} cannot be written (${fsReason(e)}): name a new file in a writable folder`,
      );
    }
  }
  const text = d.json
    ? jsonDocument(decryptJson(found, csv))
    : decryptText(found, csv, d.deployment.timezone);
  return result(EXIT.ok, text);
}

if (isMain(import.meta.url)) await runAsProgram(TOOL, (argv) => runCli(argv));
