/**
 * A venue's inspections (抽查): the registry records each — the day, the result, the findings,
 * photos — on the application's view; the venue's operator reads them beside the registry's
 * orders. Photos are fetched signed and shown from memory (blob URLs), never from a public URL.
 */
import { INSPECTION_RESULTS, inspectionRoutes, type RouteAnswer } from "@lintel/contract";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi, tr } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { localDate } from "./staff-time.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  fileField,
  heading,
  onSubmit,
  paragraph,
  selectField,
  showMessage,
  textField,
  wallClockField,
} from "./ui.ts";

type Inspection = RouteAnswer<typeof inspectionRoutes.listInspections>["inspections"][number];

export const RESULT_LABELS: Readonly<Record<(typeof INSPECTION_RESULTS)[number], Bi>> = {
  passed: { en: "Passed", zh: "合格" },
  "follow-up": { en: "Needs follow-up", zh: "需跟进" },
  failed: { en: "Failed", zh: "不合格" },
};

/** The venue's inspections into a new section; the registry also gets the form to record one. */
export function inspectionsSection(
  page: SignedPage,
  venueId: string,
  who: "registry" | "operator",
): HTMLElement {
  const section = el("section", { id: "inspections", "aria-labelledby": "inspections-heading" });
  void draw(page, section, venueId, who);
  return section;
}

async function draw(
  page: SignedPage,
  section: HTMLElement,
  venueId: string,
  who: "registry" | "operator",
): Promise<void> {
  const error = errorRegion("inspections-error");
  const list = el("ol", { class: "rectification-list", id: "inspection-list" });
  replaceChildren(
    section,
    heading(3, { en: "Inspections", zh: "检查记录" }, { id: "inspections-heading" }),
    error,
  );
  if (who === "registry") section.append(inspectionForm(page, section, venueId));
  section.append(list);
  try {
    const { inspections } = await callSigned(page, inspectionRoutes.listInspections, {
      params: { id: venueId },
    });
    if (inspections.length === 0) {
      list.replaceWith(
        paragraph("No inspections yet.", "尚无检查记录。", { id: "inspection-list" }),
      );
      return;
    }
    for (const i of inspections) list.append(item(page, venueId, i));
  } catch (e) {
    page.fail(error, e);
  }
}

function item(page: SignedPage, venueId: string, i: Inspection): HTMLElement {
  const result = RESULT_LABELS[i.result];
  const li = el(
    "li",
    { "data-inspection": i.id, "data-result": i.result },
    el(
      "p",
      {},
      el("strong", {}, i.inspectedOn),
      " · ",
      bi(result.en, result.zh),
      ` · ${i.recordedBy}`,
    ),
    el("p", { class: "answer" }, i.findings),
  );
  if (i.photos.length > 0) {
    const photos = el("div", { class: "photos", "data-photos": String(i.photos.length) });
    li.append(photos);
    void (async () => {
      for (const p of i.photos) {
        try {
          const bytes = await callSigned(page, inspectionRoutes.inspectionPhoto, {
            params: { id: venueId, iid: i.id, n: String(p.n) },
          });
          const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: p.mediaType }));
          const label = { en: `Photo ${p.n} of the inspection`, zh: `检查照片 ${p.n}` };
          const img = el("img", { src: url, class: "inspection-photo", "data-photo": String(p.n) });
          img.alt = tr(label);
          photos.append(img);
        } catch {
          photos.append(paragraph("A photo could not be loaded.", "有照片未能加载。"));
        }
      }
    })();
  }
  return li;
}

function inspectionForm(page: SignedPage, section: HTMLElement, venueId: string): HTMLFormElement {
  const tz = page.deployment.timezone;
  const form = el("form", { id: "inspection-form" });
  const day = wallClockField(
    "inspection-day",
    { en: "Day of the inspection", zh: "检查日期" },
    "date",
    {
      required: true,
      value: localDate(Math.floor(Date.now() / 1000), tz),
    },
  );
  const result = selectField(
    "inspection-result",
    { en: "Result", zh: "结果" },
    INSPECTION_RESULTS.map((r) => ({ value: r, label: RESULT_LABELS[r] })),
    { required: true },
  );
  const findings = textField(
    "inspection-findings",
    { en: "Findings", zh: "检查发现" },
    {
      required: true,
      multiline: true,
      hint: { en: "The venue's operator reads this.", zh: "场所经营者会看到此内容。" },
    },
  );
  const photos = fileField(
    "inspection-photos",
    { en: "Photos", zh: "照片" },
    "image/jpeg,image/png",
    {
      en: "Up to four JPEG or PNG files, 5 MB each.",
      zh: "最多四张 JPEG 或 PNG 照片，每张不超过 5 兆字节。",
    },
  );
  photos.input.multiple = true;
  const error = errorRegion("inspection-error");
  const submit = button(
    { en: "Record the inspection", zh: "记录检查" },
    { id: "inspection-submit" },
  );
  submit.type = "submit";
  form.append(
    el("h4", {}, bi("New inspection", "新的检查")),
    day.wrapper,
    result.wrapper,
    findings.wrapper,
    photos.wrapper,
    error,
    submit,
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const text = findings.input.value.replace(/\r\n?/g, "\n").trim();
    const files = [...(photos.input.files ?? [])];
    if (text === "" || files.length > 4) {
      showMessage(
        error,
        text === ""
          ? { en: "Write the findings.", zh: "请填写检查发现。" }
          : { en: "Choose at most four photos.", zh: "最多选择四张照片。" },
      );
      return;
    }
    try {
      const made = await callSigned(page, inspectionRoutes.recordInspection, {
        params: { id: venueId },
        body: {
          inspectedOn: day.input.value.trim(),
          result: result.input.value as (typeof INSPECTION_RESULTS)[number],
          findings: text,
        },
      });
      for (const file of files) {
        await callSigned(page, inspectionRoutes.addInspectionPhoto, {
          params: { id: venueId, iid: made.id },
          bytes: new Uint8Array(await file.arrayBuffer()),
          contentType: file.type,
        });
      }
      await draw(page, section, venueId, "registry");
      announce({ en: "Inspection recorded.", zh: "检查已记录。" });
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}
