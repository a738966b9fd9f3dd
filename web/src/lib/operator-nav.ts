/** The operator page's navigation between its views (see view-nav.ts). */
import type { Bi } from "./i18n.ts";
import {
  type OperatorView,
  operatorViewSearch,
  sameView,
  TAB_LABELS,
  type VenueTab,
} from "./operator-router.ts";
import { viewLink as link, type NavItem, viewNav } from "./view-nav.ts";

export type Go = (view: OperatorView) => void;

const PATH = "/operator/";

export function viewLink(
  view: OperatorView,
  label: Bi,
  go: Go,
  attrs: Readonly<Record<string, string>> = {},
): HTMLAnchorElement {
  return link(`${PATH}${operatorViewSearch(view)}`, label, () => go(view), attrs);
}

const item = (view: OperatorView, label: Bi, shown: OperatorView, go: Go): NavItem => ({
  search: operatorViewSearch(view),
  label,
  current: sameView(view, shown),
  go: () => go(view),
});

/** The account's views: its venues and its devices. */
export function accountNav(shown: OperatorView, go: Go): HTMLElement {
  return viewNav({ en: "Your account", zh: "您的账户" }, "account-nav", PATH, [
    item({ kind: "venues" }, { en: "Your venues", zh: "您的场所" }, shown, go),
    item({ kind: "devices" }, { en: "Your devices", zh: "您的设备" }, shown, go),
  ]);
}

/** One venue's views (an approved venue has more than its application). */
export function venueNav(
  venue: string,
  tabs: readonly VenueTab[],
  shown: OperatorView,
  go: Go,
): HTMLElement {
  return viewNav(
    { en: "This venue", zh: "此场所" },
    "venue-nav",
    PATH,
    tabs.map((tab) => item({ kind: "venue", venue, tab }, TAB_LABELS[tab], shown, go)),
  );
}
