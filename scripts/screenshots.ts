/**
 * `npm run screenshots [-- <dir>]` — every page and the views behind each sign-in, in Chinese and
 * in English at 320 and 1280 px, written as PNGs to `<dir>` (default `screenshots/`, git-ignored)
 * with an `index.html` that lays them side by side for review.
 *
 * The views are the browser test tests/e2e/every-view.test.ts (a real `npm run dev` and Debian's
 * Chromium); it fails, and so does this command, when axe (WCAG 2.2 AA) finds anything, a view is
 * wider than 320 px, or a view shows text of the other language. So what is reviewed is also what
 * CI checks.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildWeb } from "./build-web.ts";
import { ensureTestBinaries } from "./lib/chromium.ts";
import { repoRoot } from "./lib/paths.ts";

const LANGUAGES = [
  ["zh", "中文"],
  ["en", "English"],
] as const;
const WIDTHS = [320, 1280] as const;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One row a view (alphabetically): its pictures in each language and width. */
export function galleryHtml(files: readonly string[]): string {
  const views = [...new Set(files.map((f) => f.split(".")[0]!))];
  const rows = views.map((view) => {
    const cells = LANGUAGES.flatMap(([lang, label]) =>
      WIDTHS.map((width) => {
        const file = `${view}.${lang}.${width}.png`;
        const img = files.includes(file)
          ? `<a href="${escapeHtml(file)}"><img src="${escapeHtml(file)}" alt="${escapeHtml(`${view}, ${label}, ${width} px`)}" width="${width === 320 ? 160 : 320}"></a>`
          : "(missing)";
        return `<td>${img}</td>`;
      }),
    );
    return `<tr><th scope="row">${escapeHtml(view)}</th>${cells.join("")}</tr>`;
  });
  const head = LANGUAGES.flatMap(([, label]) =>
    WIDTHS.map((w) => `<th scope="col">${label} · ${w} px</th>`),
  ).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lintel — every view</title>
<style>body{font-family:system-ui,sans-serif}td,th{vertical-align:top;padding:4px}img{border:1px solid #ccc}</style>
</head><body><h1>Lintel — every view</h1>
<table><thead><tr><th scope="col">view</th>${head}</tr></thead><tbody>
${rows.join("\n")}
</tbody></table></body></html>
`;
}

async function main(): Promise<number> {
  const dir = path.resolve(process.argv[2] ?? path.join(repoRoot, "screenshots"));
  ensureTestBinaries();
  await buildWeb();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = spawnSync(
    path.join(repoRoot, "node_modules/.bin/vitest"),
    ["run", "--project", "e2e", "tests/e2e/every-view.test.ts"],
    { cwd: repoRoot, stdio: "inherit", env: { ...process.env, LINTEL_E2E_SCREENSHOTS: dir } },
  );
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".png"))
    .sort();
  writeFileSync(path.join(dir, "index.html"), galleryHtml(files));
  console.log(`screenshots: ${files.length} pictures in ${path.relative(process.cwd(), dir)}/`);
  console.log(`screenshots: open ${path.join(dir, "index.html")}`);
  if (result.status !== 0) console.log("screenshots: the views' checks FAILED (see above)");
  return result.status ?? 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    process.exitCode = await main();
  } catch (e) {
    console.error(`screenshots: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  }
}
