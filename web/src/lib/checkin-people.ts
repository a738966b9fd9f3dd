/**
 * The people a check-in is for, on the check-in page's form: the person's own name, phone and an
 * ID number only where the venue's code asks for one, and up to MAX_COMPANIONS people with them,
 * each a check-in of their own. What is typed is checked against the protocol's limits here, so
 * the SDK never has to refuse it.
 */
import { MAX_COMPANIONS } from "@lintel/client-sdk";
import type { PersonDetails, Profile } from "./citizen-profile.ts";
import { el } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import { announce, button, paragraph, setFieldError, textField } from "./ui.ts";

export const LIMITS = { name: 64, phone: 24, idNumber: 24 } as const;
const PHONE = /^[0-9 +\-()]+$/;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

export interface PersonFields {
  readonly name: HTMLInputElement;
  readonly phone: HTMLInputElement;
  readonly idNumber?: HTMLInputElement;
}

function input(field: { input: HTMLInputElement | HTMLTextAreaElement }): HTMLInputElement {
  return field.input as HTMLInputElement;
}

/** Field checks the protocol would otherwise refuse; the first bad control, or undefined. */
export function checkPerson(
  fields: PersonFields,
  rules: { phoneRequired: boolean; idRequired: boolean },
): HTMLElement | undefined {
  let first: HTMLElement | undefined;
  const fail = (control: HTMLElement, message: Bi) => {
    setFieldError(control, message);
    first ??= control;
  };
  for (const control of [fields.name, fields.phone, fields.idNumber]) {
    if (control) setFieldError(control, null);
  }
  const name = fields.name.value.trim();
  if (name === "") fail(fields.name, { en: "Type a name.", zh: "请填写姓名。" });
  else if (utf8Length(name) > LIMITS.name || CONTROL.test(name)) {
    fail(fields.name, { en: "This name is too long.", zh: "姓名过长。" });
  }
  const phone = fields.phone.value.trim();
  if (phone === "" && rules.phoneRequired) {
    fail(fields.phone, { en: "Type a phone number.", zh: "请填写电话号码。" });
  } else if (
    phone !== "" &&
    (!PHONE.test(phone) || !/[0-9]/.test(phone) || utf8Length(phone) > LIMITS.phone)
  ) {
    fail(fields.phone, {
      en: "Use digits, spaces, +, - and brackets only (at most 24).",
      zh: "只能包含数字、空格、+、- 和括号（最多 24 个）。",
    });
  }
  if (fields.idNumber) {
    const id = fields.idNumber.value.trim();
    if (id === "" && rules.idRequired) {
      fail(fields.idNumber, {
        en: "This venue asks for an ID number.",
        zh: "此场所要求填写证件号码。",
      });
    } else if (utf8Length(id) > LIMITS.idNumber || CONTROL.test(id)) {
      fail(fields.idNumber, {
        en: "At most 24 characters.",
        zh: "最多 24 个字符。",
      });
    }
  }
  return first;
}

/** What a person's fields hold, trimmed; an empty phone becomes `fallbackPhone`. */
export function personDetails(f: PersonFields, fallbackPhone: string): PersonDetails {
  return {
    name: f.name.value.trim(),
    phone: f.phone.value.trim() || fallbackPhone,
    ...(f.idNumber && f.idNumber.value.trim() !== "" ? { idNumber: f.idNumber.value.trim() } : {}),
  };
}

/** The person's own fields, filled from what this phone remembers. */
export function selfFields(
  askId: boolean,
  profile: Profile | undefined,
): { readonly wrappers: HTMLElement[]; readonly fields: PersonFields } {
  const name = textField(
    "contact-name",
    { en: "Your name", zh: "您的姓名" },
    {
      required: true,
      autocomplete: "name",
      maxLength: LIMITS.name,
      value: profile?.self.name ?? "",
    },
  );
  const phone = textField(
    "contact-phone",
    { en: "Your phone number", zh: "您的电话号码" },
    {
      required: true,
      type: "tel",
      autocomplete: "tel",
      inputMode: "tel",
      maxLength: LIMITS.phone,
      value: profile?.self.phone ?? "",
      hint: {
        en: "Only a health officer can ever read it, and only after an exposure at this entrance.",
        zh: "只有在此入口发生暴露后，卫生部门人员才可能读取。",
      },
    },
  );
  const idNumber = askId
    ? textField(
        "contact-id",
        { en: "Your ID number", zh: "您的证件号码" },
        {
          required: true,
          autocomplete: "off",
          maxLength: LIMITS.idNumber,
          value: profile?.self.idNumber ?? "",
          hint: {
            en: "This venue must ask for it. It is encrypted like the rest.",
            zh: "此场所必须登记证件号码，它与其他信息一样会被加密。",
          },
        },
      )
    : undefined;
  const self: PersonFields = {
    name: input(name),
    phone: input(phone),
    ...(idNumber ? { idNumber: input(idNumber) } : {}),
  };
  return {
    wrappers: [name.wrapper, phone.wrapper, ...(idNumber ? [idNumber.wrapper] : [])],
    fields: self,
  };
}

