/**
 * The operator's proposal to change an approved venue's entrances, sent to the registry: new
 * entrances (both names), and for each open entrance keep, rename (both names) or close for good,
 * naming where people should scan instead (another open entrance, a new one, or none: ask staff).
 * Nothing changes until the registry approves; a venue has one proposal waiting at a time.
 */
import type { AmendmentInput } from "@lintel/contract";
import { amendmentRoutes } from "@lintel/contract";
import { VENUE_CODE_LIMITS } from "@lintel/protocol";
import type { ApplicationView } from "./applications.ts";
import { el } from "./dom.ts";
import { type Bi, bi, biOf, tr } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  onActivate,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

type Field = ReturnType<typeof textField>;
interface NameFields {
  readonly en: Field;
  readonly zh: Field;
}

const MAX_NEW = 5;
const NAME_LIMIT = VENUE_CODE_LIMITS.entranceName;
const bytes = (s: string) => new TextEncoder().encode(s).length;

function nameFields(prefix: string, value?: Bi): NameFields {
  const hint = {
    en: `At most ${NAME_LIMIT} bytes (about ${Math.floor(NAME_LIMIT / 3)} Chinese characters).`,
    zh: `最多 ${NAME_LIMIT} 字节（约 ${Math.floor(NAME_LIMIT / 3)} 个汉字）。`,
  };
  return {
    en: textField(
      `${prefix}-en`,
      { en: "Name in English", zh: "英文名称" },
      { hint, lang: "en", ...(value ? { value: value.en } : {}) },
    ),
    zh: textField(
      `${prefix}-zh`,
      { en: "Name in Chinese", zh: "中文名称" },
      { hint, lang: "zh", ...(value ? { value: value.zh } : {}) },
    ),
  };
}

/** Both names, or a field error on the one missing or too long; null when both are empty. */
function namesOf(fields: NameFields, needed: boolean): Bi | null | "bad" {
  const en = fields.en.input.value.trim();
  const zh = fields.zh.input.value.trim();
  if (!needed && en === "" && zh === "") return null;
  let bad = false;
  for (const [field, text] of [
    [fields.en, en],
    [fields.zh, zh],
  ] as const) {
    const message: Bi | null =
      text === ""
        ? { en: "Type this name too.", zh: "请同时填写此名称。" }
        : bytes(text) > NAME_LIMIT
          ? { en: `At most ${NAME_LIMIT} bytes.`, zh: `最多 ${NAME_LIMIT} 字节。` }
          : null;
    setFieldError(field.input, message);
    bad ||= message !== null;
  }
  return bad ? "bad" : { en, zh };
}

