/**
 * The documents stay true to the tree: every document's backticked paths and links exist, every
 * test a design or threat document cites exists under that title, and no file cites a document a
 * reader of the repository cannot open.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  codePaths,
  headingSlugs,
  markdownLinks,
  markdownMentions,
  testCitations,
} from "./lib/doc-references.ts";
import { repoRoot } from "./lib/paths.ts";

/** Git-ignored or made at run time: named in the docs, never in a clean clone. */
const MADE_AT_RUN_TIME = [
  "web/public/assets/gen/",
  "assets/gen/",
  "identities.json",
  "release-keys.json",
  "audit-state.json",
  "contacts.csv",
  // the packages' build (npm run build:packages)
  "dist/",
  // what `npm run bootstrap` writes for each party to keep or hand over
  "genesis.json",
  "settings.json",
  "principals.sql",
  ".public.json",
  ".secrets.json",
];
const SKIPPED_FOLDERS = new Set([
  "node_modules",
  ".git",
  ".wrangler",
  ".lintel",
  ".tmp",
  "test-results",
]);
const SOURCE_ENDINGS = /\.(ts|mjs|md|toml|html|css)$/;

function walk(folder: string, keep: (file: string) => boolean, into: string[] = []): string[] {
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) {
      if (!SKIPPED_FOLDERS.has(name) && full !== path.join(repoRoot, "web/public/assets/gen"))
        walk(full, keep, into);
    } else if (keep(full)) into.push(full);
  }
  return into;
}

const relative = (file: string) => path.relative(repoRoot, file);
const insideRepo = (file: string) => !path.relative(repoRoot, file).startsWith("..");
const exists = (file: string) => insideRepo(file) && existsSync(file);

const documents = walk(repoRoot, (f) => f.endsWith(".md"));
const markdownNames = new Set(documents.map((f) => path.basename(f)));
const everyFileName = new Set(walk(repoRoot, () => true).map((f) => path.basename(f)));

function madeAtRunTime(span: string): boolean {
  return MADE_AT_RUN_TIME.some(
    (p) =>
      span === p ||
      span.startsWith(p) ||
      span.endsWith(`/${p}`) ||
      (p.startsWith(".") && span.endsWith(p)),
  );
}

/** A backticked path may be relative to its document, the repository, the document's src/, or a folder named before it on the line. */
function resolves(doc: string, span: string, contextFolders: readonly string[]): boolean {
  const here = path.dirname(doc);
  const bases = [here, repoRoot, path.join(here, "src")];
  for (const folder of contextFolders)
    bases.push(path.join(here, folder), path.join(repoRoot, folder));
  if (bases.some((base) => exists(path.join(base, span)))) return true;
  // A bare file name ("`checkin.ts`") stands for a file of that name somewhere in the tree.
  return !span.includes("/") && everyFileName.has(span);
}

