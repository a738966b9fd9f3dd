/**
 * The registry's supervision of one approved venue: suspend it for a reason, after which every
 * code of its entrances is refused at check-in, or reinstate it. Both are logged publicly as
 * registry-signed entries; the page says so before it acts.
 */
import { supervisionRoutes } from "@lintel/contract";
import { SUSPENSION_REASONS } from "@lintel/protocol";
import { type ApplicationView, venueName } from "./applications.ts";
import { el } from "./dom.ts";
import { suspensionLabel } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  heading,
  onActivate,
  paragraph,
  selectField,
} from "./ui.ts";

/** The supervision section of an approved or suspended venue; `shown` re-renders the view. */
export function supervisionSection(
  page: SignedPage,
  view: ApplicationView,
  shown: (next: ApplicationView) => void,
): HTMLElement {
  const section = el("section", { class: "supervision", "aria-labelledby": "supervision-heading" });
  section.append(heading(3, { en: "Supervision", zh: "监督管理" }, { id: "supervision-heading" }));
  const error = errorRegion("supervision-error");
  if (view.status === "suspended") {
    const reason = suspensionLabel(view.suspension ?? "other");
    const reinstate = button(
      { en: "Reinstate this venue", zh: "恢复此场所" },
      { id: "reinstate", "aria-describedby": error.id },
    );
    onActivate(reinstate, async () => {
      clearRegion(error);
      const ok = await confirmDialog(
        { en: "Reinstate this venue?", zh: "恢复此场所？" },
        [
          el("p", {}, venueName(view.name)),
          paragraph(
            "Its current codes check people in again at once. The reinstatement is written into the public log.",
            "其现有场所码将立即恢复登记。恢复记录将写入公开日志。",
          ),
        ],
        { en: "Reinstate", zh: "恢复" },
      );
      if (!ok) return;
      try {
        shown(
          await callSigned(page, supervisionRoutes.reinstateVenue, { params: { id: view.id } }),
        );
        announce({ en: "Reinstated: its codes work again.", zh: "已恢复：场所码重新生效。" });
      } catch (e) {
        page.fail(error, e);
      }
    });
    section.append(
      paragraph(
        `Suspended: ${reason.en}. Every code of this venue is refused at check-in.`,
        `已暂停：${reason.zh}。此场所的所有场所码在登记时均被拒绝。`,
        { id: "suspension-state" },
      ),
      error,
      el("div", { class: "actions" }, reinstate),
    );
    return section;
  }
  const reason = selectField(
    "suspension-reason",
    { en: "Reason", zh: "原因" },
    SUSPENSION_REASONS.map((r) => ({ value: r, label: suspensionLabel(r) })),
  );
  const suspend = button(
    { en: "Suspend this venue", zh: "暂停此场所" },
    { id: "suspend", class: "danger", "aria-describedby": error.id },
  );
  onActivate(suspend, async () => {
    clearRegion(error);
    const chosen = SUSPENSION_REASONS.find((r) => r === reason.input.value) ?? "other";
    const label = suspensionLabel(chosen);
    const ok = await confirmDialog(
      { en: "Suspend this venue?", zh: "暂停此场所？" },
      [
        el("p", {}, venueName(view.name)),
        paragraph(
          `Every code of its entrances is refused at check-in until you reinstate it. The suspension and its reason (${label.en}) are written into the public log.`,
          `在恢复之前，其所有入口的场所码在登记时均被拒绝。暂停及原因（${label.zh}）将写入公开日志。`,
        ),
      ],
      { en: "Suspend", zh: "暂停" },
    );
    if (!ok) return;
    try {
      shown(
        await callSigned(page, supervisionRoutes.suspendVenue, {
          params: { id: view.id },
          body: { reason: chosen },
        }),
      );
      announce({ en: "Suspended: its codes are refused.", zh: "已暂停：其场所码将被拒绝。" });
    } catch (e) {
      page.fail(error, e);
    }
  });
  section.append(
    paragraph(
      "Suspending stops every code of this venue from checking people in, at once. The venue's operator sees the reason.",
      "暂停后，此场所的所有场所码将立即停止登记。场所经营者会看到原因。",
    ),
    reason.wrapper,
    error,
    el("div", { class: "actions" }, suspend),
  );
  return section;
}
