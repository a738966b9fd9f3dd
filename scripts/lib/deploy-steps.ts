/**
 * DEPLOY.md's runnable steps, read out of the document so that the doc and its test cannot drift:
 * every fenced block whose info string is `sh step` (`sh step each-trustee`: once per trustee),
 * each line one command (a trailing `\` joins the next line; `#` starts a comment). Pure text in,
 * commands out; `scripts/deploy-steps.test.ts` runs them against local wrangler.
 */

export interface StepCommand {
  /** The command as the document writes it, continuation lines joined, comment removed. */
  readonly text: string;
  /** 1-based line of the document where the command starts. */
  readonly line: number;
  /** Run once per trustee, with the document's trustee id replaced by each one's. */
  readonly eachTrustee: boolean;
}

const FENCE = /^```(.*)$/;

export function stepCommands(markdown: string): StepCommand[] {
  const lines = markdown.split("\n");
  const commands: StepCommand[] = [];
  /** The fenced block the line is in: null outside, `run: false` for documentation only. */
  let block: { run: boolean; eachTrustee: boolean } | null = null;
  let pending: { text: string; line: number } | null = null;
  for (const [i, raw] of lines.entries()) {
    const fence = FENCE.exec(raw.trim());
    if (fence) {
      if (block && pending) throw new Error(`DEPLOY.md:${pending.line}: a \\ ends the block`);
      if (block) {
        block = null;
        continue;
      }
      const info = fence[1]!.trim().split(/\s+/);
      // Other fenced blocks (TOML, or shell shown but not run) are documentation only.
      block = {
        run: info[0] === "sh" && info[1] === "step",
        eachTrustee: info.includes("each-trustee"),
      };
      continue;
    }
    if (!block?.run) continue;
    const line = withoutComment(raw).trimEnd();
    const continued = line.endsWith("\\");
    const part = (continued ? line.slice(0, -1) : line).trim();
    if (pending) pending.text += ` ${part}`;
    else if (part !== "") pending = { text: part, line: i + 1 };
    if (!continued && pending) {
      commands.push({ ...pending, eachTrustee: block.eachTrustee });
      pending = null;
    }
  }
  return commands;
}

/** The line up to an unquoted `#` that starts a word (a shell comment). */
function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** The words of a command, shell-quoted words unquoted (enough for the document's commands). */
export function words(command: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** What the test does with a command, by what it needs. */
export type StepKind =
  | { readonly kind: "bootstrap"; readonly step: string }
  | { readonly kind: "migrate"; readonly config: string | undefined }
  | { readonly kind: "execute"; readonly config: string | undefined }
  | { readonly kind: "deploy"; readonly config: string | undefined }
  /** Needs a real account: its syntax is checked against wrangler's own help. */
  | {
      readonly kind: "account-only";
      readonly subcommand: readonly string[];
      readonly flags: readonly string[];
      readonly config: string | undefined;
    }
  | { readonly kind: "build-web" };

const ACCOUNT_ONLY = [
  ["d1", "create"],
  ["r2", "bucket", "create"],
  ["secret", "bulk"],
  ["secret", "put"],
] as const;

export function classify(command: string): StepKind {
  const w = words(command);
  if (w[0] === "npm" && w[1] === "run" && w[2] === "bootstrap" && w[3] === "--")
    return { kind: "bootstrap", step: w[4] ?? "" };
  if (w[0] === "npm" && w[1] === "run" && w[2] === "build:web" && w.length === 3)
    return { kind: "build-web" };
  if (w[0] !== "npx" || w[1] !== "wrangler")
    throw new Error(`not a step this test knows: ${command}`);
  const args = w.slice(2);
  const c = args.indexOf("-c");
  const config = c >= 0 ? args[c + 1] : undefined;
  const starts = (...prefix: string[]) => prefix.every((p, i) => args[i] === p);
  if (starts("d1", "migrations", "apply")) {
    if (!args.includes("--remote"))
      throw new Error(`a migration step must say --remote: ${command}`);
    return { kind: "migrate", config };
  }
  if (starts("d1", "execute")) {
    if (!args.includes("--remote"))
      throw new Error(`an execute step must say --remote: ${command}`);
    return { kind: "execute", config };
  }
  if (starts("deploy")) return { kind: "deploy", config };
  for (const sub of ACCOUNT_ONLY)
    if (starts(...sub))
      return {
        kind: "account-only",
        subcommand: sub,
        flags: args.filter((a) => a.startsWith("-")),
        config,
      };
  throw new Error(`not a wrangler step this test knows: ${command}`);
}

/**
 * A copy of a wrangler config made to live elsewhere: its relative paths (`main`,
 * `migrations_dir`, the assets `directory`) made absolute, and the edits DEPLOY.md asks for.
 */
export function editedConfig(
  toml: string,
  configDir: string,
  edits: {
    readonly name: string;
    readonly deployment: string;
    readonly logOrigin: string;
    /** Trustee id → its public URL (in [[vars.LINTEL_DEPLOYMENT.trustees]]). */
    readonly trusteeUrls: Readonly<Record<string, string>>;
  },
  resolvePath: (dir: string, p: string) => string,
): string {
  const once = (text: string, re: RegExp, replace: (m: RegExpExecArray) => string) => {
    const matches = [...text.matchAll(new RegExp(re.source, `${re.flags}g`))];
    if (matches.length !== 1) throw new Error(`${re}: ${matches.length} matches in the config`);
    return text.replace(re, (...args) => replace(args as unknown as RegExpExecArray));
  };
  let out = toml;
  for (const key of ["main", "migrations_dir", "directory"]) {
    const re = new RegExp(`^${key} = "([^"]+)"$`, "m");
    if (re.test(out))
      out = once(out, re, (m) => `${key} = ${JSON.stringify(resolvePath(configDir, m[1]!))}`);
  }
  // The worker's name is the first line of the file's top level (trustee names come later).
  const top = /^name = "[^"]+"$/m.exec(out);
  if (!top || /^\[/m.exec(out)!.index < top.index)
    throw new Error("no top-level name in the config");
  out = out.replace(top[0], `name = ${JSON.stringify(edits.name)}`);
  out = once(
    out,
    /^(\[vars\.LINTEL_DEPLOYMENT\]\n)id = "[^"]+"$/m,
    (m) => `${m[1]}id = ${JSON.stringify(edits.deployment)}`,
  );
  out = once(out, /^logOrigin = "[^"]+"$/m, () => `logOrigin = ${JSON.stringify(edits.logOrigin)}`);
  for (const [id, url] of Object.entries(edits.trusteeUrls))
    out = once(
      out,
      new RegExp(`^(id = "${id}"\\nname = "[^"]+"\\n)url = "[^"]+"$`, "m"),
      (m) => `${m[1]}url = ${JSON.stringify(url)}`,
    );
  return out;
}
