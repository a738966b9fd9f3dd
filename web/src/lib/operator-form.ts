/**
 * The application form's fields, its entrance rows, and the check of what was typed before
 * anything is sent: every problem is marked on its field and listed in the form's error region.
 */
import {
  type applicationRoutes,
  canonicalLicenceNumber,
  DOCUMENT_MEDIA_TYPES,
  type LicenceNumberProblem,
  licenceNumberProblem,
  MAX_DOCUMENT_BYTES,
  type RouteInput,
} from "@lintel/contract";
import { VENUE_CODE_LIMITS } from "@lintel/protocol";
import type { ApplicationView } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import {
  type Bi,
  bi,
  CATEGORIES,
  categoryLabel,
  DOCUMENT_KINDS,
  DOCUMENT_LABELS,
  type DocumentKind,
} from "./i18n.ts";
import {
  announce,
  button,
  type Field,
  fileField,
  formatSize,
  formatTime,
  paragraph,
  selectField,
  setFieldError,
  textField,
} from "./ui.ts";

export type ApplicationInput = RouteInput<typeof applicationRoutes.createApplication>["body"];

const isDocumentMediaType = (type: string) =>
  (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(type);
const DOCUMENT_ACCEPT = `${DOCUMENT_MEDIA_TYPES.join(",")},.pdf,.png,.jpg,.jpeg`;
const PHONE = /^\+?[0-9][0-9 ()-]{5,24}$/;
const LICENCE_PROBLEMS: Readonly<Record<LicenceNumberProblem, Bi>> = {
  length: {
    en: "Enter the licence number: 8–30 digits or letters (a unified social credit code has 18).",
    zh: "请输入营业执照号码：8–30 位数字或字母（统一社会信用代码为 18 位）。",
  },
  characters: {
    en: "The licence number has characters it cannot have. Check it against the licence.",
    zh: "营业执照号码含有不应出现的字符，请对照营业执照核对。",
  },
  check: {
    en: "This is not a valid unified social credit code: check each character against the licence.",
    zh: "统一社会信用代码校验不通过，请对照营业执照逐位核对。",
  },
};
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

let entranceCounter = 0;

export function entranceRow(
  list: HTMLOListElement,
  entrance?: { id: string; label: Bi },
): HTMLLIElement {
  entranceCounter += 1;
  const n = entranceCounter;
  const li = el("li", { class: "entrance-row" });
  if (entrance) li.dataset.entranceId = entrance.id;
  const fieldset = el("fieldset");
  const legend = el("legend");
  const en = textField(
    `entrance-${n}-en`,
    { en: "English label", zh: "英文名称" },
    {
      required: true,
      maxLength: VENUE_CODE_LIMITS.entranceName,
      value: entrance?.label.en ?? "",
      autocomplete: "off",
    },
  );
  const zh = textField(
    `entrance-${n}-zh`,
    { en: "Chinese label", zh: "中文名称" },
    {
      required: true,
      lang: "zh",
      value: entrance?.label.zh ?? "",
      autocomplete: "off",
      hint: {
        en: "Printed in the code: at most 10 Chinese characters.",
        zh: "将写入场所码：最多 10 个汉字。",
      },
    },
  );
  en.input.dataset.part = "en";
  zh.input.dataset.part = "zh";
  const remove = button({ en: "Remove this entrance", zh: "删除此入口" }, { class: "secondary" });
  remove.dataset.remove = "";
  remove.addEventListener("click", () => {
    if (list.children.length <= 1) {
      announce({ en: "A venue needs at least one entrance.", zh: "场所至少需要一个入口。" });
      return;
    }
    const next = li.nextElementSibling ?? li.previousElementSibling;
    li.remove();
    numberEntrances(list);
    announce({ en: "Entrance removed.", zh: "已删除入口。" });
    next?.querySelector("input")?.focus();
  });
  fieldset.append(legend, en.wrapper, zh.wrapper, remove);
  li.append(fieldset);
  return li;
}

/** Legends and remove-button names follow the rows' order. */
export function numberEntrances(list: HTMLOListElement): void {
  [...list.children].forEach((li, i) => {
    const legend = li.querySelector("legend");
    legend?.replaceChildren(bi(`Entrance ${i + 1}`, `入口 ${i + 1}`));
    const remove = li.querySelector("button[data-remove]");
    remove?.replaceChildren(bi(`Remove entrance ${i + 1}`, `删除入口 ${i + 1}`));
  });
}

/** A district as GET /api/deployment names it. */
export interface District {
  readonly id: string;
  readonly name: Bi;
}

export interface EditorFields {
  nameEn: Field<HTMLInputElement | HTMLTextAreaElement>;
  nameZh: Field<HTMLInputElement | HTMLTextAreaElement>;
  address: Field<HTMLInputElement | HTMLTextAreaElement>;
  licence: Field<HTMLInputElement | HTMLTextAreaElement>;
  category: Field<HTMLSelectElement>;
  district: Field<HTMLSelectElement>;
  person: Field<HTMLInputElement | HTMLTextAreaElement>;
  phone: Field<HTMLInputElement | HTMLTextAreaElement>;
  entrances: HTMLOListElement;
  files: Record<DocumentKind, Field<HTMLInputElement>>;
}

function documentHint(view: ApplicationView | undefined, kind: DocumentKind, timeZone: string): Bi {
  const doc = view?.documents.find((d) => d.kind === kind);
  if (!doc) {
    return {
      en: "PDF, PNG or JPEG, at most 5 MB. Not uploaded yet.",
      zh: "PDF、PNG 或 JPEG，最大 5 MB。尚未上传。",
    };
  }
  const type = doc.mediaType.split("/")[1]?.toUpperCase() ?? "";
  const at = formatTime(doc.uploadedAt, timeZone);
  return {
    en: `Uploaded: ${type}, ${formatSize(doc.size)}, ${at}. Choose a file only to replace it.`,
    zh: `已上传：${type}，${formatSize(doc.size)}，${at}。仅在需要替换时选择文件。`,
  };
}

/** The form's fields, filled from `view` (empty for a new application). */
export function editorFields(
  view: ApplicationView | undefined,
  timeZone: string,
  districts: readonly District[],
): EditorFields {
  const v = view;
  const fields: EditorFields = {
    nameEn: textField(
      "name-en",
      { en: "Venue name in English", zh: "场所英文名称" },
      {
        required: true,
        value: v?.name.en ?? "",
        autocomplete: "organization",
        maxLength: VENUE_CODE_LIMITS.venueName,
        hint: {
          en: "Printed in the code: at most 60 letters.",
          zh: "将写入场所码：最多 60 个字母。",
        },
      },
    ),
    nameZh: textField(
      "name-zh",
      { en: "Venue name in Chinese", zh: "场所中文名称" },
      {
        required: true,
        lang: "zh",
        value: v?.name.zh ?? "",
        autocomplete: "off",
        hint: {
          en: "Printed in the code: at most 20 Chinese characters.",
          zh: "将写入场所码：最多 20 个汉字。",
        },
      },
    ),
    address: textField(
      "address",
      { en: "Address", zh: "地址" },
      { required: true, value: v?.address ?? "", autocomplete: "off", maxLength: 300 },
    ),
    licence: textField(
      "licence-number",
      { en: "Business licence number", zh: "营业执照号码" },
      {
        required: true,
        value: v?.licenceNumber ?? "",
        autocomplete: "off",
        maxLength: 60,
        hint: {
          en: "The 18-character unified social credit code, or the licence's other number. Only the registry sees it (encrypted).",
          zh: "营业执照上的 18 位统一社会信用代码或其他注册号。仅登记机构可见，加密保存。",
        },
      },
    ),
    category: selectField(
      "category",
      { en: "Category", zh: "类别" },
      CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })),
      {
        required: true,
        value: v?.category ?? "other",
        hint: {
          en: "Hotels and hospitals also ask visitors for an ID number.",
          zh: "酒店和医院还会要求访客提供证件号码。",
        },
      },
    ),
    // A new application chooses its district: no default, so no venue lands in a district by
    // accident (it decides which local government supervises it).
    district: selectField(
      "district",
      { en: "District", zh: "所属辖区" },
      [
        ...(v ? [] : [{ value: "", label: { en: "Choose the district", zh: "请选择辖区" } }]),
        ...districts.map((d) => ({ value: d.id, label: d.name })),
      ],
      { required: true, value: v?.district ?? "" },
    ),
    person: textField(
      "contact-person",
      { en: "Contact person", zh: "联系人" },
      {
        required: true,
        value: v?.contact?.person ?? "",
        autocomplete: "name",
        hint: {
          en: "Only the registry sees it; it is stored encrypted.",
          zh: "仅登记机构可见，加密保存。",
        },
      },
    ),
    phone: textField(
      "contact-phone",
      { en: "Contact phone", zh: "联系电话" },
      {
        required: true,
        type: "tel",
        value: v?.contact?.phone ?? "",
        autocomplete: "tel",
        hint: {
          en: "Digits, spaces, ( ) - and a leading +.",
          zh: "数字、空格、( ) - 及开头的 +。",
        },
      },
    ),
    entrances: el("ol", { class: "plain entrance-rows", id: "entrance-rows" }),
    files: {
      licence: fileField(
        "licence-file",
        DOCUMENT_LABELS.licence,
        DOCUMENT_ACCEPT,
        documentHint(view, "licence", timeZone),
      ),
      "floor-plan": fileField(
        "floor-plan-file",
        DOCUMENT_LABELS["floor-plan"],
        DOCUMENT_ACCEPT,
        documentHint(view, "floor-plan", timeZone),
      ),
    },
  };
  for (const e of view?.entrances ?? []) fields.entrances.append(entranceRow(fields.entrances, e));
  if (fields.entrances.children.length === 0)
    fields.entrances.append(entranceRow(fields.entrances));
  numberEntrances(fields.entrances);
  return fields;
}

