/**
 * Sending in a paper list kept during a device fault ("paper"), one row at a time, each starting
 * at its arrival hour within the last 24 hours (the deployment's local time, as written on the
 * list). Each row is encrypted and sent on its own and the form cleared; only the number of rows
 * sent is shown.
 */
import { LintelError } from "@lintel/client-sdk";
import { el, replaceChildren } from "./dom.ts";
import { bi } from "./i18n.ts";
import { clearContact, contactInputs, readContact } from "./staff-contact.ts";
import { clearButton, contactWrappers, type Door, type StaffDesk } from "./staff-desk.ts";
import { showStaffProblem } from "./staff-problems.ts";
import { localDate, zonedToUnix } from "./staff-time.ts";
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
  wallClockField,
} from "./ui.ts";

/** Rows sent since sign-in, across doors. */
let rowsSent = 0;

/** Starts the count again (on sign-out). */
export function resetPaperCount(): void {
  rowsSent = 0;
}

export function paperSection(door: Door, desk: StaffDesk): HTMLElement {
  const timeZone = desk.timeZone;
  const section = el("section", {
    id: "paper",
    class: "task",
    "aria-labelledby": "paper-heading",
  });
  const form = el("form", { id: "paper-form" });
  const askId = door.code.code.contactFields.idNumber;
  const inputs = contactInputs("paper", askId ? "required" : "none");
  const now = Math.floor(Date.now() / 1000);
  const today = localDate(now, timeZone);
  const day = wallClockField("paper-day", { en: "Date", zh: "日期" }, "date", {
    required: true,
    value: today,
  });
  const time = wallClockField("paper-time", { en: "Arrival time", zh: "到达时间" }, "time", {
    required: true,
    hint: { en: "As written on the list, local time.", zh: "按登记表所写的当地时间。" },
  });
  const defaultStay = door.code.code.defaultStayMinutes;
  const stay = selectField("paper-stay", { en: "Stay", zh: "停留时长" }, stayChoices(defaultStay), {
    value: String(defaultStay),
  });
  const row = el("div", { class: "field-row" }, day.wrapper, time.wrapper, stay.wrapper);
  const error = errorRegion("paper-error");
  const submit = button(
    { en: "Send this row", zh: "发送此行" },
    { id: "paper-submit", "aria-describedby": error.id },
  );
  submit.type = "submit";
  const count = el("p", { id: "paper-count", class: "count" });
  const showCount = () =>
    replaceChildren(count, bi(`Rows sent: ${rowsSent}`, `已发送：${rowsSent} 行`));
  showCount();
  form.append(
    desk.doorLine(),
    ...contactWrappers(inputs),
    row,
    error,
    el(
      "div",
      { class: "actions" },
      submit,
      clearButton("paper-clear", () => {
        clearContact(inputs);
        time.input.value = "";
        setFieldError(time.input, null);
        setFieldError(day.input, null);
        clearRegion(error);
        inputs.name.input.focus();
      }),
    ),
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const read = readContact(inputs);
    const at = zonedToUnix(day.input.value, time.input.value, timeZone);
    const dayProblem = /^\d{4}-\d{2}-\d{2}$/.test(day.input.value)
      ? null
      : { en: "Enter the date.", zh: "请填写日期。" };
    const timeProblem =
      at === null && /^\d{2}:\d{2}/.test(time.input.value) === false
        ? { en: "Enter the arrival time.", zh: "请填写到达时间。" }
        : null;
    setFieldError(day.input, dayProblem);
    setFieldError(time.input, timeProblem);
    if ("invalid" in read || at === null) {
      showMessage(error, { en: "Check the marked fields.", zh: "请检查标出的字段。" });
      ("invalid" in read ? read.invalid : dayProblem ? day.input : time.input).focus();
      return;
    }
    if (at > Date.now() / 1000) {
      setFieldError(time.input, { en: "This time is still to come.", zh: "该时间尚未到来。" });
      showStaffProblem(error, new LintelError("bad-slots", ""));
      time.input.focus();
      return;
    }
    try {
      await desk.send({
        door,
        recordedBy: "paper",
        person: { contact: read.values },
        arrival: new Date(at * 1000),
        stayMinutes: Number(stay.input.value),
      });
      clearContact(inputs);
      time.input.value = "";
      rowsSent++;
      showCount();
      announce({
        en: `Row sent. Rows sent: ${rowsSent}.`,
        zh: `已发送此行。共 ${rowsSent} 行。`,
      });
      inputs.name.input.focus();
    } catch (e) {
      if (e instanceof LintelError && e.code === "bad-slots") {
        setFieldError(time.input, {
          en: "Not within the last 24 hours.",
          zh: "不在过去 24 小时内。",
        });
        time.input.focus();
      }
      desk.fail(error, e);
    }
  });
  section.append(
    heading(2, { en: "Send in a paper list", zh: "补录纸质登记表" }, { id: "paper-heading" }),
    paragraph(
      "Only after a device fault: type each row of the paper list kept at this entrance. Rows from the last 24 hours are taken, each recorded from its arrival hour. Each row is encrypted and sent on its own, and the form is cleared; only the number of rows sent is shown.",
      "仅在设备故障后使用：逐行输入本入口的纸质登记表。只接受过去 24 小时内的记录，每条记录从其到达的整点时段开始。每行单独加密发送，发送后表单即清空，页面只显示已发送的行数。",
    ),
    form,
    count,
  );
  return section;
}
