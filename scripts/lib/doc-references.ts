/**
 * What the repository's documents point at, read out of their Markdown: links, backticked paths
 * and test citations (`file.test.ts` › "title"). Pure text in, lists out; `scripts/docs.test.ts`
 * checks each against the working tree, so a README cannot name a file that is gone.
 */

export interface Reference {
  readonly text: string;
  readonly line: number;
}

export interface LinkReference extends Reference {
  /** The path part, relative to the document ("" for a link to a heading of the same file). */
  readonly path: string;
  /** The heading slug after "#", if any. */
  readonly anchor: string | undefined;
}

export interface PathReference extends Reference {
  /** Folders named earlier on the same line: "(`merkle/`)" in a row about `src/log/` means src/log/merkle/. */
  readonly contextFolders: readonly string[];
}

export interface TestCitation extends Reference {
  readonly file: string;
  readonly titles: readonly string[];
}

/** File endings that make a backticked word a path rather than a code identifier. */
const PATH_ENDINGS = /\.(ts|mjs|js|json|md|toml|html|sql|css|txt|woff2)$/;
/**
 * A path: no spaces, placeholders (<id>, …, *), URLs (:), routes (leading /), package names (@)
 * or hidden files (.lintel/, .dev.vars: made at run time, never in a clean clone).
 */
const PATH_SHAPE = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Blanks out fenced code blocks (keeping line numbers): commands there are not references. */
export function withoutFences(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, (block) =>
    block.replace(/[^\n]/g, " "),
  );
}

/** Relative links `[text](target)`; web addresses and mail links are not the repository's. */
export function markdownLinks(markdown: string): LinkReference[] {
  const text = withoutFences(markdown);
  const links: LinkReference[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1] ?? "";
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const hash = target.indexOf("#");
    links.push({
      text: target,
      line: lineOf(text, m.index ?? 0),
      path: hash < 0 ? target : target.slice(0, hash),
      anchor: hash < 0 ? undefined : target.slice(hash + 1),
    });
  }
  return links;
}

function isPath(span: string): boolean {
  if (!PATH_SHAPE.test(span) || span.includes("//")) return false;
  return PATH_ENDINGS.test(span) || (span.endsWith("/") && span.length > 1);
}

/** Backticked spans shaped like a file or folder path (`worker/src/app.ts`, `src/`, `PROTOCOL.md`). */
export function codePaths(markdown: string): PathReference[] {
  const text = withoutFences(markdown);
  const found: PathReference[] = [];
  text.split("\n").forEach((lineText, i) => {
    const folders: string[] = [];
    for (const m of lineText.matchAll(/`([^`]+)`/g)) {
      const span = m[1] ?? "";
      if (!isPath(span)) continue;
      found.push({ text: span, line: i + 1, contextFolders: [...folders] });
      if (span.endsWith("/")) folders.push(span);
    }
  });
  return found;
}

/**
 * Test citations as THREAT_MODEL.md and docs/DESIGN.md write them:
 * `path/x.test.ts` › "describe" › "it", "another it"; the titles run until anything else.
 */
export function testCitations(markdown: string): TestCitation[] {
  const text = withoutFences(markdown);
  const citations: TestCitation[] = [];
  for (const m of text.matchAll(/`([^`\s]+\.test\.ts)`\s*›/g)) {
    const titles: string[] = [];
    const first = /\s*"([^"\n]+)"/y;
    const next = /\s*(?:›|,)\s*"([^"\n]+)"/y;
    first.lastIndex = (m.index ?? 0) + m[0].length;
    let title = first.exec(text);
    let end = first.lastIndex;
    while (title) {
      titles.push(title[1] ?? "");
      next.lastIndex = end;
      title = next.exec(text);
      if (title) end = next.lastIndex;
    }
    citations.push({ text: m[0], line: lineOf(text, m.index ?? 0), file: m[1] ?? "", titles });
  }
  return citations;
}

/** The anchors GitHub gives a document's headings ("## 10.4 Policy" → "104-policy"). */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const m of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = (m[1] ?? "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .trim()
      .replace(/\s/g, "-");
    slugs.add(slug);
  }
  return slugs;
}

/** Markdown file names mentioned anywhere in a text: code comments cite documents this way. */
export function markdownMentions(text: string): Reference[] {
  const found: Reference[] = [];
  for (const m of text.matchAll(/(?<![\w./-])((?:\.\.?\/)*[\w-]+(?:\/[\w.-]+)*\.md)\b/g)) {
    found.push({ text: m[1] ?? "", line: lineOf(text, m.index ?? 0) });
  }
  return found;
}
