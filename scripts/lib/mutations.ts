/**
 * The pure parts of `npm run mutate`: validating the mutation lists, choosing which to run,
 * applying one replacement, and turning a vitest JSON report into a verdict. No I/O here, so
 * scripts/mutate.test.ts can check each rule directly.
 */
import type { Mutation } from "../mutations/types.ts";

const PROJECTS = new Set(["unit", "worker", "e2e"]);
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** One list file's export, before validation. */
export interface LoadedList {
  /** Path of the list file, for messages. */
  readonly source: string;
  readonly exported: unknown;
}

export interface ValidatedLists {
  readonly mutations: readonly (Mutation & { readonly source: string })[];
  readonly errors: readonly string[];
}

function isRelativeRepoPath(p: unknown): p is string {
  return (
    typeof p === "string" &&
    p.length > 0 &&
    !p.startsWith("/") &&
    !p.includes("\\") &&
    !p.split("/").some((part) => part === ".." || part === "." || part === "")
  );
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0;
}

/** Checks every entry's shape and that ids are unique across all lists. */
export function validateLists(lists: readonly LoadedList[]): ValidatedLists {
  const errors: string[] = [];
  const mutations: (Mutation & { source: string })[] = [];
  const seen = new Map<string, string>();
  for (const { source, exported } of lists) {
    if (!Array.isArray(exported)) {
      errors.push(`${source}: does not export an array named 'mutations'`);
      continue;
    }
    exported.forEach((entry: unknown, index) => {
      const where = `${source}[${index}]`;
      const problems = describeEntryProblems(entry);
      if (problems.length > 0) {
        errors.push(...problems.map((p) => `${where}: ${p}`));
        return;
      }
      const m = entry as Mutation;
      const first = seen.get(m.id);
      if (first !== undefined) {
        errors.push(`${where}: id '${m.id}' is already used in ${first}`);
        return;
      }
      seen.set(m.id, where);
      mutations.push({ ...m, source });
    });
  }
  return { mutations, errors };
}

function describeEntryProblems(entry: unknown): string[] {
  if (typeof entry !== "object" || entry === null) return ["not an object"];
  const e = entry as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e.id !== "string" || !ID.test(e.id)) problems.push("id must be kebab-case");
  if (!nonEmptyString(e.breaks)) problems.push("breaks must say what the mutation removes");
  if (!Array.isArray(e.guards) || e.guards.length === 0 || !e.guards.every(nonEmptyString)) {
    problems.push("guards must list at least one invariant or attack class");
  }
  if (!isRelativeRepoPath(e.file)) problems.push("file must be a path inside the repository");
  if (!nonEmptyString(e.find)) problems.push("find must not be empty");
  if (typeof e.replace !== "string") problems.push("replace must be a string");
  else if (e.replace === e.find) problems.push("replace is the same as find");
  if (typeof e.project !== "string" || !PROJECTS.has(e.project)) {
    problems.push("project must be unit, worker or e2e");
  }
  if (!Array.isArray(e.tests) || e.tests.length === 0 || !e.tests.every(isRelativeRepoPath)) {
    problems.push("tests must list at least one test file inside the repository");
  }
  if (e.testNamePattern !== undefined && !nonEmptyString(e.testNamePattern)) {
    problems.push("testNamePattern, when given, must not be empty");
  }
  return problems;
}

/** The mutations named (all when none are), or the names that match none. */
export function selectMutations<M extends { readonly id: string }>(
  all: readonly M[],
  ids: readonly string[],
): { readonly selected: readonly M[]; readonly unknown: readonly string[] } {
  if (ids.length === 0) return { selected: all, unknown: [] };
  const byId = new Map(all.map((m) => [m.id, m]));
  const unknown = ids.filter((id) => !byId.has(id));
  const selected = [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
  return { selected, unknown };
}

export function countOccurrences(text: string, find: string): number {
  if (find.length === 0) return 0;
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + find.length)) count++;
  return count;
}

