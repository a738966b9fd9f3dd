/**
 * The reviewer's warning that an application may be a second registration of one venue: every
 * other submitted, approved or suspended venue with its licence number or its address, each
 * with its status, which of the two it shares, and a link to it. Each venue may hold one
 * registration: a licence number already registered cannot be approved (the service refuses
 * it), while a shared address is for the reviewer to judge (two shops can share a building).
 */
import { type MatchKey, type RouteAnswer, registryRoutes } from "@lintel/contract";
import { statusBadge } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, biOf } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { registryViewSearch } from "./registry-router.ts";
import { callSigned } from "./signed-call.ts";
import { errorRegion, heading, paragraph } from "./ui.ts";
import { viewLink } from "./view-nav.ts";

type Match = RouteAnswer<typeof registryRoutes.applicationMatches>["matches"][number];

function sharedLabel(keys: readonly MatchKey[]): Bi {
  const licence = keys.includes("licence");
  if (licence && keys.includes("address")) {
    return { en: "same licence number and address", zh: "营业执照号码和地址均相同" };
  }
  return licence
    ? { en: "same licence number", zh: "营业执照号码相同" }
    : { en: "same address", zh: "地址相同" };
}

function matchItem(m: Match, open: (id: string) => void): HTMLLIElement {
  const li = el("li", { "data-match": m.id, "data-keys": [...m.keys].sort().join(" ") });
  const shared = sharedLabel(m.keys);
  const link = viewLink(
    `/registry/${registryViewSearch({ kind: "application", id: m.id })}`,
    m.name,
    () => open(m.id),
    { class: "venue-name" },
  );
  li.append(
    el("span", {}, el("strong", {}, biOf({ en: "Possible duplicate of", zh: "可能重复登记：" }))),
    " ",
    link,
    " ",
    statusBadge(m.status),
    " ",
    el("span", { class: "match-keys" }, biOf(shared)),
  );
  return li;
}

/**
 * The possible duplicates of application `id` into `section` once the service answers: nothing
 * when there are none. `open` shows another application.
 */
export function renderMatches(
  page: SignedPage,
  section: HTMLElement,
  id: string,
  open: (id: string) => void,
): void {
  const error = errorRegion("matches-error");
  replaceChildren(section, error);
  void (async () => {
    try {
      const { matches } = await callSigned(page, registryRoutes.applicationMatches, {
        params: { id },
      });
      if (!section.isConnected || matches.length === 0) return;
      const licence = matches.some((m) => m.keys.includes("licence"));
      const list = el("ul", { class: "plain items", id: "match-list" });
      for (const m of matches) list.append(matchItem(m, open));
      section.classList.add("warning");
      section.setAttribute("aria-labelledby", "matches-heading");
      replaceChildren(
        section,
        heading(3, { en: "Possible duplicates", zh: "可能重复登记" }, { id: "matches-heading" }),
        licence
          ? paragraph(
              "Each venue may hold one registration. A venue with this licence number that is approved or suspended keeps this application from being approved.",
              "每个场所只能申领一个场所码。已有相同营业执照号码的场所获批或被暂停时，本申请不能获批。",
            )
          : paragraph(
              "Other venues give this address. Two venues can share an address: check the documents.",
              "其他场所登记了相同地址。两个场所可能共用一个地址，请核对文件。",
            ),
        list,
      );
    } catch (e) {
      page.fail(error, e);
    }
  })();
}
