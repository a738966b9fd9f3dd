/**
 * One language at a time. Every page shows the deployment's default language (Chinese for the
 * demo: `LINTEL_DEFAULT_LANGUAGE` at build time) until the person picks the other with the switch
 * in the header; the choice, and the larger-text setting, are kept on the device (localStorage:
 * nothing is sent) and applied on every page before it draws.
 *
 * The page shells (scripts/lib/page-shell.ts) carry their fixed text in both languages, each
 * element marked `class="l10n" lang="…"`; a stylesheet rule hides the language that `<html lang>`
 * does not name, and {@link applyLanguage} removes it from the document, so neither a screen
 * reader nor a search of the page finds the other language. Text the scripts make comes from
 * i18n.ts, which picks the chosen language.
 */

export type Language = "zh" | "en";

declare const LINTEL_DEFAULT_LANGUAGE: string | undefined;

/** The deployment's default, fixed when the pages are built. */
export const DEFAULT_LANGUAGE: Language =
  typeof LINTEL_DEFAULT_LANGUAGE !== "undefined" && LINTEL_DEFAULT_LANGUAGE === "en" ? "en" : "zh";

const LANGUAGE_KEY = "lintel.language.v1";
const LARGE_TEXT_KEY = "lintel.large-text.v1";

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage off (private mode, a policy): the default serves
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // not kept: the choice lasts for this page only
  }
}

let current: Language | undefined;

/** The language every page of this device shows. */
export function language(): Language {
  if (current === undefined) {
    const chosen = stored(LANGUAGE_KEY);
    current = chosen === "en" || chosen === "zh" ? chosen : DEFAULT_LANGUAGE;
  }
  return current;
}

/** Keeps `choice` for every page of this device and draws this page again in it. */
export function chooseLanguage(choice: Language): void {
  store(LANGUAGE_KEY, choice);
  location.reload();
}

export function largeText(): boolean {
  return stored(LARGE_TEXT_KEY) === "1";
}

export function chooseLargeText(on: boolean): void {
  store(LARGE_TEXT_KEY, on ? "1" : null);
  document.documentElement.classList.toggle("large-text", on);
}

/** `<html lang>`, the shell's text in one language, the title, the header's switches. */
export function applyLanguage(root: Document = document): void {
  const lang = language();
  const html = root.documentElement;
  html.lang = lang === "zh" ? "zh-CN" : "en";
  html.classList.toggle("large-text", largeText());
  for (const node of root.querySelectorAll<HTMLElement>(".l10n[lang]")) {
    if (!node.lang.startsWith(lang)) node.remove();
  }
  const title = html.dataset[lang === "zh" ? "titleZh" : "titleEn"];
  if (title) root.title = title;
  for (const node of root.querySelectorAll<HTMLElement>("[data-aria-label-en]")) {
    const label = node.dataset[lang === "zh" ? "ariaLabelZh" : "ariaLabelEn"];
    if (label) node.setAttribute("aria-label", label);
  }
  // Wired once however often this runs: a second bundle on the page (the background check's)
  // applies the language too, and a second listener would undo the larger-text switch.
  for (const link of root.querySelectorAll<HTMLButtonElement>("[data-choose-language]")) {
    const target = link.dataset.chooseLanguage === "en" ? "en" : "zh";
    link.hidden = target === lang;
    if (link.dataset.wired) continue;
    link.dataset.wired = "true";
    link.addEventListener("click", () => chooseLanguage(target));
  }
  const size = root.querySelector<HTMLButtonElement>("[data-large-text]");
  if (size) {
    size.setAttribute("aria-pressed", String(largeText()));
    if (size.dataset.wired) return;
    size.dataset.wired = "true";
    size.addEventListener("click", () => {
      const on = !largeText();
      chooseLargeText(on);
      size.setAttribute("aria-pressed", String(on));
    });
  }
}
