/**
 * Following a report without an account: the reference shown once after reporting, and the form
 * that asks where a report stands. The reference travels in a request body, never in a URL
 * (paths end up in access logs); the page keeps nothing.
 */
import { callRoute } from "@lintel/client-sdk";
import { registryRoutes } from "@lintel/contract";
import { el, replaceChildren } from "./dom.ts";
import { bi, reportKindLabel, reportStatusLabel } from "./i18n.ts";
import {
  button,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  setFieldError,
  showProblem,
  textField,
} from "./ui.ts";

/** The reference as a person copies it: groups of four. */
export function groupedReference(reference: string): string {
  return reference.match(/.{1,4}/g)?.join("-") ?? reference;
}

/** What a reporter keeps: the reference, shown once, and what it is for. */
export function referenceBox(reference: string): HTMLElement {
  return el(
    "div",
    { class: "once", id: "report-reference-box" },
    el("h2", {}, bi("Your reference", "您的查询码")),
    el(
      "p",
      {},
      el("code", { id: "report-reference", class: "big-code" }, groupedReference(reference)),
    ),
    paragraph(
      "Keep it to see later, on this page, what the registry did about your report. It is shown only now and names nothing about you.",
      "请保存此码，之后可在本页查询登记机构的处理情况。此码只显示这一次，不含任何关于您的信息。",
    ),
  );
}

/** The "follow a report" form, with its answer below it. */
export function followSection(): HTMLElement {
  const section = el("section", { id: "follow", "aria-labelledby": "follow-heading" });
  const form = el("form", { id: "follow-form" });
  const reference = textField(
    "follow-reference",
    { en: "Reference", zh: "查询码" },
    { required: true, maxLength: 64, autocomplete: "off" },
  );
  reference.input.spellcheck = false;
  const error = errorRegion("follow-error");
  const submit = button(
    { en: "Show where it stands", zh: "查询处理情况" },
    { id: "follow-submit" },
  );
  submit.type = "submit";
  const result = el("div", { id: "follow-result", role: "status" });
  form.append(reference.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    replaceChildren(result);
    const value = reference.input.value.trim();
    if (value === "") {
      setFieldError(reference.input, { en: "Type your reference.", zh: "请输入查询码。" });
      reference.input.focus();
      return;
    }
    setFieldError(reference.input, null);
    try {
      const found = await callRoute({ baseUrl: location.origin }, registryRoutes.reportStatus, {
        body: { reference: value },
      });
      const kind = reportKindLabel(found.kind);
      const status = reportStatusLabel(found.status);
      replaceChildren(
        result,
        paragraph(
          `${kind.en} at ${found.venue.en}: ${status.en}.`,
          `${found.venue.zh}：${kind.zh}——${status.zh}。`,
          { id: "follow-status" },
        ),
        paragraph(
          found.count > 1
            ? `${found.count} people reported the same; the registry handles them together.`
            : "Only you reported this so far.",
          found.count > 1
            ? `共有 ${found.count} 人举报同一问题，登记机构将一并处理。`
            : "目前只有您举报了此问题。",
        ),
        paragraph(
          found.venueAnswered
            ? "The venue has answered the registry."
            : "The venue has not answered yet.",
          found.venueAnswered ? "场所已答复登记机构。" : "场所尚未答复。",
          { id: "follow-answered" },
        ),
      );
    } catch (e) {
      showProblem(error, e);
    }
  });
  section.append(
    heading(2, { en: "Follow a report", zh: "查询举报处理情况" }, { id: "follow-heading" }),
    paragraph("Type the reference you were given when you reported.", "请输入举报时获得的查询码。"),
    form,
    result,
  );
  return section;
}
