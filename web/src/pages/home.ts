/**
 * The landing page: shows the deployment's public facts and verifies, in this browser, every
 * trustee key's proof of possession — the same check a citizen's device makes before it
 * encrypts anything to those keys.
 */

import { type DeploymentInfo, fetchDeployment, LintelError } from "@lintel/client-sdk";
import { showAuthorityContact } from "../lib/authority-contact.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import { loadExposureWatch } from "../lib/exposure-watch-loader.ts";
import { bi, tr } from "../lib/i18n.ts";
import { approvedVenues } from "../lib/venues.ts";

/** fetchDeployment has verified every trustee's proof of possession by the time we render. */
function trusteeItem(t: DeploymentInfo["trustees"][number]): HTMLLIElement {
  return el(
    "li",
    { "data-trustee": t.id, "data-pop": "verified" },
    // The deployment names its trustees in one form: shown as given.
    el("span", { translate: "no" }, t.name),
    " — ",
    el(
      "span",
      { class: "ok" },
      bi("✓ checked in this browser: a real key", "✓ 已在本浏览器核验：密钥真实有效"),
    ),
  );
}

function renderDeployment(d: DeploymentInfo): HTMLElement {
  return el(
    "dl",
    { class: "facts" },
    el("dt", {}, bi("Name", "名称")),
    el("dd", { id: "deployment-name" }, tr(d.name)),
    el("dt", {}, bi("Check-ins are kept for", "登记保存期")),
    el("dd", {}, bi(`${d.retentionDays} days`, `${d.retentionDays} 天`)),
    el("dt", {}, bi("Time slots", "时段")),
    el(
      "dd",
      {},
      bi(`${d.slotMinutes} minutes`, `${d.slotMinutes} 分钟`),
      " (",
      el("span", { translate: "no" }, d.timezone),
      ")",
    ),
    el("dt", {}, bi("Registry key", "登记机构公钥")),
    el("dd", {}, el("code", { translate: "no" }, d.registry.publicKey)),
    el("dt", {}, bi("Key holders (trustees)", "密钥保管方（受托方）")),
    el("dd", {}, el("ul", { class: "plain", id: "trustees" }, ...d.trustees.map(trusteeItem))),
    el("dt", {}, bi("Health officers", "卫生部门人员")),
    el(
      "dd",
      { translate: "no" },
      d.officers.map((o) => o.label).join("; ") || tr({ en: "none", zh: "无" }),
    ),
    el("dt", {}, bi("Auditors", "审计方")),
    el(
      "dd",
      { translate: "no" },
      d.auditors.map((a) => a.label).join("; ") || tr({ en: "none", zh: "无" }),
    ),
  );
}

function failure(e: unknown): HTMLElement {
  const untrusted = e instanceof LintelError && e.code === "untrusted-trustee-key";
  return el(
    "p",
    { class: "bad", role: "alert", "data-error": e instanceof LintelError ? e.code : "unknown" },
    untrusted
      ? bi(
          "A key holder's key failed its check: do not trust this deployment.",
          "受托方密钥核验失败，请勿信任此部署。",
        )
      : bi("The service did not answer. Try again later.", "服务无响应，请稍后再试。"),
  );
}

async function main(): Promise<void> {
  const deploymentBox = document.getElementById("deployment")!;
  const venueList = document.getElementById("venues")!;
  try {
    const [deployment, venues] = await Promise.all([
      fetchDeployment({ baseUrl: location.origin }),
      // The first page: the landing page shows a sample, the report form the whole list.
      approvedVenues(1),
    ]);
    replaceChildren(deploymentBox, renderDeployment(deployment));
    showAuthorityContact(deployment.contact);
    replaceChildren(venueList, ...venues.map((v) => el("li", { "data-venue": v.id }, tr(v.name))));
    if (venues.length === 0) replaceChildren(venueList, el("li", {}, bi("None yet", "暂无")));
  } catch (e) {
    replaceChildren(deploymentBox, failure(e));
  }
}

loadExposureWatch();
void main();
