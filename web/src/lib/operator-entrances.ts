/**
 * An approved venue's entrances: each entrance's current code, a printable poster made in this
 * browser (one entrance, or all in one PDF), and replacing a code that was damaged or copied.
 * Each action's error shows beside its own button.
 */
import { buildPosterPdf, LintelError, type PosterEntrance } from "@lintel/client-sdk";
import { operatorRoutes, type RouteAnswer } from "@lintel/contract";
import { amendmentForm } from "./amendment-form.ts";
import { type Amendment, amendmentSection, drawAmendments } from "./amendment-list.ts";
import { type ApplicationView, entranceName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, REPLACEMENT_REASONS, reasonLabel } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  downloadBytes,
  errorRegion,
  fileSlug,
  formatTime,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  selectField,
  showProblem,
} from "./ui.ts";

export type EntranceCode = RouteAnswer<typeof operatorRoutes.venueCodes>["codes"][number];

const POSTER_FONT = "/assets/gen/fonts/NotoSansSC-Regular.ttf";

let fontRequest: Promise<Uint8Array> | undefined;

function posterFont(): Promise<Uint8Array> {
  fontRequest ??= fetch(POSTER_FONT)
    .then(async (res) => {
      if (!res.ok) throw new LintelError("network", "The poster font could not be loaded.");
      return new Uint8Array(await res.arrayBuffer());
    })
    .catch((e: unknown) => {
      fontRequest = undefined;
      throw e;
    });
  return fontRequest;
}

async function downloadPosters(
  page: SignedPage,
  view: ApplicationView,
  codes: readonly EntranceCode[],
  filename: string,
): Promise<void> {
  announce({ en: "Preparing the poster…", zh: "正在生成海报…" });
  const entrances: PosterEntrance[] = codes.map((c) => ({
    codeUrl: c.url,
    manualCode: c.manualCode,
    version: c.version,
    issuedAt: new Date(c.issuedAt * 1000),
    venueName: view.name,
    entranceLabel: c.label,
  }));
  const pdf = await buildPosterPdf(
    entrances,
    {
      deploymentName: page.deployment.name,
      retentionDays: page.deployment.retentionDays,
      reportUrl: `${location.origin}/report`,
      privacyUrl: `${location.origin}/privacy`,
    },
    await posterFont(),
  );
  downloadBytes(pdf, "application/pdf", filename);
  announce({ en: "Poster ready: see your downloads.", zh: "海报已生成，请查看下载。" });
}

/** Draws the venue's entrances and codes into `section` (again after a code is replaced). */
export async function renderEntrances(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
): Promise<void> {
  const error = errorRegion("codes-error");
  replaceChildren(
    section,
    heading(
      3,
      { en: "Entrances and codes", zh: "入口与场所码" },
      { id: "codes-heading", tabindex: "-1" },
    ),
    paragraph(
      "Print one poster per entrance and put it up where people come in. Posters are made in this browser.",
      "请为每个入口打印一张海报，张贴在入口处。海报在本浏览器中生成。",
    ),
    error,
  );
  let codes: EntranceCode[];
  try {
    ({ codes } = await callSigned(page, operatorRoutes.venueCodes, { params: { id: view.id } }));
  } catch (e) {
    page.fail(error, e);
    return;
  }
  const allError = errorRegion("download-all-error");
  const all = button(
    { en: "Download all posters (one PDF)", zh: "下载全部海报（一个 PDF）" },
    { id: "download-all-posters", "aria-describedby": allError.id },
  );
  onActivate(all, async () => {
    clearRegion(allError);
    try {
      await downloadPosters(page, view, codes, `posters-${fileSlug(view.name.en, view.id)}.pdf`);
    } catch (e) {
      showProblem(allError, e);
    }
  });
  const list = el("ul", { class: "plain items", id: "code-list" });
  for (const code of codes) list.append(codeItem(page, section, view, code));
  section.append(el("div", { class: "actions" }, all), allError, list);
  // Adding, renaming or closing entrances goes through the registry; one proposal at a time.
  const redraw = async (): Promise<void> => {
    await drawAmendments(page, amendments, view, "operator", options);
  };
  const options = {
    // Folded away until asked for: most visits to this view are for the posters.
    extra: (list: readonly Amendment[]) =>
      list.some((a) => a.status === "pending")
        ? null
        : el(
            "details",
            { id: "amendment-details", class: "amendment-details" },
            el("summary", {}, bi("Propose a change to the entrances", "提出入口变更")),
            amendmentForm(page, view, redraw),
          ),
    changed: redraw,
  };
  const amendments = amendmentSection(page, view, "operator", options);
  section.append(amendments);
}

