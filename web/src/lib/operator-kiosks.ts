/**
 * The operator page's kiosk screens of one entrance: the kiosks bound to it, revoking one, and
 * adding one — a one-time kiosk code, typed into /kiosk/ on the screen's browser. The device
 * enrolled with it can only show this entrance's changing code (GET /api/kiosk/screen); it holds
 * no operator rights, so a screen in a public place risks nothing else of the account.
 */
import { kioskRoutes, type RouteAnswer } from "@lintel/contract";
import { KIOSK_STEP_SECONDS } from "@lintel/protocol";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import { PHOTO_LIFETIME_SECONDS } from "./kiosk-mode.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  formatTime,
  onActivate,
  onSubmit,
  paragraph,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

type Kiosk = RouteAnswer<typeof kioskRoutes.listKiosks>["kiosks"][number];

export interface KioskEntrance {
  readonly venueId: string;
  readonly entranceId: string;
  readonly label: Bi;
}

const ABOUT: Bi = {
  en: `A kiosk screen at this entrance shows a code that changes every ${KIOSK_STEP_SECONDS} seconds. With kiosk mode on (above), a photo of it stops working within ${PHOTO_LIFETIME_SECONDS} seconds; with it off, the poster's code works too. Add a screen here, then type its one-time code into the kiosk page (/kiosk/) on the screen's browser: that browser can show this entrance's code and nothing else. Revoke it here when the screen is lost or retired.`,
  zh: `入口处的自助机屏幕显示每 ${KIOSK_STEP_SECONDS} 秒变化的动态码。开启自助机模式（见上）后，屏幕照片在 ${PHOTO_LIFETIME_SECONDS} 秒内失效；关闭时海报上的码同样有效。请在此添加屏幕，再在该屏幕浏览器的自助机页面（/kiosk/）输入其一次性登记码：该浏览器只能显示本入口的登记码，不能做其他事情。屏幕丢失或停用时，请在此撤销。`,
};

/** Renders the entrance's kiosk screens into `panel` (again after every change). */
export async function renderKioskDevices(
  page: SignedPage,
  door: KioskEntrance,
  panel: HTMLElement,
  created?: HTMLElement,
): Promise<void> {
  const id = door.entranceId;
  const error = errorRegion(`kiosk-devices-error-${id}`);
  const list = el("ul", { class: "plain items", id: `kiosk-devices-${id}` });
  replaceChildren(
    panel,
    el(
      "h5",
      { id: `kiosk-devices-heading-${id}`, tabindex: "-1" },
      bi("Kiosk screens", "自助机屏幕"),
    ),
    paragraph(ABOUT.en, ABOUT.zh),
    error,
    list,
    ...(created ? [created] : []),
    addKioskForm(page, door, panel),
  );
  try {
    const { kiosks } = await callSigned(page, kioskRoutes.listKiosks, {
      params: { id: door.venueId },
    });
    const here = kiosks.filter((k) => k.entranceId === id);
    for (const kiosk of here) list.append(kioskItem(page, door, panel, kiosk, error));
    if (here.length === 0)
      list.append(el("li", {}, bi("No kiosk screens yet.", "暂无自助机屏幕。")));
  } catch (e) {
    page.fail(error, e);
  }
}

