/**
 * The operator page's devices of the signed-in account: every browser that signs in as it (this
 * one marked), signing one out, and a one-time code (valid for an hour) that enrols another
 * browser as a full operator device — typed into that browser's operator page sign-in form.
 */
import { accountRoutes, type RouteAnswer } from "@lintel/contract";
import { el, replaceChildren } from "./dom.ts";
import { bi } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  formatTime,
  heading,
  onActivate,
  paragraph,
} from "./ui.ts";

type Device = RouteAnswer<typeof accountRoutes.listDevices>["devices"][number];

/** Renders the account's devices into `section` (again after every change). */
export async function renderAccountDevices(
  page: SignedPage,
  section: HTMLElement,
  created?: HTMLElement,
): Promise<void> {
  const error = errorRegion("devices-error");
  const list = el("ul", { class: "plain items", id: "device-list" });
  const add = button(
    { en: "Add another device", zh: "添加其他设备" },
    { id: "add-device", class: "secondary", "aria-describedby": error.id },
  );
  onActivate(add, async () => {
    clearRegion(error);
    try {
      const code = await callSigned(page, accountRoutes.newDeviceCode);
      const box = codeBox(page, code, () => {
        box.remove();
        document.getElementById("add-device")?.focus();
      });
      await renderAccountDevices(page, section, box);
      announce({ en: "Device code made.", zh: "设备登记码已生成。" });
      box.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  replaceChildren(
    section,
    heading(2, { en: "Your devices", zh: "您的设备" }, { id: "devices-heading", tabindex: "-1" }),
    paragraph(
      "Every browser signed in as this account. To work from another computer or phone, add it with a one-time code; sign out any you no longer use or have lost.",
      "以此账户登录的所有浏览器。如需在其他电脑或手机上使用，请用一次性登记码添加；不再使用或已丢失的设备请退出登录。",
    ),
    error,
    list,
    ...(created ? [created] : []),
    el("div", { class: "actions" }, add),
  );
  try {
    const { devices } = await callSigned(page, accountRoutes.listDevices);
    for (const device of devices.filter((d) => d.revokedAt === null)) {
      list.append(deviceItem(page, section, device, error));
    }
  } catch (e) {
    page.fail(error, e);
  }
}

function deviceItem(
  page: SignedPage,
  section: HTMLElement,
  device: Device,
  error: HTMLElement,
): HTMLLIElement {
  const tz = page.deployment.timezone;
  const li = el("li", { "data-device": device.id });
  const nameId = `device-name-${device.id}`;
  const added = formatTime(device.createdAt, tz);
  li.append(
    el("strong", { id: nameId }, bi(`Added ${added}`, `添加于 ${added}`)),
    ...(device.current
      ? [" ", el("span", { class: "badge" }, bi("This browser", "本浏览器"))]
      : []),
    el("br"),
    bi(
      `Last active ${formatTime(device.lastUsedAt, tz)}`,
      `最近活动 ${formatTime(device.lastUsedAt, tz)}`,
    ),
  );
  if (!device.current) {
    const signOut = button(
      { en: "Sign out", zh: "退出登录" },
      { class: "secondary", "aria-describedby": nameId, "data-sign-out-device": device.id },
    );
    onActivate(signOut, async () => {
      clearRegion(error);
      const ok = await confirmDialog(
        { en: "Sign this device out?", zh: "让此设备退出登录？" },
        [
          paragraph(
            "It is signed out at once and cannot sign in again without a new code.",
            "该设备将立即退出登录，没有新的登记码便无法再次登录。",
          ),
        ],
        { en: "Sign out", zh: "退出登录" },
      );
      if (!ok) return;
      try {
        await callSigned(page, accountRoutes.signOutDevice, { params: { id: device.id } });
        announce({ en: "Device signed out.", zh: "设备已退出登录。" });
        await renderAccountDevices(page, section);
        document.getElementById("devices-heading")?.focus();
      } catch (e) {
        page.fail(error, e);
      }
    });
    li.append(el("div", { class: "actions" }, signOut));
  }
  return li;
}

function codeBox(
  page: SignedPage,
  code: RouteAnswer<typeof accountRoutes.newDeviceCode>,
  onHide: () => void,
): HTMLElement {
  const box = el("div", { class: "once", id: "device-code-box", tabindex: "-1" });
  const hide = button({ en: "Hide the code", zh: "隐藏登记码" }, { class: "secondary" });
  hide.addEventListener("click", onHide);
  const at = formatTime(code.codeExpiresAt, page.deployment.timezone);
  box.append(
    el("h3", {}, bi("One-time device code", "一次性设备登记码")),
    el("p", {}, el("code", { id: "device-enrolment-code", class: "big-code" }, code.enrolmentCode)),
    paragraph(
      `On the other device, open this operator page and sign in with this code. It gives that browser full access to this account: type it there yourself. It works once and expires at ${at}.`,
      `请在另一台设备上打开本经营者页面，用此码登录。此码让该浏览器完全访问此账户：请亲自输入。只能使用一次，于 ${at} 过期。`,
    ),
    hide,
  );
  return box;
}