/** The proposal form for `view`'s open entrances; `sent` redraws the list after it. */
export function amendmentForm(
  page: SignedPage,
  view: ApplicationView,
  sent: () => Promise<void>,
): HTMLFormElement {
  const open = view.entrances.filter((e) => e.active);
  const form = el("form", { id: "amendment-form", class: "amendment-form" });
  const newRows: NameFields[] = [];
  const newList = el("div", { id: "new-entrances" });
  const pointers: HTMLSelectElement[] = [];

  /** Where people at a closed entrance are sent: none, another open entrance, or a new one. */
  const pointerChoices = (except: string) => [
    { value: "", label: { en: "No other entrance: people ask staff", zh: "无：请询问工作人员" } },
    ...open.filter((e) => e.id !== except).map((e) => ({ value: e.id, label: e.label })),
    ...newRows.map((_, i) => ({
      value: `added-${i}`,
      label: { en: `New entrance ${i + 1}`, zh: `新入口 ${i + 1}` },
    })),
  ];
  const refreshPointers = () => {
    for (const select of pointers) {
      const chosen = select.value;
      select.replaceChildren(
        ...pointerChoices(select.dataset.for ?? "").map((c) => {
          const option = el("option", { value: c.value });
          option.textContent = tr(c.label);
          return option;
        }),
      );
      select.value = chosen;
    }
  };
  const addRow = () => {
    const i = newRows.length;
    const fields = nameFields(`new-entrance-${i}`);
    newRows.push(fields);
    newList.append(
      el(
        "fieldset",
        { class: "new-entrance", "data-new": String(i) },
        el("legend", {}, bi(`New entrance ${i + 1}`, `新入口 ${i + 1}`)),
        fields.en.wrapper,
        fields.zh.wrapper,
      ),
    );
    refreshPointers();
  };
  addRow();
  const more = button(
    { en: "Add another new entrance", zh: "再添加一个新入口" },
    { class: "secondary", id: "add-new-entrance" },
  );
  onActivate(more, async () => {
    addRow();
    if (newRows.length >= MAX_NEW) more.hidden = true;
    newRows.at(-1)?.en.input.focus();
  });

  const existing = open.map((door) => {
    const action = selectField(
      `entrance-action-${door.id}`,
      { en: "Change", zh: "变更" },
      [
        { value: "keep", label: { en: "Keep as it is", zh: "保持不变" } },
        { value: "rename", label: { en: "Rename", zh: "更名" } },
        { value: "retire", label: { en: "Close for good", zh: "永久关闭" } },
      ],
      { value: "keep" },
    );
    const names = nameFields(`rename-${door.id}`, door.label);
    const renameBox = el("div", { class: "rename" }, names.en.wrapper, names.zh.wrapper);
    const pointer = selectField(
      `scan-instead-${door.id}`,
      { en: "People scanning here go to", zh: "在此扫码的人应前往" },
      pointerChoices(door.id),
    );
    pointer.input.dataset.for = door.id;
    pointers.push(pointer.input);
    const retireBox = el("div", { class: "retire" }, pointer.wrapper);
    const show = () => {
      renameBox.hidden = action.input.value !== "rename";
      retireBox.hidden = action.input.value !== "retire";
    };
    action.input.addEventListener("change", show);
    show();
    const fieldset = el(
      "fieldset",
      { class: "existing-entrance", "data-amend-entrance": door.id },
      el("legend", {}, biOf(door.label)),
      action.wrapper,
      renameBox,
      retireBox,
    );
    return { door, action, names, pointer, fieldset };
  });

  const error = errorRegion("amendment-form-error");
  const submit = button(
    { en: "Send the change to the registry", zh: "将变更提交登记机构" },
    { id: "amendment-submit", "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(
    paragraph(
      "Nothing changes until the registry approves. New and renamed entrances then get new codes: print their posters. A closed entrance's poster stops working and tells people where to scan instead.",
      "在登记机构批准之前不会有任何变化。批准后，新入口和更名的入口将获得新场所码，请打印其海报。关闭入口的海报将失效，并告诉扫码的人应改到哪里扫码。",
      { class: "hint" },
    ),
    ...existing.map((x) => x.fieldset),
    el("h4", {}, bi("New entrances", "新入口")),
    paragraph("Leave both names empty to add none.", "如不新增入口，请将两个名称都留空。", {
      class: "hint",
    }),
    newList,
    el("div", { class: "actions" }, more),
    error,
    submit,
  );

  onSubmit(form, async () => {
    clearRegion(error);
    let bad = false;
    const add: Array<{ label: Bi }> = [];
    // New entrances keep their numbers: "added-N" pointers count the rows typed in, in order.
    const numbering = new Map<number, number>();
    newRows.forEach((row, i) => {
      const names = namesOf(row, false);
      if (names === "bad") bad = true;
      else if (names !== null) {
        numbering.set(i, add.length);
        add.push({ label: names });
      }
    });
    const rename: AmendmentInput["rename"] = [];
    const retire: AmendmentInput["retire"] = [];
    for (const x of existing) {
      if (x.action.input.value === "rename") {
        const names = namesOf(x.names, true);
        if (names === "bad" || names === null) bad = true;
        else rename.push({ entranceId: x.door.id, label: names });
      } else if (x.action.input.value === "retire") {
        const to = x.pointer.input.value;
        let replacedBy: string | undefined = to === "" ? undefined : to;
        if (to.startsWith("added-")) {
          const n = numbering.get(Number(to.slice("added-".length)));
          if (n === undefined) {
            setFieldError(x.pointer.input, {
              en: "Give that new entrance its names, or choose another.",
              zh: "请填写该新入口的名称，或选择其他入口。",
            });
            bad = true;
            continue;
          }
          replacedBy = `added-${n}`;
        }
        setFieldError(x.pointer.input, null);
        retire.push({ entranceId: x.door.id, ...(replacedBy ? { replacedBy } : {}) });
      }
    }
    if (bad) {
      showMessage(error, { en: "Some fields need attention.", zh: "部分内容需要修改。" });
      form.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    if (add.length + rename.length + retire.length === 0) {
      showMessage(error, {
        en: "Add, rename or close an entrance first.",
        zh: "请先新增、更名或关闭一个入口。",
      });
      return;
    }
    try {
      await callSigned(page, amendmentRoutes.proposeAmendment, {
        params: { id: view.id },
        body: { add, rename, retire },
      });
      await sent();
      announce({
        en: "Change sent to the registry. You will see its decision here.",
        zh: "变更已提交登记机构，审核结果会显示在这里。",
      });
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}
