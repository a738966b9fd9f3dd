/**
 * A one-time enrolment code shown once, beside who it is for, with when it expires and a button
 * that hides it: the way staff, officers and other people get their first device signed in.
 */
import { el } from "./dom.ts";
import { bi } from "./i18n.ts";
import { button, formatTime, paragraph } from "./ui.ts";

export interface OneTimeCode {
  readonly label: string;
  readonly enrolmentCode: string;
  readonly codeExpiresAt: number;
}

/** The box (focusable, id `${id}-box`), whose code element is `#${id}`; `hidden` runs on hiding. */
export function oneTimeCodeBox(
  id: string,
  created: OneTimeCode,
  timeZone: string,
  hidden: () => void,
): HTMLElement {
  const box = el("div", { class: "once", id: `${id}-box`, tabindex: "-1" });
  const hide = button(
    { en: "I have noted it — hide the code", zh: "已记下，隐藏登记码" },
    { class: "secondary" },
  );
  hide.addEventListener("click", () => {
    box.remove();
    hidden();
  });
  const expires = formatTime(created.codeExpiresAt, timeZone);
  box.append(
    el("h4", {}, bi("One-time enrolment code", "一次性登记码")),
    el(
      "p",
      {},
      el("strong", {}, created.label),
      ": ",
      el("code", { id, class: "big-code" }, created.enrolmentCode),
    ),
    paragraph(
      `Hand it over in person. It is shown only this once, works once, and expires on ${expires}.`,
      `请当面交给对方。此码只显示这一次，只能使用一次，于 ${expires} 过期。`,
    ),
    hide,
  );
  return box;
}