/** The "people with you" fieldset; `fields()` lists each companion's fields in order. */
export function companionsPart(
  askId: boolean,
  saved: readonly PersonDetails[],
): { readonly fieldset: HTMLFieldSetElement; readonly fields: () => PersonFields[] } {
  // Companions: each gets a record (and a check-in) of their own.
  const rows = el("ol", { class: "companion-rows plain", id: "companion-rows" });
  const companions: Array<{ id: number; row: HTMLLIElement; fields: PersonFields }> = [];
  let nextId = 1;
  const add = button(
    { en: "Add a person with you", zh: "添加同行人员" },
    { id: "add-companion", class: "secondary" },
  );

  const renumber = () => {
    companions.forEach((c, i) => {
      const legend = c.row.querySelector("legend");
      legend?.replaceChildren(bi(`Person with you ${i + 1}`, `同行人员 ${i + 1}`));
      const remove = c.row.querySelector<HTMLButtonElement>("button.remove");
      remove?.replaceChildren(bi(`Remove person ${i + 1}`, `移除同行人员 ${i + 1}`));
    });
    add.hidden = companions.length >= MAX_COMPANIONS;
  };

  const addCompanion = (details?: PersonDetails): PersonFields => {
    const id = nextId++;
    const cName = textField(
      `companion-${id}-name`,
      { en: "Name", zh: "姓名" },
      { required: true, autocomplete: "off", maxLength: LIMITS.name, value: details?.name ?? "" },
    );
    const cPhone = textField(
      `companion-${id}-phone`,
      { en: "Phone number", zh: "电话号码" },
      {
        type: "tel",
        autocomplete: "off",
        inputMode: "tel",
        maxLength: LIMITS.phone,
        value: details?.phone ?? "",
        hint: { en: "Leave empty to use yours.", zh: "留空则使用您的号码。" },
      },
    );
    const cId = askId
      ? textField(
          `companion-${id}-id`,
          { en: "ID number", zh: "证件号码" },
          {
            autocomplete: "off",
            maxLength: LIMITS.idNumber,
            value: details?.idNumber ?? "",
            hint: { en: "If they have one.", zh: "如有请填写。" },
          },
        )
      : undefined;
    const remove = button("", { class: "secondary remove", id: `companion-${id}-remove` });
    const row = el(
      "li",
      { "data-companion": String(id) },
      el("fieldset", {}, el("legend", {}), cName.wrapper, cPhone.wrapper, cId?.wrapper, remove),
    );
    const fields: PersonFields = {
      name: input(cName),
      phone: input(cPhone),
      ...(cId ? { idNumber: input(cId) } : {}),
    };
    const entry = { id, row, fields };
    companions.push(entry);
    rows.append(row);
    remove.addEventListener("click", () => {
      const at = companions.indexOf(entry);
      companions.splice(at, 1);
      row.remove();
      renumber();
      announce({ en: "Person removed.", zh: "已移除同行人员。" });
      const next = companions[at] ?? companions[at - 1];
      (next ? next.fields.name : add).focus();
    });
    renumber();
    return fields;
  };
  for (const c of saved) addCompanion(c);
  add.addEventListener("click", () => {
    if (companions.length >= MAX_COMPANIONS) return;
    addCompanion().name.focus();
    announce({ en: "Person added.", zh: "已添加同行人员。" });
  });
  const fieldset = el(
    "fieldset",
    { id: "companions" },
    el("legend", {}, bi("People with you", "同行人员")),
    paragraph(
      "Family or children checking in with you: each gets a check-in of their own.",
      "与您一同登记的家人或儿童：每人单独登记。",
      { class: "hint" },
    ),
    rows,
    add,
  );
  return { fieldset, fields: () => companions.map((c) => c.fields) };
}
