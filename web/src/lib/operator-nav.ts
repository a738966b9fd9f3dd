/**
 * The operator page's navigation: links to its views (real links, so a view opens in a new tab
 * too) that, clicked, move the page to the view without reloading it. The link to the view on
 * show carries aria-current="page".
 */
import { el } from "./dom.ts";
import { type Bi, bi, tr } from "./i18n.ts";
import {
  type OperatorView,
  operatorViewSearch,
  sameView,
  TAB_LABELS,
  type VenueTab,
} from "./operator-router.ts";

export type Go = (view: OperatorView) => void;

export function viewLink(
  view: OperatorView,
  label: Bi,
  go: Go,
  attrs: Readonly<Record<string, string>> = {},
): HTMLAnchorElement {
  const a = el(
    "a",
    { ...attrs, href: `/operator/${operatorViewSearch(view)}` },
    bi(label.en, label.zh),
  );
  a.addEventListener("click", (event) => {
    // A new tab or window (modifier keys, middle button) is the browser's to open.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    go(view);
  });
  return a;
}

function navOf(
  label: Bi,
  id: string,
  items: Array<[OperatorView, Bi]>,
  shown: OperatorView,
  go: Go,
) {
  const ul = el("ul", { class: "nav views" });
  for (const [view, text] of items) {
    const attrs: Record<string, string> = { "data-view": operatorViewSearch(view) || "?" };
    if (sameView(view, shown)) attrs["aria-current"] = "page";
    ul.append(el("li", {}, viewLink(view, text, go, attrs)));
  }
  return el("nav", { "aria-label": tr(label), id }, ul);
}

/** The account's views: its venues and its devices. */
export function accountNav(shown: OperatorView, go: Go): HTMLElement {
  return navOf(
    { en: "Your account", zh: "您的账户" },
    "account-nav",
    [
      [{ kind: "venues" }, { en: "Your venues", zh: "您的场所" }],
      [{ kind: "devices" }, { en: "Your devices", zh: "您的设备" }],
    ],
    shown,
    go,
  );
}

/** One venue's views (an approved venue has more than its application). */
export function venueNav(
  venue: string,
  tabs: readonly VenueTab[],
  shown: OperatorView,
  go: Go,
): HTMLElement {
  return navOf(
    { en: "This venue", zh: "此场所" },
    "venue-nav",
    tabs.map((tab) => [{ kind: "venue", venue, tab }, TAB_LABELS[tab]]),
    shown,
    go,
  );
}
