/**
 * The contact fields typed at the door and on the card page (name, phone, ID number), checked
 * here with the rules of PROTOCOL.md §5.1 so that each field gets its own message before anything
 * is sealed or encrypted. What is typed is read once, on submit, and cleared from the form after
 * it has been sealed or sent: it is never put into the page as text.
 */
import type { Bi } from "./i18n.ts";
import { type Field, setFieldError, textField } from "./ui.ts";

/** Byte limits of the contact fields (PROTOCOL.md §5.1). */
export const CONTACT_LIMITS = { name: 64, phone: 24, idNumber: 24 } as const;

const utf8Length = (s: string) => new TextEncoder().encode(s).length;
/** The text rules (PROTOCOL.md §1.2): no control or invisible format characters. */
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const PHONE = /^[0-9 +\-()]+$/;

export interface ContactInputs {
  readonly name: Field<HTMLInputElement | HTMLTextAreaElement>;
  readonly phone: Field<HTMLInputElement | HTMLTextAreaElement>;
  /** Absent where the venue does not ask for an ID number. */
  readonly idNumber?: Field<HTMLInputElement | HTMLTextAreaElement>;
}

export interface ContactValues {
  readonly name: string;
  readonly phone: string;
  readonly idNumber: string;
}

/**
 * The three fields, with ids `${prefix}-name`, `${prefix}-phone`, `${prefix}-id`. `idNumber` is
 * "required", "optional" or "none". Autocomplete is off: these are someone else's details, and
 * the browser should not remember them.
 */
export function contactInputs(
  prefix: string,
  idNumber: "required" | "optional" | "none",
): ContactInputs {
  const name = textField(
    `${prefix}-name`,
    { en: "Full name", zh: "姓名" },
    {
      required: true,
      autocomplete: "off",
      hint: {
        en: "As the health authority should know it.",
        zh: "卫生部门联系时使用的姓名。",
      },
    },
  );
  const phone = textField(
    `${prefix}-phone`,
    { en: "Phone number", zh: "电话号码" },
    { required: true, type: "tel", autocomplete: "off", inputMode: "tel" },
  );
  const inputs: ContactInputs =
    idNumber === "none"
      ? { name, phone }
      : {
          name,
          phone,
          idNumber: textField(
            `${prefix}-id`,
            idNumber === "required"
              ? { en: "ID number", zh: "证件号码" }
              : { en: "ID number (optional)", zh: "证件号码（选填）" },
            { required: idNumber === "required", autocomplete: "off" },
          ),
        };
  for (const f of [inputs.name, inputs.phone, inputs.idNumber]) {
    if (f) f.input.spellcheck = false;
  }
  return inputs;
}

/** The message for one field's value, or null when it is fine. */
export function fieldProblem(
  value: string,
  rules: { readonly required: boolean; readonly maxBytes: number; readonly phone?: boolean },
): Bi | null {
  if (value === "") return rules.required ? { en: "Enter this.", zh: "请填写此项。" } : null;
  if (CONTROL.test(value)) {
    return {
      en: "Remove the invisible or control characters.",
      zh: "请删除不可见字符或控制字符。",
    };
  }
  if (utf8Length(value) > rules.maxBytes) {
    return {
      en: `Too long: at most ${rules.maxBytes} bytes (a Chinese character counts 3).`,
      zh: `过长：最多 ${rules.maxBytes} 字节（一个汉字计 3 字节）。`,
    };
  }
  if (rules.phone && (!PHONE.test(value) || !/[0-9]/.test(value))) {
    return {
      en: "Digits, spaces, +, - and brackets only.",
      zh: "只能包含数字、空格、+、- 和括号。",
    };
  }
  return null;
}

/**
 * Reads and checks the fields (NFC, trimmed), marking each invalid one. Returns the values, or
 * the first invalid control (focus it) when any is invalid.
 */
export function readContact(
  inputs: ContactInputs,
): { readonly values: ContactValues } | { readonly invalid: HTMLElement } {
  const clean = (f: ContactInputs["name"] | undefined) =>
    (f?.input.value ?? "").normalize("NFC").trim();
  const values = {
    name: clean(inputs.name),
    phone: clean(inputs.phone),
    idNumber: clean(inputs.idNumber),
  };
  const checks: Array<[ContactInputs["name"] | undefined, Bi | null]> = [
    [inputs.name, fieldProblem(values.name, { required: true, maxBytes: CONTACT_LIMITS.name })],
    [
      inputs.phone,
      fieldProblem(values.phone, { required: true, maxBytes: CONTACT_LIMITS.phone, phone: true }),
    ],
    [
      inputs.idNumber,
      fieldProblem(values.idNumber, {
        required: inputs.idNumber?.input.required ?? false,
        maxBytes: CONTACT_LIMITS.idNumber,
      }),
    ],
  ];
  let invalid: HTMLElement | null = null;
  for (const [field, problem] of checks) {
    if (!field) continue;
    setFieldError(field.input, problem);
    if (problem && !invalid) invalid = field.input;
  }
  return invalid ? { invalid } : { values };
}

/** Empties the fields (after the details were sealed or sent). */
export function clearContact(inputs: ContactInputs): void {
  for (const f of [inputs.name, inputs.phone, inputs.idNumber]) {
    if (!f) continue;
    f.input.value = "";
    setFieldError(f.input, null);
  }
}
