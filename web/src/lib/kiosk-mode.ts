/**
 * What kiosk mode means, said the same way on the operator page and on the kiosk screen. The
 * words follow the service's rule (routes/checkins.ts): with kiosk mode on, a person's device
 * checks in at that entrance only with the screen's rotating suffix, which the service takes for
 * the step it was made in and the steps either side; with it off, the bare poster code checks in
 * too — and a photo of the screen, with its rotating part cut off, is exactly that code.
 */
import { KIOSK_STEP_SECONDS, KIOSK_WINDOW_STEPS } from "@lintel/protocol";
import type { Bi } from "./i18n.ts";

/** The longest a photo of the screen keeps working while kiosk mode is on, in seconds. */
export const PHOTO_LIFETIME_SECONDS = (KIOSK_WINDOW_STEPS + 1) * KIOSK_STEP_SECONDS;

/** For the operator: what the entrance takes now. */
export function kioskModeState(required: boolean): Bi {
  return required
    ? {
        en: `Kiosk mode is on. The printed posters at this entrance no longer check anyone in: people's phones check in here only with the changing code on the kiosk screen, and a photo of the screen stops working within ${PHOTO_LIFETIME_SECONDS} seconds. Staff can still check people in by hand.`,
        zh: `自助机模式已开启。此入口张贴的海报不再能登记：手机只能用自助机屏幕上的动态码在此登记，屏幕照片在 ${PHOTO_LIFETIME_SECONDS} 秒内失效。工作人员仍可代为登记。`,
      }
    : {
        en: "Kiosk mode is off. The printed poster checks people in at this entrance, and so does a photo of it, from anywhere, at any time — as does a photo of a kiosk screen with its changing part cut off.",
        zh: "自助机模式已关闭。此入口的海报可以登记，海报的照片在任何地点、任何时间也可以登记；截去动态部分的自助机屏幕照片同样可以。",
      };
}

/** For people in front of a kiosk screen: what a photo of it can do. */
export function kioskScreenNote(required: boolean): Bi {
  return required
    ? {
        en: `The code changes every ${KIOSK_STEP_SECONDS} seconds; a photo of it stops working within ${PHOTO_LIFETIME_SECONDS} seconds. Only this screen checks you in here.`,
        zh: `登记码每 ${KIOSK_STEP_SECONDS} 秒更新，照片在 ${PHOTO_LIFETIME_SECONDS} 秒内失效。此入口只能扫描本屏幕登记。`,
      }
    : {
        en: `The code changes every ${KIOSK_STEP_SECONDS} seconds. The printed poster at this entrance checks you in too.`,
        zh: `登记码每 ${KIOSK_STEP_SECONDS} 秒更新。也可以扫描此入口张贴的海报登记。`,
      };
}

/** For the operator beside a running kiosk whose entrance still takes the poster. */
export const KIOSK_MODE_OFF_WARNING: Bi = {
  en: "Kiosk mode is off for this entrance: its printed poster still checks people in, and so does any photo of it. To make only this screen's changing code work, turn kiosk mode on in the entrance's kiosk set-up on the operator page.",
  zh: "此入口的自助机模式已关闭：张贴的海报及其任何照片仍可登记。若要只让本屏幕的动态码有效，请在经营者页面该入口的自助机设置中开启自助机模式。",
};