function kioskItem(
  page: SignedPage,
  door: KioskEntrance,
  panel: HTMLElement,
  kiosk: Kiosk,
  error: HTMLElement,
): HTMLLIElement {
  const li = el("li", { "data-kiosk-device": kiosk.accountId });
  const nameId = `kiosk-name-${kiosk.accountId}`;
  const state = kiosk.revoked
    ? bi("Revoked", "已撤销")
    : kiosk.enrolled
      ? bi("Enrolled", "已登记")
      : bi("Code not used yet", "登记码尚未使用");
  li.append(el("strong", { id: nameId }, kiosk.label), " ", el("span", { class: "badge" }, state));
  if (kiosk.lastSeen) {
    const at = formatTime(kiosk.lastSeen, page.deployment.timezone);
    li.append(el("br"), bi(`Last active ${at}`, `最近活动 ${at}`));
  }
  if (!kiosk.revoked) {
    const revoke = button(
      { en: "Revoke", zh: "撤销" },
      { class: "secondary", "aria-describedby": nameId, "data-revoke-kiosk": kiosk.accountId },
    );
    onActivate(revoke, async () => {
      clearRegion(error);
      const ok = await confirmDialog(
        { en: "Revoke this kiosk screen?", zh: "撤销此自助机屏幕？" },
        [
          el("p", {}, el("strong", {}, kiosk.label)),
          paragraph(
            "It stops showing the code at its next check, and cannot sign in again. Its code, if unused, no longer works.",
            "该屏幕将在下次检查时停止显示登记码，且无法再次登录；未使用的登记码也将失效。",
          ),
        ],
        { en: "Revoke", zh: "撤销" },
      );
      if (!ok) return;
      try {
        await callSigned(page, kioskRoutes.removeKiosk, {
          params: { id: door.venueId, accountId: kiosk.accountId },
        });
        announce({ en: "Kiosk screen revoked.", zh: "自助机屏幕已撤销。" });
        await renderKioskDevices(page, door, panel);
        document.getElementById(`kiosk-devices-heading-${door.entranceId}`)?.focus();
      } catch (e) {
        page.fail(error, e);
      }
    });
    li.append(el("div", { class: "actions" }, revoke));
  }
  return li;
}

function addKioskForm(page: SignedPage, door: KioskEntrance, panel: HTMLElement): HTMLFormElement {
  const id = door.entranceId;
  const form = el("form", { class: "add-kiosk", "data-add-kiosk": id });
  const label = textField(
    `kiosk-label-${id}`,
    { en: "Screen label", zh: "屏幕名称" },
    {
      required: true,
      maxLength: 60,
      autocomplete: "off",
      hint: { en: "For example “Lobby screen”.", zh: "例如“大堂屏幕”。" },
    },
  );
  const error = errorRegion(`add-kiosk-error-${id}`);
  const submit = button(
    { en: "Add a kiosk screen", zh: "添加自助机屏幕" },
    { id: `add-kiosk-${id}`, "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(label.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const value = label.input.value.trim();
    if (value === "") {
      setFieldError(label.input, { en: "Enter a label.", zh: "请输入名称。" });
      showMessage(error, { en: "Enter a label for the screen.", zh: "请输入屏幕名称。" });
      label.input.focus();
      return;
    }
    setFieldError(label.input, null);
    try {
      const made = await callSigned(page, kioskRoutes.addKiosk, {
        params: { id: door.venueId },
        body: { label: value, entranceId: id },
      });
      const box = oneTimeCode(page, made, () => {
        box.remove();
        document.getElementById(`kiosk-label-${id}`)?.focus();
      });
      await renderKioskDevices(page, door, panel, box);
      announce({ en: "Kiosk screen added.", zh: "自助机屏幕已添加。" });
      box.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}

function oneTimeCode(
  page: SignedPage,
  made: RouteAnswer<typeof kioskRoutes.addKiosk>,
  onHide: () => void,
): HTMLElement {
  const box = el("div", { class: "once", tabindex: "-1", "data-kiosk-code-box": made.entranceId });
  const hide = button(
    { en: "I have noted it — hide the code", zh: "已记下，隐藏登记码" },
    { class: "secondary" },
  );
  hide.addEventListener("click", onHide);
  const at = formatTime(made.codeExpiresAt, page.deployment.timezone);
  box.append(
    el("h5", {}, bi("One-time kiosk code", "一次性自助机登记码")),
    el(
      "p",
      {},
      el("strong", {}, made.label),
      ": ",
      el("code", { class: "big-code", "data-kiosk-code": made.entranceId }, made.enrolmentCode),
    ),
    el(
      "p",
      {},
      bi("On the screen's browser, open ", "请在该屏幕的浏览器打开 "),
      el("a", { href: "/kiosk/" }, "/kiosk/"),
      bi(" and type this code.", " 并输入此码。"),
    ),
    paragraph(
      `It is shown only this once, works once, and expires on ${at}.`,
      `此码只显示这一次，只能使用一次，于 ${at} 过期。`,
    ),
    hide,
  );
  return box;
}
