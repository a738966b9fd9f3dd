/**
 * The public report form: anyone can tell the registry that a venue has no code posted, a
 * damaged code, staff who do not help people without a phone, or a code that looks fake. No
 * sign-in, no free text, nothing about the reporter. `?venue=<id>&entrance=<id>` preselects.
 */

import { callRoute } from "@lintel/client-sdk";
import { REPORT_KINDS, registryRoutes } from "@lintel/contract";
import { entranceName } from "../lib/applications.ts";
import { loadAuthorityContact } from "../lib/authority-contact.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import { type Bi, bi, reportKindLabel, tr } from "../lib/i18n.ts";
import { followSection, referenceBox } from "../lib/report-follow.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  onSubmit,
  paragraph,
  selectField,
  showMessage,
  showProblem,
} from "../lib/ui.ts";
import { approvedVenues, type VenueSummary, venueDetail } from "../lib/venues.ts";

/** At most this many pages of 50 venues are offered in the list. */
const MAX_PAGES = 40;

const box = document.getElementById("report")!;

function option(value: string, label: Bi | string): HTMLOptionElement {
  const o = el("option", { value });
  o.textContent = typeof label === "string" ? label : tr(label);
  return o;
}

function render(venues: readonly VenueSummary[]): void {
  const params = new URL(location.href).searchParams;
  const form = el("form", { id: "report-form" });

  const venue = selectField("report-venue", { en: "Venue", zh: "场所" }, [], { required: true });
  venue.input.append(option("", { en: "Choose a venue", zh: "请选择场所" }));
  for (const v of venues) venue.input.append(option(v.id, v.name));

  const entrance = selectField("report-entrance", { en: "Entrance", zh: "入口" }, [], {
    hint: { en: "Optional.", zh: "可不选。" },
  });
  const entranceStatus = el("p", { class: "muted", id: "entrance-status", "aria-live": "polite" });

  const kinds = el("fieldset", { id: "report-kind" });
  kinds.setAttribute("aria-describedby", "report-kind-error");
  kinds.append(
    el(
      "legend",
      {},
      bi("What is wrong?", "出了什么问题？"),
      el("span", { class: "required" }, " (", bi("required", "必填"), ")"),
    ),
  );
  for (const kind of REPORT_KINDS) {
    const id = `kind-${kind}`;
    const row = el("div", { class: "check" });
    const input = el("input", { type: "radio", name: "kind", id, value: kind });
    const label = reportKindLabel(kind);
    row.append(input, el("label", { for: id }, bi(label.en, label.zh)));
    kinds.append(row);
  }
  kinds.append(el("p", { class: "field-error", id: "report-kind-error" }));

  const error = errorRegion("report-error");
  const submit = button(
    { en: "Send report", zh: "提交举报" },
    { id: "report-submit", "aria-describedby": error.id },
  );
  submit.type = "submit";

  form.append(
    venue.wrapper,
    entrance.wrapper,
    entranceStatus,
    kinds,
    paragraph(
      "We do not ask who you are, and the report has no text box: please do not send personal details in any other way.",
      "我们不会询问您的身份，举报也没有文本框：请勿以其他方式提交个人信息。",
      { class: "note" },
    ),
    error,
    submit,
  );

  /** Which venue's entrances are loading: a slower answer for an earlier choice is dropped. */
  let loading = 0;

  async function loadEntrances(venueId: string, preselect: string | null): Promise<void> {
    const mine = ++loading;
    replaceChildren(
      entrance.input,
      option("", { en: "Not sure, or the whole venue", zh: "不确定，或整个场所" }),
    );
    replaceChildren(entranceStatus);
    submit.disabled = false;
    if (venueId === "") return;
    // Sending before the entrances arrive would report the whole venue by accident (the entrance
    // list still holds only "the whole venue"): Send waits for the list.
    submit.disabled = true;
    entranceStatus.append(bi("Loading the entrances…", "正在加载入口…"));
    try {
      const detail = await venueDetail(venueId);
      if (mine !== loading) return;
      replaceChildren(entranceStatus);
      const active = detail.entrances.filter((e) => e.active);
      for (const e of active) entrance.input.append(option(e.id, e.label));
      if (preselect && active.some((e) => e.id === preselect)) entrance.input.value = preselect;
      const names = el("span");
      active.forEach((e, i) => {
        if (i > 0) names.append("; ");
        names.append(entranceName(e.label));
      });
      entranceStatus.append(
        bi(`${active.length} entrance(s): `, `${active.length} 个入口：`),
        names,
      );
    } catch (e) {
      if (mine !== loading) return;
      // A venue whose entrances cannot be listed can still be reported, as a whole.
      replaceChildren(
        entranceStatus,
        bi(
          "The entrances could not be loaded: you can still report the whole venue.",
          "无法加载入口：您仍可举报整个场所。",
        ),
      );
      showProblem(error, e);
    } finally {
      if (mine === loading) submit.disabled = false;
    }
  }

  venue.input.addEventListener("change", () => {
    clearRegion(error);
    void loadEntrances(venue.input.value, null);
  });

  onSubmit(form, async () => {
    clearRegion(error);
    const checked = form.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value;
    const kind = REPORT_KINDS.find((k) => k === checked);
    const kindError = document.getElementById("report-kind-error")!;
    venue.input.removeAttribute("aria-invalid");
    replaceChildren(kindError);
    document.getElementById("report-venue-error")?.replaceChildren();
    if (venue.input.value === "" || !kind) {
      if (venue.input.value === "") {
        venue.input.setAttribute("aria-invalid", "true");
        document
          .getElementById("report-venue-error")
          ?.append(bi("Choose the venue.", "请选择场所。"));
      }
      if (!kind) kindError.append(bi("Choose what is wrong.", "请选择问题类型。"));
      showMessage(error, {
        en: "Choose the venue and what is wrong.",
        zh: "请选择场所和问题类型。",
      });
      (venue.input.value === ""
        ? venue.input
        : form.querySelector<HTMLInputElement>('input[name="kind"]')
      )?.focus();
      return;
    }
    try {
      const sent = await callRoute({ baseUrl: location.origin }, registryRoutes.reportVenue, {
        body: {
          venueId: venue.input.value,
          ...(entrance.input.value === "" ? {} : { entranceId: entrance.input.value }),
          kind,
        },
      });
      const done = el("div", { class: "done", id: "report-done", tabindex: "-1" });
      done.append(
        paragraph("Thank you. The registry has your report.", "谢谢！登记机构已收到您的举报。"),
        paragraph(
          "Nothing about you was sent: only the venue, the entrance, the kind of problem and the hour.",
          "未发送任何关于您的信息：只有场所、入口、问题类型和时段。",
        ),
        referenceBox(sent.reference),
      );
      const again = button(
        { en: "Report something else", zh: "再举报一个问题" },
        { class: "secondary" },
      );
      again.addEventListener("click", () => {
        render(venues);
        document.getElementById("report-venue")?.focus();
      });
      done.append(again);
      replaceChildren(box, done, followSection());
      announce({ en: "Report sent.", zh: "举报已提交。" });
      done.focus();
    } catch (e) {
      showProblem(error, e);
    }
  });

  replaceChildren(box, form, followSection());
  const wanted = params.get("venue");
  if (wanted && venues.some((v) => v.id === wanted)) {
    venue.input.value = wanted;
    void loadEntrances(wanted, params.get("entrance"));
  } else {
    void loadEntrances("", null);
  }
}

async function main(): Promise<void> {
  try {
    render(await approvedVenues(MAX_PAGES));
  } catch (e) {
    const error = errorRegion("report-error");
    replaceChildren(box, error);
    showProblem(error, e);
  }
}

void main();
loadAuthorityContact();