/** Reads and checks the form; marks what is wrong. Undefined when something is. */
export function readForm(
  fields: EditorFields,
  formError: HTMLElement,
): ApplicationInput | undefined {
  const problems: Array<{ control: HTMLElement; message: Bi }> = [];
  const need = (f: Field<HTMLInputElement | HTMLTextAreaElement>, max: number, what: Bi) => {
    const value = f.input.value.trim();
    if (value === "")
      problems.push({
        control: f.input,
        message: { en: `Enter the ${what.en}.`, zh: `请填写${what.zh}。` },
      });
    else if (utf8Bytes(value) > max)
      problems.push({
        control: f.input,
        message: { en: `The ${what.en} is too long.`, zh: `${what.zh}过长。` },
      });
    else setFieldError(f.input, null);
    return value;
  };
  const input: ApplicationInput = {
    name: {
      en: need(fields.nameEn, VENUE_CODE_LIMITS.venueName, { en: "English name", zh: "英文名称" }),
      zh: need(fields.nameZh, VENUE_CODE_LIMITS.venueName, { en: "Chinese name", zh: "中文名称" }),
    },
    address: need(fields.address, 300, { en: "address", zh: "地址" }),
    licenceNumber: canonicalLicenceNumber(fields.licence.input.value),
    // The select offers only the categories; "other" stands in for anything else.
    category: CATEGORIES.find((c) => c === fields.category.input.value) ?? "other",
    ...(fields.district.input.value === "" ? {} : { district: fields.district.input.value }),
    contact: {
      person: need(fields.person, 100, { en: "contact person", zh: "联系人" }),
      phone: fields.phone.input.value.trim(),
    },
    entrances: [],
  };
  if (input.district === undefined) {
    problems.push({
      control: fields.district.input,
      message: { en: "Choose the venue's district.", zh: "请选择场所所属辖区。" },
    });
  } else setFieldError(fields.district.input, null);
  const licence = input.licenceNumber ?? "";
  const licenceProblem = licence === "" ? "length" : licenceNumberProblem(licence);
  if (licenceProblem !== null) {
    problems.push({ control: fields.licence.input, message: LICENCE_PROBLEMS[licenceProblem] });
  } else setFieldError(fields.licence.input, null);
  if (!PHONE.test(input.contact.phone)) {
    problems.push({
      control: fields.phone.input,
      message: {
        en: "Enter a phone number: digits, spaces, ( ) - and a leading +.",
        zh: "请输入电话号码：数字、空格、( ) - 及开头的 +。",
      },
    });
  } else setFieldError(fields.phone.input, null);
  for (const li of fields.entrances.querySelectorAll<HTMLLIElement>("li.entrance-row")) {
    const [en, zh] = ["en", "zh"].map(
      (part) => li.querySelector<HTMLInputElement>(`input[data-part="${part}"]`)!,
    ) as [HTMLInputElement, HTMLInputElement];
    const label = { en: en.value.trim(), zh: zh.value.trim() };
    for (const [control, value, what] of [
      [en, label.en, { en: "English label", zh: "英文名称" }],
      [zh, label.zh, { en: "Chinese label", zh: "中文名称" }],
    ] as const) {
      if (value === "")
        problems.push({
          control,
          message: { en: `Enter the ${what.en}.`, zh: `请填写${what.zh}。` },
        });
      else if (utf8Bytes(value) > VENUE_CODE_LIMITS.entranceName)
        problems.push({
          control,
          message: { en: `The ${what.en} is too long.`, zh: `${what.zh}过长。` },
        });
      else setFieldError(control, null);
    }
    const id = li.dataset.entranceId;
    input.entrances.push(id ? { id, label } : { label });
  }
  for (const kind of DOCUMENT_KINDS) {
    const f = fields.files[kind].input;
    const file = f.files?.[0];
    if (file && !isDocumentMediaType(file.type)) {
      problems.push({
        control: f,
        message: { en: "Choose a PDF, PNG or JPEG file.", zh: "请选择 PDF、PNG 或 JPEG 文件。" },
      });
    } else if (file && file.size > MAX_DOCUMENT_BYTES) {
      problems.push({
        control: f,
        message: { en: "The file is over 5 MB.", zh: "文件超过 5 MB。" },
      });
    } else setFieldError(f, null);
  }
  for (const p of problems) setFieldError(p.control, p.message);
  if (problems.length > 0) {
    const list = el("ul");
    for (const p of problems) list.append(el("li", {}, bi(p.message.en, p.message.zh)));
    replaceChildren(formError, paragraph("Check the marked fields:", "请检查标出的字段："), list);
    problems[0]?.control.focus();
    return undefined;
  }
  return input;
}
