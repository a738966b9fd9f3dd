/**
 * A venue's entrance amendments, on the operator's entrances view and the registry's view of the
 * venue: each one's status and changes, in the reader's language (entrance names come from the
 * venue and from the amendments themselves), and the registry's refusal reason. The registry
 * approves or refuses a pending one here; the operator proposes with amendment-form.ts.
 */
import { amendmentRoutes, type RouteAnswer } from "@lintel/contract";
import { answerForm } from "./answer-form.ts";
import type { ApplicationView } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi, biOf, tr } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  formatTime,
  heading,
  onActivate,
  paragraph,
} from "./ui.ts";

export type Amendment = RouteAnswer<typeof amendmentRoutes.listAmendments>["amendments"][number];
type Role = "operator" | "registry";

const STATUS_LABELS: Readonly<Record<Amendment["status"], Bi>> = {
  pending: { en: "Awaiting the registry", zh: "等待登记机构审核" },
  approved: { en: "Approved", zh: "已批准" },
  refused: { en: "Refused", zh: "已驳回" },
};

/** Every entrance name the reader may meet: the venue's, and those amendments add or give. */
function namesOf(view: ApplicationView, amendments: readonly Amendment[]): Map<string, Bi> {
  const names = new Map<string, Bi>();
  for (const a of amendments) {
    for (const r of a.rename) names.set(r.entranceId, r.previous);
    for (const added of a.add) names.set(added.entranceId, added.label);
  }
  for (const e of view.entrances) names.set(e.id, e.label);
  return names;
}

function changeItems(a: Amendment, names: ReadonlyMap<string, Bi>): HTMLLIElement[] {
  const name = (id: string) => tr(names.get(id) ?? { en: id, zh: id });
  const items: HTMLLIElement[] = [];
  for (const added of a.add) {
    const label = tr(added.label);
    items.push(
      el(
        "li",
        { "data-add": added.entranceId },
        bi(`New entrance: ${label}`, `新增入口：${label}`),
      ),
    );
  }
  for (const r of a.rename) {
    const from = tr(r.previous);
    const to = tr(r.label);
    items.push(
      el(
        "li",
        { "data-rename": r.entranceId },
        bi(`Rename “${from}” to “${to}”`, `将“${from}”更名为“${to}”`),
      ),
    );
  }
  for (const r of a.retire) {
    const closed = name(r.entranceId);
    const text: Bi =
      r.replacedBy === null
        ? {
            en: `Close “${closed}” for good; people there are told to ask staff`,
            zh: `永久关闭“${closed}”；在此扫码的人会被告知询问工作人员`,
          }
        : {
            en: `Close “${closed}” for good; people there are sent to “${name(r.replacedBy)}”`,
            zh: `永久关闭“${closed}”；在此扫码的人会被引导至“${name(r.replacedBy)}”`,
          };
    items.push(el("li", { "data-retire": r.entranceId }, biOf(text)));
  }
  return items;
}

/** A new section for the venue's amendments, drawn as soon as they arrive. */
export function amendmentSection(
  page: SignedPage,
  view: ApplicationView,
  role: Role,
  options: Parameters<typeof drawAmendments>[4],
): HTMLElement {
  const section = el("section", {
    class: "amendments",
    id: "amendments",
    "aria-labelledby": "amendments-heading",
  });
  void drawAmendments(page, section, view, role, options);
  return section;
}

/**
 * The venue's amendments into `section`; `extra` (the operator's proposal form) is drawn after
 * them when given the list. `changed` redraws whatever shows the venue's entrances.
 */
export async function drawAmendments(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  role: Role,
  options: {
    readonly extra?: (amendments: readonly Amendment[]) => Node | null;
    readonly changed: () => Promise<void>;
  },
): Promise<void> {
  const error = errorRegion("amendments-error");
  replaceChildren(
    section,
    heading(
      3,
      { en: "Changes to the entrances", zh: "入口变更" },
      { id: "amendments-heading", tabindex: "-1" },
    ),
    error,
  );
  let amendments: Amendment[];
  try {
    ({ amendments } = await callSigned(page, amendmentRoutes.listAmendments, {
      params: { id: view.id },
    }));
  } catch (e) {
    page.fail(error, e);
    return;
  }
  const names = namesOf(view, amendments);
  if (amendments.length === 0) {
    section.append(paragraph("No changes proposed.", "尚未提出变更。", { id: "amendment-list" }));
  } else {
    const list = el("ol", { class: "amendment-list", id: "amendment-list" });
    for (const a of amendments) list.append(amendmentItem(page, a, names, role, options.changed));
    section.append(list);
  }
  const extra = options.extra?.(amendments);
  if (extra) section.append(extra);
}

