/**
 * The registry page's views and their URLs, both ways. Pure (no DOM): the page reads the view
 * from `location.search` and writes the search this module makes, so each view can be
 * bookmarked, reloaded and reached with Back and Forward. `/registry/` is one static shell, so
 * the view is in the query, which no route of the worker reads.
 *
 *   (none)               the applications queue
 *   ?application=<id>    one application in full, with the decision
 *   ?view=reports        reports from the public
 *   ?view=export         the venues export
 *   ?view=people         enrolling officers, auditors and registry staff
 *   ?view=compliance     what needs attention, venue by venue
 */

export type RegistryView =
  | { readonly kind: "queue" }
  | { readonly kind: "application"; readonly id: string }
  | { readonly kind: "reports" }
  | { readonly kind: "export" }
  | { readonly kind: "people" }
  | { readonly kind: "compliance" };

export interface Text2 {
  readonly en: string;
  readonly zh: string;
}

const APPLICATION_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The view a URL's search names; an unknown or malformed one is the queue. */
export function parseRegistryView(search: string): RegistryView {
  const params = new URLSearchParams(search);
  const id = params.get("application");
  if (id !== null && APPLICATION_ID.test(id)) return { kind: "application", id };
  const view = params.get("view");
  if (view === "reports") return { kind: "reports" };
  if (view === "export") return { kind: "export" };
  if (view === "people") return { kind: "people" };
  if (view === "compliance") return { kind: "compliance" };
  return { kind: "queue" };
}

/** The search (with its "?", or "" for the queue) that parseRegistryView reads back as `view`. */
export function registryViewSearch(view: RegistryView): string {
  switch (view.kind) {
    case "queue":
      return "";
    case "application":
      return `?${new URLSearchParams({ application: view.id })}`;
    default:
      return `?view=${view.kind}`;
  }
}

export function registryViewTitle(view: RegistryView, venueName?: Text2): Text2 {
  switch (view.kind) {
    case "queue":
      return { en: "Applications", zh: "申请" };
    case "application":
      return venueName
        ? { en: `Application: ${venueName.en}`, zh: `申请：${venueName.zh}` }
        : { en: "Application", zh: "申请" };
    case "reports":
      return { en: "Reports from the public", zh: "公众举报" };
    case "export":
      return { en: "Export", zh: "导出" };
    case "people":
      return { en: "People", zh: "人员" };
    case "compliance":
      return { en: "Compliance", zh: "合规情况" };
  }
}

/** The heading focus moves to when the page moves to `view`. */
export function registryHeadingId(view: RegistryView): string {
  switch (view.kind) {
    case "queue":
      return "queue-heading";
    case "application":
      return "detail-heading";
    case "reports":
      return "reports-heading";
    case "export":
      return "export-heading";
    case "people":
      return "people-heading";
    case "compliance":
      return "compliance-heading";
  }
}
