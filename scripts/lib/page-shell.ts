/**
 * The one template every page's HTML comes from (web/src/shell/pages.ts declares the pages):
 * head (title, styles, the page's module script), skip link, header (brand, the page's links,
 * the language and text-size switches), `<main>` with the page's fragment
 * (web/src/shell/<id>.html), footer. Text is written in both languages, each marked
 * `class="l10n" lang="…"`; `<html lang>` names the deployment's default, and a stylesheet rule
 * hides the other language until web/src/lib/language.ts has applied the device's choice.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { PageShell, ShellText } from "../../web/src/shell/pages.ts";
import { THEME_COLOUR } from "./offline-shell.ts";
import { repoRoot } from "./paths.ts";

const FRAGMENTS = path.join(repoRoot, "web/src/shell");

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Both languages as marked spans. */
function both(text: ShellText): string {
  return `<span class="l10n" lang="en">${escapeHtml(text.en)}</span><span class="l10n" lang="zh">${escapeHtml(text.zh)}</span>`;
}

function indent(html: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return html
    .trimEnd()
    .split("\n")
    .map((line) => (line ? pad + line : line))
    .join("\n");
}

const FOOTER: ShellText = {
  en: "Lintel loads nothing from any other site and keeps no tracking data.",
  zh: "本页面不加载任何第三方内容，不收集跟踪数据。",
};

/** The page's complete HTML, `defaultLanguage` first. */
export function pageShellHtml(page: PageShell, defaultLanguage: "zh" | "en"): string {
  const fragment = readFileSync(path.join(FRAGMENTS, `${page.id}.html`), "utf8");
  const title = (t: ShellText, lang: "zh" | "en") => `${lang === "zh" ? t.zh : t.en} — Lintel`;
  const styles = ["/assets/styles.css", ...(page.styles ?? [])]
    .map((href) => `    <link rel="stylesheet" href="${href}">`)
    .join("\n");
  const nav = page.nav
    .map(
      (link) =>
        `          <li><a href="${link.href}"${link.href === page.path ? ' aria-current="page"' : ""}>${both(link.label)}</a></li>`,
    )
    .join("\n");
  const footer = page.footer ? `${both(FOOTER)} ${both(page.footer)}` : both(FOOTER);
  return `<!doctype html>
<html lang="${defaultLanguage === "zh" ? "zh-CN" : "en"}" data-title-en="${escapeHtml(title(page.title, "en"))}" data-title-zh="${escapeHtml(title(page.title, "zh"))}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title(page.title, defaultLanguage))}</title>
${styles}
    <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
    <link rel="manifest" href="/manifest.webmanifest">
    <link rel="apple-touch-icon" href="/assets/gen/icons/icon-192.png">
    <meta name="theme-color" content="${THEME_COLOUR}">
    <script type="module" src="/assets/gen/${page.script}.js"></script>
  </head>
  <body class="${page.id}-page">
    <a class="skip" href="#main">${both({ en: "Skip to content", zh: "跳到正文" })}</a>
    <header class="site">
      <p class="brand"><a href="/">Lintel</a></p>
      <nav aria-label="${defaultLanguage === "zh" ? "页面" : "Pages"}" data-aria-label-en="Pages" data-aria-label-zh="页面">
        <ul class="nav">
${nav}
        </ul>
      </nav>
      <div class="settings">
        <button type="button" class="link" data-choose-language="en" lang="en">English</button>
        <button type="button" class="link" data-choose-language="zh" lang="zh-CN">中文</button>
        <button type="button" class="link" data-large-text aria-pressed="false">${both({ en: "Larger text", zh: "大字" })}</button>
      </div>
    </header>
    <main id="main" tabindex="-1">
${indent(fragment, 6)}
    </main>
    <footer class="site">
      <p>${footer}</p>
    </footer>
  </body>
</html>
`;
}
