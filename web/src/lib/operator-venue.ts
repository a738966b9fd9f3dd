/**
 * One venue on the operator page: its heading, its views' navigation once approved, and the view
 * asked for: the application (the editor while a draft or sent back; facts, documents and history
 * otherwise), its entrances and codes, its staff and kiosks, or today's counts.
 */
import { applicationRoutes } from "@lintel/contract";
import {
  type ApplicationView,
  applicationFacts,
  documentsSection,
  historySection,
  venueName,
} from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, suspensionLabel } from "./i18n.ts";
import { inspectionsSection } from "./inspections.ts";
import { renderEditor } from "./operator-editor.ts";
import { renderEntrances } from "./operator-entrances.ts";
import { type Go, venueNav } from "./operator-nav.ts";
import { venueReportsSection } from "./operator-reports.ts";
import { renderVenueRequests } from "./operator-requests.ts";
import { type OperatorView, settleVenueTab, type VenueTab, venueTabs } from "./operator-router.ts";
import { renderKiosks, renderStaff } from "./operator-staff.ts";
import { renderToday } from "./operator-today.ts";
import type { SignedPage } from "./page.ts";
import { rectificationSection } from "./rectification-orders.ts";
import { callSigned } from "./signed-call.ts";
import { announce, errorRegion, heading, paragraph } from "./ui.ts";

type VenueView = Extract<OperatorView, { kind: "venue" }>;

export interface VenueHost {
  readonly page: SignedPage;
  readonly go: Go;
  /** Puts `view` in the URL in place of the current entry (no new history entry). */
  replace(view: OperatorView): void;
  /** The view's title, once the venue's name is known. */
  titled(view: OperatorView, name?: Bi): void;
}

/** The id of the heading a venue view's focus moves to. */
export function venueHeadingId(tab: VenueTab): string {
  switch (tab) {
    case "application":
      return "application-heading";
    case "entrances":
      return "codes-heading";
    case "staff":
      return "staff-heading";
    case "today":
      return "dashboard-heading";
    case "requests":
      return "requests-heading";
  }
}

function panelOf(title: Bi): { panel: HTMLElement; h: HTMLHeadingElement; error: HTMLElement } {
  const panel = el("section", { id: "application", "aria-labelledby": "application-heading" });
  const h = heading(2, title, { id: "application-heading", tabindex: "-1" });
  const error = errorRegion("application-error");
  panel.append(h, error);
  return { panel, h, error };
}

/** A new application's editor, in `host` (the workspace's view area). */
export function showNewApplication(host: VenueHost, area: HTMLElement): void {
  const { panel } = panelOf({ en: "New application", zh: "新申请" });
  replaceChildren(area, panel);
  renderEditor(host.page, panel, undefined, editorHooks(host, area));
}

/** Fetches the venue's application, then draws the view `view` asks for into `area`. */
export async function showVenue(
  host: VenueHost,
  area: HTMLElement,
  view: VenueView,
  focus: boolean,
): Promise<void> {
  const { panel, error } = panelOf({ en: "Venue", zh: "场所" });
  replaceChildren(area, panel);
  if (focus) panel.querySelector<HTMLElement>("#application-heading")?.focus();
  let application: ApplicationView;
  try {
    application = await callSigned(host.page, applicationRoutes.getApplication, {
      params: { id: view.venue },
    });
  } catch (e) {
    host.page.fail(error, e);
    return;
  }
  // Moved on to another view meanwhile: this one is no longer on the page.
  if (!panel.isConnected) return;
  await drawVenue(host, area, view, application, focus);
}

/** What a suspended venue's operator must know first: nobody can check in, and why. */
function suspensionNotice(application: ApplicationView): HTMLElement {
  const reason = suspensionLabel(application.suspension ?? "other");
  return el(
    "div",
    { class: "feedback prominent", id: "suspension-notice", role: "note" },
    paragraph(
      `The registry has suspended this venue (${reason.en}). None of its codes checks anyone in until the registry reinstates it. Contact the registry about what to do.`,
      `登记机构已暂停此场所（${reason.zh}）。在登记机构恢复之前，其所有场所码都不能登记。请联系登记机构了解如何处理。`,
    ),
  );
}

async function drawVenue(
  host: VenueHost,
  area: HTMLElement,
  asked: VenueView,
  application: ApplicationView,
  focus: boolean,
): Promise<void> {
  // A tab the venue does not have yet (a bookmark from before, a draft) → its application.
  const view = settleVenueTab(asked, application.status) as VenueView;
  if (view !== asked) host.replace(view);
  host.titled(view, application.name);
  const editing = application.status === "draft" || application.status === "rejected";
  const { panel, h } = panelOf(
    editing ? { en: "Application", zh: "申请" } : { en: "Venue", zh: "场所" },
  );
  h.append(": ", venueName(application.name));
  replaceChildren(area, panel);
  if (application.status === "suspended") panel.append(suspensionNotice(application));
  const tabs = venueTabs(application.status);
  if (tabs.length > 1) panel.append(venueNav(view.venue, tabs, view, host.go));
  const part = (id: string, labelledBy: string) =>
    el("section", { id, "aria-labelledby": labelledBy });
  switch (view.tab) {
    case "application":
      if (editing) renderEditor(host.page, panel, application, editorHooks(host, area));
      else applicationPart(host.page, panel, application);
      break;
    case "entrances": {
      const section = part("codes", "codes-heading");
      panel.append(section);
      await renderEntrances(host.page, section, application);
      break;
    }
    case "staff": {
      const staff = part("staff", "staff-heading");
      const kiosks = part("kiosks", "kiosks-heading");
      panel.append(staff, kiosks);
      await Promise.all([
        renderStaff(host.page, staff, application),
        renderKiosks(host.page, kiosks, application),
      ]);
      break;
    }
    case "today": {
      const section = part("dashboard", "dashboard-heading");
      panel.append(section);
      await renderToday(host.page, section, application);
      break;
    }
    case "requests": {
      const section = part("requests", "requests-heading");
      panel.append(section);
      await renderVenueRequests(host.page, section, application);
      break;
    }
  }
  if (focus) document.getElementById(venueHeadingId(view.tab))?.focus();
}

function applicationPart(page: SignedPage, panel: HTMLElement, view: ApplicationView): void {
  if (view.status === "submitted") {
    panel.append(
      paragraph(
        "Submitted. The registry will review it; you will see its decision here.",
        "已提交，等待登记机构审核，审核结果会显示在这里。",
        { class: "note", id: "waiting-note" },
      ),
    );
  }
  // The registry's orders come first: they have deadlines.
  if (view.status === "approved" || view.status === "suspended") {
    panel.append(
      rectificationSection(page, view.id, "operator"),
      venueReportsSection(page, view.id),
      inspectionsSection(page, view.id, "operator"),
    );
  }
  panel.append(
    applicationFacts(view),
    documentsSection(view, page, 3),
    historySection(view, page.deployment.timezone, 3),
  );
}

function editorHooks(host: VenueHost, area: HTMLElement) {
  return {
    created(view: ApplicationView) {
      host.replace({ kind: "venue", venue: view.id, tab: "application" });
    },
    async show(view: ApplicationView, message?: Bi) {
      const shown: VenueView = { kind: "venue", venue: view.id, tab: "application" };
      host.replace(shown);
      await drawVenue(host, area, shown, view, true);
      if (message) announce(message);
    },
  };
}
