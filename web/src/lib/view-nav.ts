/**
 * Links between a page's views: real links (so a view opens in a new tab too) that, clicked
 * plainly, move the page to the view without reloading it. The link to the view on show carries
 * aria-current="page".
 */
import { el } from "./dom.ts";
import { type Bi, bi, tr } from "./i18n.ts";

export function viewLink(
  href: string,
  label: Bi,
  go: () => void,
  attrs: Readonly<Record<string, string>> = {},
): HTMLAnchorElement {
  const a = el("a", { ...attrs, href }, bi(label.en, label.zh));
  a.addEventListener("click", (event) => {
    // A new tab or window (modifier keys, another button) is the browser's to open.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    go();
  });
  return a;
}

export interface NavItem {
  /** The view's search ("?…", or "" for the page's first view); also its data-view. */
  readonly search: string;
  readonly label: Bi;
  readonly current: boolean;
  readonly go: () => void;
}

/** A labelled nav of a page's views, at `path` (the page's own path). */
export function viewNav(
  label: Bi,
  id: string,
  path: string,
  items: readonly NavItem[],
): HTMLElement {
  const ul = el("ul", { class: "nav views" });
  for (const item of items) {
    const attrs: Record<string, string> = { "data-view": item.search || "?" };
    if (item.current) attrs["aria-current"] = "page";
    ul.append(el("li", {}, viewLink(`${path}${item.search}`, item.label, item.go, attrs)));
  }
  return el("nav", { "aria-label": tr(label), id }, ul);
}
