/**
 * The landing page: shows the deployment's public facts and verifies, in this browser, every
 * trustee key's proof of possession — the same check a citizen's device makes before it
 * encrypts anything to those keys.
 */
import { decodeBase64url, verifyProofOfPossession } from "@lintel/protocol";
import { el, replaceChildren } from "../lib/dom.ts";

interface Localized {
  en: string;
  zh: string;
}

interface DeploymentInfo {
  id: string;
  name: Localized;
  timezone: string;
  retentionDays: number;
  slotMinutes: number;
  registry: { id: string; publicKey: string } | null;
  trustees: Array<{ id: string; name: string; publicKey: string | null; proofOfPossession: string | null }>;
  officers: Array<{ id: string; label: string }>;
  auditors: Array<{ id: string; label: string }>;
}

interface VenueList {
  venues: Array<{ id: string; name: Localized; category: string }>;
}

function popVerified(publicKey: string | null, proof: string | null): boolean {
  if (!publicKey || !proof) return false;
  try {
    return verifyProofOfPossession(decodeBase64url(publicKey), decodeBase64url(proof));
  } catch {
    return false;
  }
}

function trusteeItem(t: DeploymentInfo["trustees"][number]): HTMLLIElement {
  const ok = popVerified(t.publicKey, t.proofOfPossession);
  return el(
    "li",
    { "data-trustee": t.id, "data-pop": ok ? "verified" : "failed" },
    `${t.name} — `,
    ok
      ? el("span", { class: "ok" }, "✓ key proof verified in this browser · 密钥证明已在本浏览器验证")
      : el("span", { class: "bad" }, "✗ key proof missing or invalid · 密钥证明缺失或无效"),
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
    el("dd", {}, d.registry ? el("code", {}, d.registry.publicKey) : "not configured · 未配置"),
    el("dt", {}, "Trustees · 受托方"),
    el("dd", {}, el("ul", { class: "plain", id: "trustees" }, ...d.trustees.map(trusteeItem))),
    el("dt", {}, "Officers · 卫生部门人员"),
    el("dd", {}, d.officers.map((o) => o.label).join("; ") || "none · 无"),
    el("dt", {}, "Auditors · 审计方"),
    el("dd", {}, d.auditors.map((a) => a.label).join("; ") || "none · 无"),
  );
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function main(): Promise<void> {
  const deploymentBox = document.getElementById("deployment")!;
  const venueList = document.getElementById("venues")!;
  try {
    const [deployment, venues] = await Promise.all([
      getJson<DeploymentInfo>("/api/deployment"),
      getJson<VenueList>("/api/venues"),
    ]);
    replaceChildren(deploymentBox, renderDeployment(deployment));
    replaceChildren(
      venueList,
      ...venues.venues.map((v) => el("li", { "data-venue": v.id }, `${v.name.en} · ${v.name.zh}`)),
    );
    if (venues.venues.length === 0) replaceChildren(venueList, el("li", {}, "None yet · 暂无"));
  } catch {
    replaceChildren(
      deploymentBox,
      el("p", { class: "bad", role: "alert" }, "The service did not answer. · 服务无响应，请稍后再试。"),
    );
  }
}

void main();
