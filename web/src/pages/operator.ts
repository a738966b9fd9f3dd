/**
 * The venue operator's page: sign up or sign in (device keys, no passwords), then one view at a
 * time, each with its own URL (lib/operator-router.ts): the operator's venues, a new application,
 * one venue (its application; once approved, its entrances and posters, staff and kiosks, and
 * today's counts), and this account's devices. Links and Back/Forward move between views without
 * a reload; a reload or a bookmark opens the same view. On a change of view the page's title
 * names it and focus moves to its heading.
 *
 * Everything the service returns about a venue is untrusted text and goes in as text nodes.
 */
import { el, replaceChildren } from "../lib/dom.ts";
import { type Bi, tr } from "../lib/i18n.ts";
import { renderAccountDevices } from "../lib/operator-devices.ts";
import { accountNav } from "../lib/operator-nav.ts";
import {
  type OperatorView,
  operatorViewSearch,
  operatorViewTitle,
  parseOperatorView,
  sameView,
} from "../lib/operator-router.ts";
import {
  showNewApplication,
  showVenue,
  type VenueHost,
  venueHeadingId,
} from "../lib/operator-venue.ts";
import { renderVenueList, signUpSection } from "../lib/operator-venues.ts";
import { SignedPage } from "../lib/page.ts";
import { clearRegion } from "../lib/ui.ts";

const page = new SignedPage("operator", () => show(false));
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;
/** The shell's own title ("Venue operators — Lintel"), which each view's name goes before. */
const pageTitle = document.title;

let view: OperatorView = parseOperatorView(location.search);

function urlOf(next: OperatorView): URL {
  const url = new URL(location.href);
  url.search = operatorViewSearch(next);
  return url;
}

/** Moves to `next` as a new history entry (Back returns here), and draws it. */
function go(next: OperatorView): void {
  if (!sameView(next, view)) history.pushState(null, "", urlOf(next));
  view = next;
  show(true);
}

const host: VenueHost = {
  page,
  go,
  replace(next) {
    view = next;
    history.replaceState(null, "", urlOf(next));
  },
  titled(shown, name) {
    setTitle(operatorViewTitle(shown, name));
  },
};

function setTitle(title: Bi): void {
  document.title = `${tr(title)} — ${pageTitle}`;
}

function headingId(v: OperatorView): string {
  switch (v.kind) {
    case "venues":
      return "applications-heading";
    case "new":
      return "application-heading";
    case "devices":
      return "devices-heading";
    case "venue":
      return venueHeadingId(v.tab);
  }
}

/** Draws the current view; `focus` moves focus to its heading (not on the first load). */
function show(focus: boolean): void {
  clearRegion(page.error);
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [signUpSection(page, () => show(true))],
    focusAfterSignIn: headingId(view),
    afterSignIn: () => show(true),
    focusAfterSignOut: "sign-up-heading",
    onSignOut: () => host.replace({ kind: "venues" }),
  });
  if (!signedIn) {
    document.title = pageTitle;
    return;
  }
  setTitle(operatorViewTitle(view));
  const area = el("div", { id: "view" });
  replaceChildren(workspace, accountNav(view, go), area);
  const focusHeading = () => {
    if (focus) document.getElementById(headingId(view))?.focus();
  };
  switch (view.kind) {
    case "venues": {
      const section = el("section", {
        id: "applications",
        "aria-labelledby": "applications-heading",
      });
      area.append(section);
      void renderVenueList(page, section, go);
      focusHeading();
      break;
    }
    case "new":
      showNewApplication(host, area);
      focusHeading();
      break;
    case "devices": {
      const section = el("section", { id: "devices", "aria-labelledby": "devices-heading" });
      area.append(section);
      void renderAccountDevices(page, section);
      focusHeading();
      break;
    }
    case "venue":
      void showVenue(host, area, view, focus);
      break;
  }
}

addEventListener("popstate", () => {
  view = parseOperatorView(location.search);
  show(true);
});

void page.start();
