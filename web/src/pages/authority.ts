/**
 * The health authority's console (/authority/), for officers: sign in with an enrolment code the
 * registry handed over (the device key is kept under "officer"; enrolling it puts the key in the
 * public log), then
 *
 *   - file an exposure query: case reference and legal document hashed here, never sent;
 *   - review a colleague's draft field by field and approve it (a second signature; the service
 *     refuses the filer's own account with `same-officer`);
 *   - release and decrypt a logged query in this browser, in two Web Workers, and see the
 *     contacts, the releases and what is past retention; download them as CSV made here;
 *   - publish an exposure warning inside a logged query.
 *
 * Decrypted data lives in this page's memory only: no storage, no request carries it.
 */
import type { DraftQuery } from "@lintel/client-sdk";
import {
  authorityDeployment,
  fetchOfficerPolicy,
  type OfficerPolicy,
  officerOptions,
} from "../lib/authority-context.ts";
import { type BoxKeyInputs, renderBoxKeyFields, renderDecrypt } from "../lib/authority-decrypt.ts";
import { renderFileSection } from "../lib/authority-file.ts";
import { showAuthorityProblem } from "../lib/authority-problems.ts";
import { renderQueriesSection } from "../lib/authority-queries.ts";
import { renderVenueRequestsSection } from "../lib/authority-venue-requests.ts";
import { renderWarning } from "../lib/authority-warning.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import { SignedPage } from "../lib/page.ts";
import { endsSession } from "../lib/problems.ts";
import { paragraph } from "../lib/ui.ts";

const page = new SignedPage("officer", render);
const accountBox = document.getElementById("account")!;
const workspace = document.getElementById("workspace")!;

let policy: Promise<OfficerPolicy | null> | undefined;

/** Session-ending failures go back to sign-in; the rest get the console's own messages. */
function fail(region: HTMLElement, e: unknown): void {
  if (endsSession(e)) page.fail(region, e);
  else showAuthorityProblem(region, e);
}

const officer = () => officerOptions(page.deployment.id);

function render(): void {
  const intro = paragraph(
    "Officer accounts are made by the registry, which hands you a one-time enrolment code in person. Signing in records this browser's key in the public log.",
    "卫生部门人员账户由登记机构创建，并当面交给您一次性登记码。登录会将本浏览器的密钥记录到公开日志。",
  );
  const signedIn = page.accountGate(accountBox, workspace, {
    before: [intro],
    focusAfterSignIn: "queries-heading",
    // The results live in the workspace's DOM only; re-rendering drops them.
    onSignOut: () => replaceChildren(workspace),
  });
  if (!signedIn) return;
  const timezone = page.deployment.timezone;
  const session = page.signedIn();

  const fileSection = el("section", { id: "file", "aria-labelledby": "file-heading" });
  const querySection = el("section", { id: "queries", "aria-labelledby": "queries-heading" });
  const keySection = el("section", { id: "box-key", "aria-labelledby": "box-key-heading" });
  const work = el("section", { id: "work", "aria-labelledby": "work-heading" });
  const venueRequests = el("section", {
    id: "venue-requests",
    "aria-labelledby": "venue-requests-heading",
  });
  work.hidden = true;
  replaceChildren(workspace, fileSection, keySection, querySection, work, venueRequests);
  renderVenueRequestsSection(venueRequests, {
    timezone,
    officer,
    deployment: authorityDeployment,
    fail,
  });

  const boxKey: BoxKeyInputs = renderBoxKeyFields(keySection);
  const reload = renderQueriesSection(querySection, {
    timezone,
    accountId: session.account.accountId,
    officer,
    fail,
    onDecrypt: (q: DraftQuery) =>
      renderDecrypt(work, q, boxKey, {
        timezone,
        deployment: authorityDeployment,
        officer,
        fail,
      }),
    onWarn: (q: DraftQuery) => renderWarning(work, q, { timezone, officer, fail }),
  });
  policy ??= fetchOfficerPolicy().catch(() => null);
  void policy.then((p) =>
    renderFileSection(fileSection, {
      timezone,
      policy: p,
      officer,
      fail,
      onFiled: reload,
    }),
  );
}

void page.start();
