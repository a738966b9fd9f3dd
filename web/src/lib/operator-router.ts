/**
 * The operator page's views and their URLs, both ways. Pure (no DOM): the page reads the view
 * from `location.search`, and every link or step to another view writes the search this module
 * makes, so a view can be bookmarked, reloaded and reached with Back and Forward.
 *
 * Query parameters rather than paths or hashes: `/operator/` is one static shell, and its search
 * never reaches a route of the worker's own.
 *
 *   (none)                       your venues: the list and "New application"
 *   ?view=new                    a new application's form
 *   ?view=devices                this account's devices
 *   ?venue=<id>                  the venue: its application (the form while a draft or sent back)
 *   ?venue=<id>&view=entrances   an approved venue's entrances, codes and posters
 *   ?venue=<id>&view=staff       its staff and kiosk screens
 *   ?venue=<id>&view=today       today's counts
 *   ?venue=<id>&view=requests    requests to the authority for the venue's own records
 */

export const VENUE_TABS = ["application", "entrances", "staff", "today", "requests"] as const;
export type VenueTab = (typeof VENUE_TABS)[number];

export type OperatorView =
  | { readonly kind: "venues" }
  | { readonly kind: "new" }
  | { readonly kind: "devices" }
  | { readonly kind: "venue"; readonly venue: string; readonly tab: VenueTab };

export interface Text2 {
  readonly en: string;
  readonly zh: string;
}

/** Ids are the service's own (`v-…`); anything else in the URL is not one and is ignored. */
const VENUE_ID = /^[A-Za-z0-9_-]{1,80}$/;

const isTab = (value: string | null): value is VenueTab =>
  value !== null && (VENUE_TABS as readonly string[]).includes(value);

/** The view a URL's search names; an unknown or malformed one is the list of venues. */
export function parseOperatorView(search: string): OperatorView {
  const params = new URLSearchParams(search);
  const venue = params.get("venue");
  const view = params.get("view");
  if (venue !== null && VENUE_ID.test(venue)) {
    return { kind: "venue", venue, tab: isTab(view) ? view : "application" };
  }
  if (view === "new") return { kind: "new" };
  if (view === "devices") return { kind: "devices" };
  return { kind: "venues" };
}

/** The search (with its "?", or "" for the list) that parseOperatorView reads back as `view`. */
export function operatorViewSearch(view: OperatorView): string {
  const params = new URLSearchParams();
  if (view.kind === "venue") {
    params.set("venue", view.venue);
    if (view.tab !== "application") params.set("view", view.tab);
  } else if (view.kind !== "venues") {
    params.set("view", view.kind);
  }
  const search = params.toString();
  return search === "" ? "" : `?${search}`;
}

export function sameView(a: OperatorView, b: OperatorView): boolean {
  return operatorViewSearch(a) === operatorViewSearch(b);
}

/**
 * The tabs a venue has: only an approved venue has codes, staff and counts; before that its
 * application is all there is.
 */
export function venueTabs(status: string): readonly VenueTab[] {
  return status === "approved" ? VENUE_TABS : ["application"];
}

/** The view to show for `view` once the venue's status is known (a tab it lacks → its application). */
export function settleVenueTab(view: OperatorView, status: string): OperatorView {
  if (view.kind !== "venue" || venueTabs(status).includes(view.tab)) return view;
  return { kind: "venue", venue: view.venue, tab: "application" };
}

export const TAB_LABELS: Readonly<Record<VenueTab, Text2>> = {
  application: { en: "Application", zh: "申请" },
  entrances: { en: "Entrances and codes", zh: "入口与场所码" },
  staff: { en: "Staff and kiosks", zh: "工作人员与自助机" },
  today: { en: "Today", zh: "今日" },
  requests: { en: "Records requests", zh: "查询申请" },
};

/** What the page's title names: the view, then the venue's name when there is one. */
export function operatorViewTitle(view: OperatorView, venueName?: Text2): Text2 {
  switch (view.kind) {
    case "venues":
      return { en: "Your venues", zh: "您的场所" };
    case "new":
      return { en: "New application", zh: "新申请" };
    case "devices":
      return { en: "Your devices", zh: "您的设备" };
    case "venue": {
      const tab = TAB_LABELS[view.tab];
      if (!venueName) return tab;
      return { en: `${tab.en}: ${venueName.en}`, zh: `${tab.zh}：${venueName.zh}` };
    }
  }
}
