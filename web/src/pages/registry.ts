/**
 * The registry's page: sign in with an enrolment code, then one view at a time, each with its
 * own URL (lib/registry-router.ts): the review queue (any status), one application in full
 * (documents downloaded with signed requests; approve, or send back with feedback), the public
 * reports inbox, the venues export, and enrolling people (officers, auditors, registry staff, with
 * a reviewer's scope). Every view holds only venues of the reviewer's scope (its districts and
 * sectors, shown under the account box). Links and Back/Forward move between views without a
 * reload; a reload or a bookmark opens the same view, titled, with focus on its heading when
 * moved to.
 *
 * Names, addresses, contacts and labels come from operators: untrusted text, textContent only.
 */
import { applicationRoutes } from "@lintel/contract";
import { el, replaceChildren } from "../lib/dom.ts";
import { type Bi, tr } from "../lib/i18n.ts";
import { SignedPage } from "../lib/page.ts";
import { problemCode, sentenceNode } from "../lib/problems.ts";
import { renderCompliance } from "../lib/registry-compliance.ts";
import { renderDetail } from "../lib/registry-detail.ts";
import { renderPeople } from "../lib/registry-people.ts";
import { renderQueue } from "../lib/registry-queue.ts";
import { renderExport, renderReports } from "../lib/registry-reports.ts";
import {
  parseRegistryView,
  type RegistryView,
  registryHeadingId,
  registryViewSearch,
  registryViewTitle,
} from "../lib/registry-router.ts";
import { forgetMyScope, missingVenueText, myScope, scopeLine } from "../lib/registry-scope.ts";
import { callSigned } from "../lib/signed-call.ts";
import { clearRegion, errorRegion, heading } from "../lib/ui.ts";
import { viewNav } from "../lib/view-nav.ts";

const PATH = "/registry/";
const page = new SignedPage("registry", () => show(false));
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;
/** The shell's own title, which each view's name goes before. */
const pageTitle = document.title;

let view: RegistryView = parseRegistryView(location.search);

/** Moves to `next` as a new history entry (Back returns here), and draws it. */
function go(next: RegistryView): void {
  const url = new URL(location.href);
  url.search = registryViewSearch(next);
  if (registryViewSearch(next) !== registryViewSearch(view)) history.pushState(null, "", url);
  view = next;
  show(true);
}

function setTitle(title: Bi): void {
  document.title = `${tr(title)} — ${pageTitle}`;
}

function nav(): HTMLElement {
  const items: Array<[RegistryView, Bi]> = [
    [{ kind: "queue" }, { en: "Applications", zh: "申请" }],
    [{ kind: "reports" }, { en: "Reports", zh: "举报" }],
    [{ kind: "compliance" }, { en: "Compliance", zh: "合规情况" }],
    [{ kind: "export" }, { en: "Export", zh: "导出" }],
    [{ kind: "people" }, { en: "People", zh: "人员" }],
  ];
  return viewNav(
    { en: "Registry", zh: "登记机构" },
    "registry-nav",
    PATH,
    items.map(([target, label]) => ({
      search: registryViewSearch(target),
      label,
      current: target.kind === view.kind,
      go: () => go(target),
    })),
  );
}

/** Draws the current view; `focus` moves focus to its heading (not on the first load). */
function show(focus: boolean): void {
  clearRegion(page.error);
  const signedIn = page.accountGate(accountBox, workspace, {
    focusAfterSignIn: registryHeadingId(view),
    afterSignIn: () => {
      forgetMyScope();
      show(true);
    },
    onSignOut: forgetMyScope,
  });
  if (!signedIn) {
    document.title = pageTitle;
    return;
  }
  setTitle(registryViewTitle(view));
  accountBox.append(scopeLine(page));
  const section = (id: string) => el("section", { id, "aria-labelledby": `${id}-heading` });
  const focusHeading = () => {
    if (focus) document.getElementById(registryHeadingId(view))?.focus();
  };
  switch (view.kind) {
    case "queue": {
      const queue = section("queue");
      replaceChildren(workspace, nav(), queue);
      renderQueue(page, queue, (id) => go({ kind: "application", id }));
      break;
    }
    case "application": {
      const detail = section("detail");
      replaceChildren(workspace, nav(), detail);
      void showApplication(detail, view.id, focusHeading);
      break;
    }
    case "reports": {
      const reports = section("reports");
      replaceChildren(workspace, nav(), reports);
      renderReports(page, reports);
      break;
    }
    case "export": {
      const exportSection = section("export");
      replaceChildren(workspace, nav(), exportSection);
      renderExport(page, exportSection);
      break;
    }
    case "people": {
      const people = section("people");
      replaceChildren(workspace, nav(), people);
      renderPeople(page, people);
      break;
    }
    case "compliance": {
      const compliance = section("compliance");
      replaceChildren(workspace, nav(), compliance);
      renderCompliance(page, compliance, (id) => go({ kind: "application", id }));
      break;
    }
  }
  if (view.kind !== "application") focusHeading();
}

async function showApplication(
  detail: HTMLElement,
  id: string,
  focusHeading: () => void,
): Promise<void> {
  const error = errorRegion("detail-error");
  replaceChildren(
    detail,
    heading(2, { en: "Application", zh: "申请" }, { id: "detail-heading", tabindex: "-1" }),
    error,
  );
  focusHeading();
  try {
    const application = await callSigned(page, applicationRoutes.getApplication, {
      params: { id },
    });
    // Moved on to another view meanwhile: this one is no longer on the page.
    if (!detail.isConnected) return;
    renderDetail(page, detail, application, (other) => go({ kind: "application", id: other }));
    setTitle(registryViewTitle({ kind: "application", id }, application.name));
    focusHeading();
  } catch (e) {
    if (problemCode(e) !== "not-found") {
      page.fail(error, e);
      return;
    }
    // Out of scope looks missing (the service does not tell which): say what the scope is.
    const scope = await myScope(page).catch(() => null);
    error.replaceChildren(
      sentenceNode("not-found", missingVenueText(scope, page.deployment.districts)),
    );
  }
}

addEventListener("popstate", () => {
  view = parseRegistryView(location.search);
  show(true);
});

void page.start();