function codeItem(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  code: EntranceCode,
): HTMLLIElement {
  const li = el("li", { "data-entrance": code.entranceId, class: "card" });
  const facts = el("dl", { class: "facts" });
  facts.append(
    el("dt", {}, bi("Code version", "场所码版本")),
    el("dd", { "data-version": String(code.version) }, String(code.version)),
    el("dt", {}, bi("Manual code", "手动输入码")),
    el("dd", {}, el("code", { class: "manual-code" }, code.manualCode)),
    el("dt", {}, bi("Issued", "签发时间")),
    el("dd", {}, formatTime(code.issuedAt, page.deployment.timezone)),
  );
  const slug = fileSlug(code.label.en, code.entranceId);
  const error = errorRegion(`poster-error-${code.entranceId}`);
  const poster = button(
    { en: "Download poster", zh: "下载海报" },
    {
      "data-poster": code.entranceId,
      "aria-describedby": `entrance-heading-${code.entranceId} ${error.id}`,
    },
  );
  onActivate(poster, async () => {
    clearRegion(error);
    try {
      await downloadPosters(page, view, [code], `poster-${slug}.pdf`);
    } catch (e) {
      showProblem(error, e);
    }
  });
  const h = el("h4", { id: `entrance-heading-${code.entranceId}` }, entranceName(code.label));
  li.append(
    h,
    facts,
    el("div", { class: "actions" }, poster),
    error,
    replaceForm(page, section, view, code),
  );
  return li;
}

function replaceForm(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  code: EntranceCode,
): HTMLFormElement {
  const form = el("form", { class: "replace-code", "data-replace": code.entranceId });
  const id = `replace-reason-${code.entranceId}`;
  const reason = selectField(
    id,
    { en: "Reason for a new code", zh: "更换场所码的原因" },
    REPLACEMENT_REASONS.map((r) => ({ value: r, label: reasonLabel(r) })),
  );
  const error = errorRegion(`replace-error-${code.entranceId}`);
  const submit = button(
    { en: "Replace this code", zh: "更换此场所码" },
    { class: "secondary", "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(reason.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const chosen = reasonLabel(reason.input.value);
    const ok = await confirmDialog(
      { en: "Replace this entrance's code?", zh: "更换此入口的场所码？" },
      [
        el("p", {}, entranceName(code.label)),
        paragraph(
          `The printed poster (version ${code.version}) stops working at once. Print and put up the new poster straight away.`,
          `已打印的海报（版本 ${code.version}）将立即失效。请马上打印并张贴新海报。`,
        ),
        paragraph(`Reason: ${chosen.en}`, `原因：${chosen.zh}`),
      ],
      { en: "Replace code", zh: "更换场所码" },
    );
    if (!ok) return;
    try {
      const next = await callSigned(page, operatorRoutes.replaceCode, {
        params: { id: view.id, eid: code.entranceId },
        // The select offers only the reasons; "other" stands in for anything else.
        body: { reason: REPLACEMENT_REASONS.find((r) => r === reason.input.value) ?? "other" },
      });
      await renderEntrances(page, section, view);
      announce({
        en: `New code issued: version ${next.version}. Print its poster now.`,
        zh: `已签发新场所码：版本 ${next.version}。请立即打印海报。`,
      });
      document.querySelector<HTMLButtonElement>(`[data-poster="${code.entranceId}"]`)?.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}