export type Replacement =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly occurrences: number };

/** Replaces `find` by `replace` when it occurs exactly once; otherwise says how often it occurs. */
export function applyOnce(text: string, find: string, replace: string): Replacement {
  const occurrences = countOccurrences(text, find);
  if (occurrences !== 1) return { ok: false, occurrences };
  const at = text.indexOf(find);
  return { ok: true, text: text.slice(0, at) + replace + text.slice(at + find.length) };
}

/** The parts of vitest's JSON reporter output that decide a verdict. */
export interface VitestJsonReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numTotalTests: number;
  readonly testResults: readonly {
    readonly name: string;
    readonly status: string;
    readonly message?: string;
    readonly assertionResults: readonly {
      readonly fullName?: string;
      readonly title?: string;
      readonly status: string;
    }[];
  }[];
}

export type Status = "killed" | "survived" | "stale" | "error";

export interface Verdict {
  readonly status: Status;
  readonly detail: string;
}

/**
 * killed:   a test failed; or a test file failed to load (a syntax or type error the mutation
 *           caused), which is said in the detail;
 * survived: every test ran and passed;
 * error:    no report, or nothing ran: the mutation proves nothing either way.
 */
export function classifyRun(
  exitCode: number | null,
  report: VitestJsonReport | undefined,
): Verdict {
  if (!report) {
    return { status: "error", detail: `vitest wrote no report (exit ${exitCode ?? "signal"})` };
  }
  const failedTests = report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((a) => a.status === "failed")
      .map((a) => a.fullName ?? a.title ?? "(unnamed)"),
  );
  if (failedTests.length > 0 || report.numFailedTests > 0) {
    const first = failedTests[0] ?? "a test";
    const more = failedTests.length > 1 ? ` (+${failedTests.length - 1} more)` : "";
    return { status: "killed", detail: `failed: ${first}${more}` };
  }
  const brokenFiles = report.testResults.filter(
    (file) => file.status === "failed" && file.assertionResults.length === 0,
  );
  if (brokenFiles.length > 0) {
    const message = (brokenFiles[0]?.message ?? "").split("\n")[0]?.slice(0, 120) ?? "";
    return {
      status: "killed",
      detail: `test file failed to load (not a failing assertion): ${message}`,
    };
  }
  if (report.numTotalTests === 0 || report.numPassedTests === 0) {
    return { status: "error", detail: "no test ran (check the test files and -t pattern)" };
  }
  if (exitCode !== 0) {
    return {
      status: "error",
      detail: `tests passed but vitest exited with ${exitCode ?? "a signal"}`,
    };
  }
  return { status: "survived", detail: `${report.numPassedTests} test(s) passed` };
}

export interface ResultRow {
  readonly id: string;
  readonly status: Status;
  readonly detail: string;
  readonly seconds: number;
}

/** A plain-text table, one row per mutation, then the summary line. */
export function formatReport(rows: readonly ResultRow[]): string {
  const idWidth = Math.max(2, ...rows.map((r) => r.id.length));
  const lines = [`${"id".padEnd(idWidth)}  status    secs  detail`];
  for (const r of rows) {
    lines.push(
      `${r.id.padEnd(idWidth)}  ${r.status.padEnd(8)}  ${String(Math.round(r.seconds)).padStart(4)}  ${r.detail}`,
    );
  }
  lines.push("", summaryLine(rows));
  return lines.join("\n");
}

export function summaryLine(rows: readonly ResultRow[]): string {
  const count = (s: Status) => rows.filter((r) => r.status === s).length;
  return `mutations: ${rows.length} run, ${count("killed")} killed, ${count("survived")} survived, ${count("stale")} stale, ${count("error")} error`;
}

/** Survivors and stale entries fail the run, and so do errors: an error verifies nothing. */
export function exitCodeFor(rows: readonly ResultRow[]): number {
  return rows.some((r) => r.status !== "killed") ? 1 : 0;
}
