/**
 * Kiosk screens, per entrance: the entrance's kiosk mode (a switch, confirmed before it turns the
 * posters off) and the screens signed in there (operator-kiosks.ts), behind a disclosure button.
 */
import { operatorRoutes } from "@lintel/contract";
import { type ApplicationView, entranceName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi } from "./i18n.ts";
import { kioskModeState, PHOTO_LIFETIME_SECONDS } from "./kiosk-mode.ts";
import type { EntranceCode } from "./operator-entrances.ts";
import { renderKioskDevices } from "./operator-kiosks.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  onActivate,
  paragraph,
} from "./ui.ts";

export function kioskPart(
  page: SignedPage,
  view: ApplicationView,
  code: EntranceCode,
): HTMLElement {
  const box = el("div", { class: "kiosk", "data-kiosk": code.entranceId });
  const panelId = `kiosk-panel-${code.entranceId}`;
  const toggle = button(
    { en: "Kiosk set-up", zh: "自助机设置" },
    { class: "secondary", "aria-expanded": "false", "aria-controls": panelId },
  );
  const panel = el("div", { id: panelId, class: "kiosk-panel" });
  const devicesPart = el("div", { class: "kiosk-devices-part" });
  panel.hidden = true;
  toggle.addEventListener("click", () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      replaceChildren(panel, kioskModePart(page, view, code), devicesPart);
      const door = { venueId: view.id, entranceId: code.entranceId, label: code.label };
      void renderKioskDevices(page, door, devicesPart);
    } else replaceChildren(panel);
  });
  box.append(toggle, panel);
  return box;
}

/**
 * The entrance's kiosk mode, as a switch: on, the poster's bare code is refused here and only
 * the screen's rotating code checks in; turning it on is confirmed first, because every poster
 * at that door stops working at once.
 */
function kioskModePart(page: SignedPage, view: ApplicationView, code: EntranceCode): HTMLElement {
  let required = code.kioskRequired;
  const id = code.entranceId;
  const stateId = `kiosk-mode-state-${id}`;
  const error = errorRegion(`kiosk-mode-error-${id}`);
  const state = el("p", { id: stateId, "data-kiosk-mode-state": id });
  const toggle = button(
    { en: "Kiosk mode: only the screen checks in", zh: "自助机模式：只能扫描屏幕登记" },
    {
      role: "switch",
      class: "secondary",
      "data-kiosk-mode": id,
      "aria-describedby": `${stateId} ${error.id}`,
    },
  );
  const show = () => {
    toggle.setAttribute("aria-checked", String(required));
    const text = kioskModeState(required);
    replaceChildren(state, bi(text.en, text.zh));
    state.className = required ? "note" : "warning";
  };
  show();
  onActivate(toggle, async () => {
    clearRegion(error);
    const next = !required;
    if (next) {
      const ok = await confirmDialog(
        { en: "Turn kiosk mode on?", zh: "开启自助机模式？" },
        [
          el("p", {}, entranceName(code.label)),
          paragraph(
            "The printed posters at this entrance stop working at once: people's phones will check in here only with the changing code on the kiosk screen. Put a running kiosk screen at this door first.",
            "此入口张贴的海报将立即失效：手机只能用自助机屏幕上的动态码在此登记。请先在此入口放置正在运行的自助机屏幕。",
          ),
          paragraph(
            `A photo of the screen stops working within ${PHOTO_LIFETIME_SECONDS} seconds. Staff can still check people in by hand. You can turn kiosk mode off again here.`,
            `屏幕照片在 ${PHOTO_LIFETIME_SECONDS} 秒内失效。工作人员仍可代为登记。您可以随时在此关闭自助机模式。`,
          ),
        ],
        { en: "Turn kiosk mode on", zh: "开启自助机模式" },
      );
      if (!ok) return;
    }
    try {
      const answer = await callSigned(page, operatorRoutes.setKioskMode, {
        params: { id: view.id, eid: id },
        body: { required: next },
      });
      required = answer.kioskRequired;
      show();
      announce(
        required
          ? {
              en: "Kiosk mode is on: posters at this entrance stop working.",
              zh: "自助机模式已开启：此入口的海报已失效。",
            }
          : {
              en: "Kiosk mode is off: the poster checks people in again.",
              zh: "自助机模式已关闭：海报恢复可用。",
            },
      );
      toggle.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return el(
    "div",
    { class: "kiosk-mode" },
    el("h5", {}, bi("Kiosk mode", "自助机模式")),
    state,
    error,
    toggle,
  );
}
