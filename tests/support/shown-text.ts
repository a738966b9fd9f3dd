/**
 * What a page shows in the other language than the one chosen: the check behind "one language at
 * a time". "Shown" is the page's innerText, less what is deliberately in the other language or in
 * none: the language switch's own label, elements marked data-other-language (the staff page's
 * pair of day words, since a pass may show either), translate="no" (keys, codes, time zones) and
 * code.
 */
import type { Page } from "playwright-core";

export type ShownLanguage = "en" | "zh";

/**
 * What stays as it is in Chinese text: names (of the service, formats, algorithms, encodings, time
 * zones such as Asia/Shanghai), the card text's prefix, an example entrance id before a full stop,
 * and example codes (ABCD-EFGH-JKMN).
 */
const PROPER_NAMES =
  /Lintel|JavaScript|lintel-audit|LINTEL-CARD:|SHA-256|base64url|UTC|ID|QR|PDF|CSV|PNG|JPEG|A4|\b[A-Z][a-z]+\/[A-Za-z_]+|\b[a-z]+-[a-z]+(?=。)|\b[A-Z0-9]{4}(?:-[A-Z0-9]{2,4})+/g;

/** The page's visible text, less the deliberate other-language elements. */
export async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const node of clone.querySelectorAll(
      "[data-other-language], [data-choose-language], [translate='no'], code, script, noscript, template",
    )) {
      node.remove();
    }
    // innerText needs layout: measure the clone in the page, hidden elements excluded as shown.
    clone.style.position = "absolute";
    clone.style.left = "-10000px";
    document.documentElement.append(clone);
    const text = clone.innerText;
    clone.remove();
    return text;
  });
}

/**
 * Runs of the other language in what the page shows, with the text around them (empty when the
 * page is in `lang` only); also the nodes of the other language the page kept in its DOM.
 */
export async function otherLanguageText(page: Page, lang: ShownLanguage): Promise<string[]> {
  const found: string[] = [];
  const other = lang === "zh" ? "en" : "zh";
  const kept = await page.locator(`.l10n[lang|="${other}"]`).count();
  if (kept > 0) found.push(`${kept} .l10n[lang=${other}] node(s) kept in the DOM`);
  const text = await shownText(page);
  if (lang === "zh") {
    found.push(...(text.replace(PROPER_NAMES, "").match(/[A-Za-z]{2,}[^\n]{0,30}/g) ?? []));
  } else {
    found.push(...(text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+[^\n]{0,20}/g) ?? []));
  }
  return found;
}
