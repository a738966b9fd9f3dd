/**
 * Checking in, at the door, a person without a smartphone who is here now ("proxy"): from their
 * citizen card — scanned with the camera, typed by a handheld scanner, or pasted — whose sealed
 * contact goes into the record unopened, or from their details typed here. Either way with the
 * stay they say (the same choices as on their own check-in), which becomes the record's expected
 * departure and the hour-slots it covers.
 *
 * After a check-in the view shows only "checked in", the masked name, the entrance and the times,
 * and clears the form; nothing is kept.
 */
import { el, replaceChildren } from "./dom.ts";
import { bi, biOf } from "./i18n.ts";
import { cameraPart } from "./staff-camera-part.ts";
import { clearContact, contactInputs, readContact } from "./staff-contact.ts";
import {
  clearButton,
  contactWrappers,
  type Door,
  type StaffDesk,
  type Submission,
} from "./staff-desk.ts";
import { entranceText } from "./staff-door.ts";
import { localClock } from "./staff-time.ts";
import { stayChoices } from "./stay-choices.ts";
import {
  announce,
  button,
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

/** How long the last check-in's "checked in" stays on screen. */
const RESULT_SHOWN_MS = 90 * 1000;
const CARD_TEXT_MAX = 1000;
/** A citizen card's QR text starts with this (PROTOCOL.md §5.4). */
const CITIZEN_CARD_TEXT_PREFIX = "LINTEL-CARD:";

let resultTimer = 0;

/** A stay select for one form, at the venue's usual stay. */
function stayField(id: string, door: Door) {
  const usual = door.code.code.defaultStayMinutes;
  const field = selectField(
    id,
    { en: "How long they will stay", zh: "预计停留时间" },
    stayChoices(usual),
    {
      value: String(usual),
      hint: {
        en: "Ask them. The check-in covers this time and cannot be ended earlier.",
        zh: "请询问对方。登记将覆盖这段时间，无法提前结束。",
      },
    },
  );
  return { field, reset: () => (field.input.value = String(usual)) };
}

export function proxySection(door: Door, desk: StaffDesk): HTMLElement {
  const section = el("section", {
    id: "proxy",
    class: "task",
    "aria-labelledby": "proxy-heading",
  });
  const result = el("div", { id: "proxy-result", class: "result", tabindex: "-1" });
  const place = entranceText(door.entrance);
  const showDone = (done: { maskedName: string; arrival: number; expectedDeparture: number }) => {
    const at = localClock(done.arrival, desk.timeZone);
    const until = localClock(done.expectedDeparture, desk.timeZone);
    window.clearTimeout(resultTimer);
    replaceChildren(
      result,
      el("p", {}, el("strong", {}, bi("Checked in", "已登记"))),
      el("p", { class: "masked-name", "data-masked-name": "" }, done.maskedName),
      el("p", { "data-result-door": door.entrance.id }, biOf(place)),
      el("p", {}, bi(`at ${at}, until ${until}`, `时间 ${at}，至 ${until}`)),
    );
    resultTimer = window.setTimeout(() => replaceChildren(result), RESULT_SHOWN_MS);
    announce({
      en: `Checked in: ${done.maskedName} at ${at}, until ${until}.`,
      zh: `已登记：${done.maskedName}，时间 ${at}，至 ${until}。`,
    });
  };
  const send = (s: Omit<Submission, "door" | "recordedBy">) =>
    desk.send({ door, recordedBy: "proxy", ...s });

  // With the card.
  const cardForm = el("form", { id: "card-form" });
  const cardField = textField(
    "card-text",
    { en: "Card text", zh: "登记卡文字" },
    {
      maxLength: CARD_TEXT_MAX,
      autocomplete: "off",
      hint: {
        en: `Scan the card's QR code with the camera, or with a handheld scanner into this field, or paste its text (it starts with ${CITIZEN_CARD_TEXT_PREFIX}).`,
        zh: `用摄像头或扫码枪扫描登记卡二维码（扫码枪会填入此栏），或粘贴卡上文字（以 ${CITIZEN_CARD_TEXT_PREFIX} 开头）。`,
      },
    },
  );
  cardField.input.classList.add("card-input");
  cardField.input.spellcheck = false;
  cardField.input.setAttribute("autocapitalize", "characters");
  const cardStay = stayField("card-stay", door);
  const cardError = errorRegion("card-error");
  const cardSubmit = button(
    { en: "Check in with the card", zh: "凭卡登记" },
    { id: "card-submit", "aria-describedby": cardError.id },
  );
  cardSubmit.type = "submit";
  const camera = cameraPart({
    id: "scan-card",
    panelId: "camera",
    label: { en: "Scan the card with the camera", zh: "用摄像头扫描登记卡" },
    prompt: {
      en: "Hold the card's QR code in front of the camera.",
      zh: "请将登记卡二维码对准摄像头。",
    },
    onOpen: () => clearRegion(cardError),
    onText: (text, note) => {
      if (!text.startsWith(CITIZEN_CARD_TEXT_PREFIX)) {
        replaceChildren(note, bi("That QR code is not a check-in card.", "该二维码不是登记卡。"));
        return false;
      }
      cardField.input.value = text;
      cardForm.requestSubmit();
      return true;
    },
    onError: (e) => desk.fail(cardError, e),
  });
  cardForm.append(
    desk.doorLine(),
    cardStay.field.wrapper,
    camera,
    cardField.wrapper,
    cardError,
    cardSubmit,
  );
  onSubmit(cardForm, async () => {
    clearRegion(cardError);
    const text = cardField.input.value.trim();
    if (text === "") {
      setFieldError(cardField.input, {
        en: "Scan the card or enter its text.",
        zh: "请扫描登记卡或输入卡上文字。",
      });
      cardField.input.focus();
      return;
    }
    setFieldError(cardField.input, null);
    try {
      const stayMinutes = Number(cardStay.field.input.value);
      const done = await send({ person: { card: text }, stayMinutes });
      cardField.input.value = "";
      cardStay.reset();
      showDone(done);
      cardField.input.focus();
    } catch (e) {
      desk.fail(cardError, e);
    }
  });

  // By typing the details.
  const typedForm = el("form", { id: "typed-form" });
  const askId = door.code.code.contactFields.idNumber;
  const inputs = contactInputs("typed", askId ? "required" : "none");
  const typedStay = stayField("typed-stay", door);
  const typedError = errorRegion("typed-error");
  const typedSubmit = button(
    { en: "Check in", zh: "登记" },
    { id: "typed-submit", "aria-describedby": typedError.id },
  );
  typedSubmit.type = "submit";
  typedForm.append(
    desk.doorLine(),
    ...contactWrappers(inputs),
    typedStay.field.wrapper,
    typedError,
    el(
      "div",
      { class: "actions" },
      typedSubmit,
      clearButton("typed-clear", () => {
        clearContact(inputs);
        typedStay.reset();
        clearRegion(typedError);
        inputs.name.input.focus();
      }),
    ),
  );
  onSubmit(typedForm, async () => {
    clearRegion(typedError);
    const read = readContact(inputs);
    if ("invalid" in read) {
      showMessage(typedError, { en: "Check the marked fields.", zh: "请检查标出的字段。" });
      read.invalid.focus();
      return;
    }
    try {
      const stayMinutes = Number(typedStay.field.input.value);
      const done = await send({ person: { contact: read.values }, stayMinutes });
      clearContact(inputs);
      typedStay.reset();
      showDone(done);
      inputs.name.input.focus();
    } catch (e) {
      desk.fail(typedError, e);
    }
  });

  section.append(
    heading(2, { en: "Check someone in", zh: "为他人登记" }, { id: "proxy-heading" }),
    paragraph(
      "For a person without a smartphone, who is here now. Use their check-in card if they have one: then even you never see their details.",
      "为此刻在场、没有智能手机的人登记。如对方有登记卡，请使用登记卡：这样连您也看不到其个人信息。",
    ),
    result,
    heading(3, { en: "With their check-in card", zh: "使用登记卡" }),
    cardForm,
    heading(3, { en: "By typing their details", zh: "输入对方信息" }),
    paragraph(
      "The details are encrypted on this device and cleared from the form once sent.",
      "信息在本设备上加密，发送后即从表单中清除。",
      { class: "hint" },
    ),
    typedForm,
  );
  return section;
}
