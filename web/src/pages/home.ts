/**
 * The landing page: shows the deployment's public facts and verifies, in this browser, every
 * trustee key's proof of possession — the same check a citizen's device makes before it
 * encrypts anything to those keys.
 */
import { type DeploymentInfo, fetchDeployment, LintelError } from "@lintel/client-sdk";
import { el, replaceChildren } from "../lib/dom.ts";
import { approvedVenues } from "../lib/venues.ts";

/** fetchDeployment has verified every trustee's proof of possession by the time we render. */
function trusteeItem(t: DeploymentInfo["trustees"][number]): HTMLLIElement {
  return el(
    "li",
    { "data-trustee": t.id, "data-pop": "verified" },
    `${t.name} — `,
    el("span", { class: "ok" }, "✓ key proof verified in this browser · 密钥证明已在本浏览器验证"),
  );
}

function renderDeployment(d: DeploymentInfo): HTMLElement {
  return el(
    "dl",
    { class: "facts" },
    el("dt", {}, "Name · 名称"),
    el("dd", { id: "deployment-name" }, `${d.name.en} · ${d.name.zh}`),
    el("dt", {}, "Retention · 保存期"),
    el("dd", {}, `${d.retentionDays} days · ${d.retentionDays} 天`),
    el("dt", {}, "Time slots · 时段"),
    el("dd", {}, `${d.slotMinutes} minutes, ${d.timezone}`),
    el("dt", {}, "Registry key · 登记机构公钥"),
    el("dd", {}, el("code", {}, d.registry.publicKey)),
    el("dt", {}, "Trustees · 受托方"),
    el("dd", {}, el("ul", { class: "plain", id: "trustees" }, ...d.trustees.map(trusteeItem))),
    el("dt", {}, "Officers · 卫生部门人员"),
    el("dd", {}, d.officers.map((o) => o.label).join("; ") || "none · 无"),
    el("dt", {}, "Auditors · 审计方"),
    el("dd", {}, d.auditors.map((a) => a.label).join("; ") || "none · 无"),
  );
}

function failure(e: unknown): HTMLElement {
  const untrusted = e instanceof LintelError && e.code === "untrusted-trustee-key";
  return el(
    "p",
    { class: "bad", role: "alert", "data-error": e instanceof LintelError ? e.code : "unknown" },
    untrusted
      ? "A trustee key failed its proof of possession: do not trust this deployment. · 受托方密钥验证失败，请勿信任此部署。"
      : "The service did not answer. · 服务无响应，请稍后再试。",
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
    replaceChildren(
      venueList,
      ...venues.map((v) => el("li", { "data-venue": v.id }, `${v.name.en} · ${v.name.zh}`)),
    );
    if (venues.length === 0) replaceChildren(venueList, el("li", {}, "None yet · 暂无"));
  } catch (e) {
    replaceChildren(deploymentBox, failure(e));
  }
}

void main();