describe("reading references out of Markdown", () => {
  it("finds backticked paths, and leaves routes, packages, placeholders and identifiers alone", () => {
    const found = codePaths(
      [
        "| `src/log/` | the tree (`merkle/`) and `worker/src/app.ts`, see `PROTOCOL.md` |",
        "`/api/checkins`, `@lintel/protocol/seal`, `tile/<L>/<N>`, `LIMITS.logAppend`, `cosignature/v1`, `.p/`, `.lintel/x.json`",
        "```sh",
        "npm run x -- `not/a/ref.ts`",
        "```",
      ].join("\n"),
    );
    expect(found.map((r) => [r.text, r.line, r.contextFolders])).toEqual([
      ["src/log/", 1, []],
      ["merkle/", 1, ["src/log/"]],
      ["worker/src/app.ts", 1, ["src/log/", "merkle/"]],
      ["PROTOCOL.md", 1, ["src/log/", "merkle/"]],
    ]);
  });

  it("finds relative links with their anchors, not web addresses", () => {
    const links = markdownLinks(
      "[a](../THREAT_MODEL.md#the-invariants), [b](https://x.org/y.md), [c](#layout)",
    );
    expect(links.map((l) => [l.path, l.anchor])).toEqual([
      ["../THREAT_MODEL.md", "the-invariants"],
      ["", "layout"],
    ]);
  });

  it("reads a test citation's titles across lines, nested describes and lists", () => {
    const [citation, ...more] = testCitations(
      '`tests/worker/x.test.ts` › "the cap" › "holds, for staff",\n   "another one"; then "not a title"',
    );
    expect(more).toEqual([]);
    expect(citation?.file).toBe("tests/worker/x.test.ts");
    expect(citation?.titles).toEqual(["the cap", "holds, for staff", "another one"]);
  });

  it("gives headings GitHub's anchors", () => {
    const slugs = headingSlugs(
      "## 10.4 Policy\n### What Lintel does not defend against\n# protocol/ — `@lintel/protocol`",
    );
    expect([...slugs]).toEqual([
      "104-policy",
      "what-lintel-does-not-defend-against",
      "protocol--lintelprotocol",
    ]);
  });

  it("finds Markdown files named in code comments, with the path as written", () => {
    // Built, so that this file does not itself cite a document outside the repository.
    const outside = `${["..", "elsewhere", "NOTES"].join("/")}.md`;
    const mentions = markdownMentions(` * see PROTOCOL.md §10.5 and ${outside}, not design.mdx`);
    expect(mentions.map((m) => m.text)).toEqual(["PROTOCOL.md", outside]);
  });
});

describe("the repository's documents", () => {
  it("are found: every folder's README and the design document", () => {
    const names = documents.map(relative);
    for (const expected of ["README.md", "docs/DESIGN.md", "THREAT_MODEL.md", "worker/README.md"])
      expect(names).toContain(expected);
  });

  it.each(documents.map(relative))("%s names only paths that exist", (doc) => {
    const file = path.join(repoRoot, doc);
    const missing = codePaths(readFileSync(file, "utf8"))
      .filter((r) => !madeAtRunTime(r.text) && !resolves(file, r.text, r.contextFolders))
      .map((r) => `line ${r.line}: ${r.text}`);
    expect(missing).toEqual([]);
  });

  it.each(documents.map(relative))("%s links only to files and headings that exist", (doc) => {
    const file = path.join(repoRoot, doc);
    const broken: string[] = [];
    for (const link of markdownLinks(readFileSync(file, "utf8"))) {
      const target = link.path === "" ? file : path.resolve(path.dirname(file), link.path);
      if (!exists(target)) broken.push(`line ${link.line}: ${link.text}`);
      else if (
        link.anchor &&
        target.endsWith(".md") &&
        !headingSlugs(readFileSync(target, "utf8")).has(link.anchor)
      )
        broken.push(`line ${link.line}: ${link.text} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it.each(["docs/DESIGN.md", "THREAT_MODEL.md"])(
    "%s cites tests that exist under those titles",
    (doc) => {
      const citations = testCitations(readFileSync(path.join(repoRoot, doc), "utf8"));
      expect(citations.length).toBeGreaterThan(10);
      expect(citations.every((c) => c.titles.length > 0)).toBe(true);
      const missing: string[] = [];
      for (const citation of citations) {
        const testFile = path.join(repoRoot, citation.file);
        if (!exists(testFile)) {
          missing.push(`line ${citation.line}: ${citation.file}`);
          continue;
        }
        const source = readFileSync(testFile, "utf8");
        for (const title of citation.titles)
          if (!source.includes(title))
            missing.push(`line ${citation.line}: ${citation.file} › "${title}"`);
      }
      expect(missing).toEqual([]);
    },
  );

  it("cite only Markdown files inside the repository, from docs and code alike", () => {
    const outside: string[] = [];
    for (const file of walk(repoRoot, (f) => SOURCE_ENDINGS.test(f))) {
      for (const mention of markdownMentions(readFileSync(file, "utf8"))) {
        const ok = mention.text.includes("/")
          ? [path.dirname(file), repoRoot].some((base) => exists(path.join(base, mention.text)))
          : markdownNames.has(mention.text);
        if (!ok) outside.push(`${relative(file)}:${mention.line}: ${mention.text}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
