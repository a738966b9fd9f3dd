/**
 * One application as the registry reviews it: its facts (with the district and sector that decide
 * who supervises it), documents (downloaded with signed requests) and history, and while it is
 * submitted the decision: approve (which issues the entrances' codes) or send back with feedback,
 * each with its error beside its button.
 */
import { applicationRoutes, registryRoutes } from "@lintel/contract";
import { amendmentSection } from "./amendment-list.ts";
import {
  type ApplicationView,
  applicationFacts,
  documentsSection,
  historySection,
  venueName,
} from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi } from "./i18n.ts";
import { inspectionsSection } from "./inspections.ts";
import type { SignedPage } from "./page.ts";
import { rectificationSection } from "./rectification-orders.ts";
import { renderMatches } from "./registry-matches.ts";
import { districtLabel, SECTOR_LABELS } from "./registry-scope.ts";
import { supervisionSection } from "./registry-supervision.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

/**
 * One application in full into `section`, with its possible duplicates and, while it is
 * submitted, the decision. `open` shows another application (a possible duplicate).
 */
export function renderDetail(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  open: (id: string) => void,
): void {
  const h = heading(2, { en: "Application", zh: "申请" }, { id: "detail-heading", tabindex: "-1" });
  h.append(": ", venueName(view.name));
  const error = errorRegion("detail-error");
  const matches = el("section", { id: "matches", class: "matches" });
  replaceChildren(
    section,
    h,
    error,
    matches,
    applicationFacts(view, {
      district: districtLabel(page.deployment.districts, view.district),
      sector: SECTOR_LABELS[view.sector],
    }),
  );
  renderMatches(page, matches, view.id, open);
  if (view.askIdNumber) {
    section.append(
      paragraph(
        "Visitors of this category are also asked for an ID number.",
        "此类场所的访客还需提供证件号码。",
        { class: "note" },
      ),
    );
  }
  if (view.feedback && view.status === "rejected") {
    const box = el("div", { class: "feedback" });
    box.append(
      el("strong", {}, bi("Feedback sent", "已发送的意见")),
      ": ",
      el("span", { class: "feedback-text" }, view.feedback),
    );
    section.append(box);
  }
  section.append(documentsSection(view, page, 3));
  if (view.status === "submitted") section.append(decisionSection(page, section, view, open));
  if (view.status === "approved" || view.status === "suspended") {
    section.append(rectificationSection(page, view.id, "registry"));
    section.append(inspectionsSection(page, view.id, "registry"));
    section.append(
      amendmentSection(page, view, "registry", {
        // An approval changes the venue's entrances and history: draw the venue again.
        changed: async () => {
          const next = await callSigned(page, applicationRoutes.getApplication, {
            params: { id: view.id },
          });
          renderDetail(page, section, next, open);
          document.getElementById("amendments-heading")?.focus();
        },
      }),
    );
    section.append(
      supervisionSection(page, view, (next) => {
        renderDetail(page, section, next, open);
        document.getElementById("supervision-heading")?.focus();
      }),
    );
  }
  section.append(historySection(view, page.deployment.timezone, 3));
}

function decisionSection(
  page: SignedPage,
  detail: HTMLElement,
  view: ApplicationView,
  open: (id: string) => void,
): HTMLElement {
  const section = el("section", { class: "decision", "aria-labelledby": "decision-heading" });
  section.append(heading(3, { en: "Decision", zh: "审核决定" }, { id: "decision-heading" }));

  const approveError = errorRegion("approve-error");
  const approve = button(
    { en: "Approve and issue codes", zh: "批准并签发场所码" },
    { id: "approve", "aria-describedby": approveError.id },
  );
  onActivate(approve, async () => {
    clearRegion(approveError);
    try {
      const decided = await callSigned(page, registryRoutes.approveApplication, {
        params: { id: view.id },
      });
      renderDetail(page, detail, decided, open);
      announce({
        en: "Approved: one signed code was issued per entrance.",
        zh: "已批准：每个入口已签发一个场所码。",
      });
      document.getElementById("detail-heading")?.focus();
    } catch (e) {
      page.fail(approveError, e);
    }
  });
  section.append(
    paragraph(
      "Approving signs a code for every entrance with the registry's key.",
      "批准后将用登记机构的密钥为每个入口签发场所码。",
    ),
    approveError,
    el("div", { class: "actions" }, approve),
  );

  const form = el("form", { id: "reject-form" });
  const feedback = textField(
    "reject-feedback",
    { en: "Feedback to the operator", zh: "给申请人的意见" },
    {
      required: true,
      multiline: true,
      hint: {
        en: "Say what to change. The operator sees this text exactly as you write it.",
        zh: "请说明需要修改的内容。申请人会看到您写的原文。",
      },
    },
  );
  const rejectError = errorRegion("reject-error");
  const reject = button(
    { en: "Send back for changes", zh: "退回修改" },
    { id: "reject", class: "danger", "aria-describedby": rejectError.id },
  );
  reject.type = "submit";
  form.append(
    el("h4", {}, bi("Ask for changes", "要求修改")),
    feedback.wrapper,
    rejectError,
    reject,
  );
  onSubmit(form, async () => {
    clearRegion(rejectError);
    // Plain text with its line breaks; the service refuses other control characters.
    const text = feedback.input.value.replace(/\r\n?/g, "\n").trim();
    if (text === "") {
      setFieldError(feedback.input, { en: "Write the feedback.", zh: "请填写意见。" });
      showMessage(rejectError, {
        en: "Feedback is required to send an application back.",
        zh: "退回申请必须填写意见。",
      });
      feedback.input.focus();
      return;
    }
    if (new TextEncoder().encode(text).length > 2000) {
      setFieldError(feedback.input, { en: "At most 2000 bytes.", zh: "最多 2000 字节。" });
      feedback.input.focus();
      return;
    }
    setFieldError(feedback.input, null);
    try {
      const decided = await callSigned(page, registryRoutes.rejectApplication, {
        params: { id: view.id },
        body: { feedback: text },
      });
      renderDetail(page, detail, decided, open);
      announce({ en: "Sent back to the operator.", zh: "已退回申请人。" });
      document.getElementById("detail-heading")?.focus();
    } catch (e) {
      page.fail(rejectError, e);
    }
  });
  section.append(form);
  return section;
}
