/**
 * The check-in page's details form: name, phone, an ID number only where the code asks for one,
 * companions (each a check-in of their own), the stay, and "remember on this phone". What is typed
 * is checked here against the protocol's limits, encrypted by the SDK and sent through the offline
 * queue; a refusal is shown beside the button.
 */
import { LintelError, MAX_COMPANIONS, type ScannedCode } from "@lintel/client-sdk";
import { afterStored, discardRefused, showPass, showWaiting } from "./checkin-after.ts";
import { showScan } from "./checkin-scan.ts";
import { clearView, focusHeading, forgetFragment, mark, view } from "./checkin-view.ts";
import { forgetProfile, loadProfile, type PersonDetails, saveProfile } from "./citizen-profile.ts";
import { encryptionKeys } from "./citizen-service.ts";
import { showCitizenProblem } from "./citizen-text.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi, biBlock } from "./i18n.ts";
import { stayChoices, stayText } from "./stay-choices.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

const LIMITS = { name: 64, phone: 24, idNumber: 24 } as const;
const PHONE = /^[0-9 +\-()]+$/;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

interface PersonFields {
  readonly name: HTMLInputElement;
  readonly phone: HTMLInputElement;
  readonly idNumber?: HTMLInputElement;
}

function input(field: { input: HTMLInputElement | HTMLTextAreaElement }): HTMLInputElement {
  return field.input as HTMLInputElement;
}

/** Field checks the protocol would otherwise refuse; the first bad control, or undefined. */
function checkPerson(
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

export function showForm(scanned: ScannedCode, unchecked: boolean): void {
  clearView();
  const code = scanned.code;
  const askId = code.contactFields.idNumber;
  const profile = loadProfile();

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
  for (const c of profile?.companions ?? []) addCompanion(c);
  add.addEventListener("click", () => {
    if (companions.length >= MAX_COMPANIONS) return;
    addCompanion().name.focus();
    announce({ en: "Person added.", zh: "已添加同行人员。" });
  });

  const stay = selectField(
    "stay",
    { en: "How long you will stay", zh: "预计停留时间" },
    stayChoices(code.defaultStayMinutes),
    {
      value: String(code.defaultStayMinutes),
      hint: {
        en: "You are checked out automatically then, unless you check out earlier.",
        zh: "到时将自动为您办理离开，您也可以提前离开。",
      },
    },
  );

  const remember = checkbox(
    "remember",
    bi("Remember these details on this phone for next time", "在本机记住这些信息，下次自动填写"),
    true,
  );
  const rememberBox = remember.querySelector("input")!;

  const error = errorRegion("checkin-error");
  const submit = button({ en: "Check in", zh: "登记" }, { id: "check-in", class: "primary" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);

  const form = el(
    "form",
    { id: "checkin-form" },
    name.wrapper,
    phone.wrapper,
    idNumber?.wrapper,
    el(
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
    ),
    stay.wrapper,
    remember,
    el(
      "p",
      { class: "note", id: "privacy-note" },
      biBlock(
        "Your details are encrypted on this phone before they are sent. Nobody can read them — not this service, not the venue — unless an exposure query for this entrance and these hours is approved and written to the public log. They are deleted after the retention period.",
        "您的信息在发送前于本机加密。除非针对此入口和时段的流调查询获得批准并写入公开日志，任何人（包括本服务和场所）都无法读取。保存期满后即被删除。",
      ),
    ),
    error,
    submit,
  );

  onSubmit(form, async () => {
    clearRegion(error);
    const bad = [
      checkPerson(self, { phoneRequired: true, idRequired: askId }),
      ...companions.map((c) => checkPerson(c.fields, { phoneRequired: false, idRequired: false })),
    ].find((c) => c !== undefined);
    if (bad) {
      showMessage(error, {
        en: "Some details need correcting: see the marked fields.",
        zh: "部分信息需要更正，请查看标出的字段。",
      });
      bad.focus();
      return;
    }
    const person = (f: PersonFields, fallbackPhone: string): PersonDetails => ({
      name: f.name.value.trim(),
      phone: f.phone.value.trim() || fallbackPhone,
      ...(f.idNumber && f.idNumber.value.trim() !== ""
        ? { idNumber: f.idNumber.value.trim() }
        : {}),
    });
    const head = person(self, "");
    const party = companions.map((c) => person(c.fields, head.phone));
    if (rememberBox.checked) {
      // An ID number remembered from a venue that asked keeps, where this one did not ask.
      const keptId = head.idNumber ?? profile?.self.idNumber;
      saveProfile({
        self: { ...head, ...(keptId ? { idNumber: keptId } : {}) },
        companions: companions.map((c) => person(c.fields, "")),
      });
    } else {
      forgetProfile(); // unticked: nothing of this person stays on the phone
    }
    mark("submit");
    announce({ en: "Encrypting and sending…", zh: "正在加密并发送…" }, { progress: true });
    try {
      const keys = await encryptionKeys(view.ctx);
      const outcome = await view.ctx.queue.checkIn({
        keys,
        code: scanned,
        contact: head,
        companions: party,
        stayMinutes: Number(stay.input.value),
      });
      if (outcome.status === "stored") {
        await afterStored(outcome.visit);
        showPass(outcome.visit);
      } else {
        showWaiting(outcome.id, scanned);
      }
    } catch (e) {
      await discardRefused();
      if (e instanceof LintelError && e.code === "code-replaced") {
        forgetFragment();
        showScan({ replaced: true });
        focusHeading("scan-heading");
        return;
      }
      showCitizenProblem(error, e);
      submit.focus();
    }
  });

  const facts = el(
    "div",
    { class: "venue-card" },
    el("p", { class: "venue-name", id: "venue-name", translate: "no" }, code.venueName),
    el("p", { class: "entrance-name", id: "entrance-name", translate: "no" }, code.entranceName),
    el(
      "p",
      { class: "usual-stay", id: "usual-stay" },
      bi(
        `Usual stay: ${stayText(code.defaultStayMinutes).en}`,
        `通常停留：${stayText(code.defaultStayMinutes).zh}`,
      ),
    ),
  );
  const offlineNote = unchecked
    ? el(
        "p",
        { class: "warning", id: "unchecked-note" },
        biBlock(
          "This phone is offline, so the code could not be checked with the service yet. You can still check in: it is kept on this phone and sent when you are back online.",
          "本机目前离线，暂时无法向服务核验场所码。您仍可登记：登记会保存在本机，联网后自动发送。",
        ),
      )
    : null;
  const another = button(
    { en: "Scan another code", zh: "扫描其他场所码" },
    { id: "scan-another", class: "secondary" },
  );
  another.addEventListener("click", () => {
    forgetFragment();
    showScan();
    focusHeading("scan-heading");
  });

  replaceChildren(
    view.app,
    el(
      "section",
      { "aria-labelledby": "venue-heading", id: "venue" },
      heading(2, { en: "You are checking in at", zh: "您正在登记的场所" }, { id: "venue-heading" }),
      facts,
      offlineNote,
    ),
    el(
      "section",
      { "aria-labelledby": "details-heading", id: "details" },
      heading(2, { en: "Your details", zh: "您的信息" }, { id: "details-heading" }),
      form,
      el("div", { class: "actions" }, another),
    ),
  );
}