function amendmentItem(
  page: SignedPage,
  a: Amendment,
  names: ReadonlyMap<string, Bi>,
  role: Role,
  changed: () => Promise<void>,
): HTMLLIElement {
  const tz = page.deployment.timezone;
  const status = STATUS_LABELS[a.status];
  const item = el(
    "li",
    { "data-amendment": a.id, "data-status": a.status },
    el("p", {}, el("strong", { class: `badge ${a.status}` }, biOf(status))),
    paragraph(
      `Proposed ${formatTime(a.proposedAt, tz)}.`,
      `提出于 ${formatTime(a.proposedAt, tz)}。`,
    ),
    el("ul", { class: "changes" }, ...changeItems(a, names)),
  );
  if (a.decidedAt !== null) {
    item.append(
      paragraph(
        `Decided ${formatTime(a.decidedAt, tz)}.`,
        `决定于 ${formatTime(a.decidedAt, tz)}。`,
      ),
    );
  }
  if (a.refusal !== null) {
    item.append(
      el("h4", {}, bi("The registry's reason", "登记机构的理由")),
      el("p", { class: "refusal" }, a.refusal),
    );
  }
  if (role === "registry" && a.status === "pending") item.append(decision(page, a, changed));
  return item;
}

function decision(page: SignedPage, a: Amendment, changed: () => Promise<void>): HTMLElement {
  const box = el("div", { class: "amendment-decision" });
  const approveError = errorRegion(`approve-amendment-error-${a.id}`);
  const approve = button(
    { en: "Approve the change", zh: "批准变更" },
    { id: "approve-amendment", "aria-describedby": approveError.id },
  );
  onActivate(approve, async () => {
    clearRegion(approveError);
    const ok = await confirmDialog(
      { en: "Approve this change to the entrances?", zh: "批准此入口变更？" },
      [
        paragraph(
          "New entrances get signed codes, renamed ones a new code, and closed ones stop checking anyone in at once. Every change is written to the public log.",
          "新入口将获得签发的场所码，更名的入口将获得新场所码，关闭的入口立即停止登记。每项变更都会写入公开日志。",
        ),
      ],
      { en: "Approve", zh: "批准" },
    );
    if (!ok) return;
    try {
      await callSigned(page, amendmentRoutes.approveAmendment, {
        params: { id: a.venueId, aid: a.id },
      });
      await changed();
      announce({ en: "Change approved; codes issued.", zh: "变更已批准，场所码已签发。" });
    } catch (e) {
      page.fail(approveError, e);
    }
  });
  box.append(approveError, el("div", { class: "actions" }, approve), refuseForm(page, a, changed));
  return box;
}

function refuseForm(page: SignedPage, a: Amendment, changed: () => Promise<void>): HTMLFormElement {
  const error = errorRegion(`refuse-amendment-error-${a.id}`);
  return answerForm({
    id: "refuse-amendment-reason",
    label: { en: "Reason for refusing", zh: "驳回理由" },
    hint: {
      en: "The operator sees this text exactly as you write it.",
      zh: "经营者会看到您写的原文。",
    },
    submit: { en: "Refuse the change", zh: "驳回变更" },
    submitAttributes: { id: "refuse-amendment", class: "danger" },
    mark: ["data-refuse-amendment", a.id],
    missing: { en: "Write the reason.", zh: "请填写理由。" },
    formClass: "refuse-amendment",
    error,
    send: async (text) => {
      try {
        await callSigned(page, amendmentRoutes.refuseAmendment, {
          params: { id: a.venueId, aid: a.id },
          body: { reason: text },
        });
        await changed();
        announce({ en: "Change refused.", zh: "变更已驳回。" });
      } catch (e) {
        page.fail(error, e);
      }
    },
  });
}
