/**
 * What the citizen pages say when something goes wrong, in both languages: the venue code's own
 * refusals (checked on this phone or by the service), the camera's, the encryption keys' and the
 * check-in's. Anything not listed here falls back to the shared catalogue (problems.ts), which
 * also shows the service's `detail` text (never personal data).
 */
import { LintelError } from "@lintel/client-sdk";
import type { Bi } from "./i18n.ts";
import { problemNodes, sentenceNode } from "./problems.ts";

/** The poster's code was replaced: one fixed sentence in both languages (the e2e test checks it). */
export const CODE_REPLACED: Bi = {
  en: "This poster's code was replaced — scan the new poster at the entrance.",
  zh: "此海报的场所码已更换——请扫描入口处的新海报。",
};

const MESSAGES: Readonly<Record<string, Bi>> = {
  "code-replaced": CODE_REPLACED,
  "code-expired": {
    en: "This poster's code is out of date. Scan the current poster at the entrance or ask staff.",
    zh: "此海报的场所码已过期。请扫描入口处的最新海报或询问工作人员。",
  },
  expired: {
    en: "This poster's code is out of date. Scan the current poster at the entrance or ask staff.",
    zh: "此海报的场所码已过期。请扫描入口处的最新海报或询问工作人员。",
  },
  "not-yet-valid": {
    en: "This code is not valid yet. Check the date and time on this phone.",
    zh: "此场所码尚未生效。请检查本机的日期和时间。",
  },
  "invalid-code": {
    en: "This is not a genuine venue code. Do not check in with it; tell staff or report it.",
    zh: "这不是真实的场所码。请勿用它登记，请告知工作人员或举报。",
  },
  "bad-signature": {
    en: "This is not a genuine venue code. Do not check in with it; tell staff or report it.",
    zh: "这不是真实的场所码。请勿用它登记，请告知工作人员或举报。",
  },
  "unknown-key": {
    en: "This code belongs to another check-in service, not this one.",
    zh: "此场所码属于其他登记服务，不属于本服务。",
  },
  "unknown-code": {
    en: "No entrance has this code. Check it and try again, or ask staff.",
    zh: "没有入口使用此场所码。请核对后重试，或询问工作人员。",
  },
  "venue-closed": {
    en: "This venue is not taking check-ins at the moment.",
    zh: "此场所目前不接受登记。",
  },
  "kiosk-code-required": {
    en: "This entrance checks people in only with the changing code on its kiosk screen: the poster, or a photo, does not work here. Scan the screen.",
    zh: "此入口只能扫描自助机屏幕上的动态码登记，海报或照片在此无效。请扫描屏幕。",
  },
  "kiosk-code-stale": {
    en: "The code on the screen has changed. Scan it again.",
    zh: "屏幕上的场所码已更新，请重新扫描。",
  },
  "bad-encoding": {
    en: "This is not a venue code. Scan the code on the entrance poster, or type its manual code.",
    zh: "这不是场所码。请扫描入口海报上的二维码，或输入手动登记码。",
  },
  "bad-length": {
    en: "This is not a venue code. Scan the code on the entrance poster, or type its manual code.",
    zh: "这不是场所码。请扫描入口海报上的二维码，或输入手动登记码。",
  },
  "bad-check-character": {
    en: "That manual code has a typo. Check each character and type it again.",
    zh: "手动登记码有误，请逐个核对后重新输入。",
  },
  "manual-code-mismatch": {
    en: "The service answered with another code than the one typed. Do not check in; try again later.",
    zh: "服务返回的场所码与输入的不符。请勿登记，稍后再试。",
  },
  "not-found": {
    en: "No entrance has this manual code. Check it and type it again.",
    zh: "没有入口使用此手动登记码，请核对后重新输入。",
  },
  "no-epoch-key": {
    en: "The encryption keys for today are not published yet. Try again later.",
    zh: "今天的加密密钥尚未发布，请稍后再试。",
  },
  "deployment-incomplete": {
    en: "This service cannot take check-ins yet: its keys are incomplete.",
    zh: "本服务的密钥不完整，暂时无法登记。",
  },
  "untrusted-trustee-key": {
    en: "A key of this service failed its check on this phone. Do not check in here.",
    zh: "本服务的一个密钥未通过本机验证，请勿在此登记。",
  },
  "contact-incomplete": {
    en: "This venue asks for an ID number.",
    zh: "此场所要求填写证件号码。",
  },
  "bad-slots": {
    en: "This check-in waited too long to be sent and was refused. Scan the code again.",
    zh: "此登记等待发送的时间过长，已被拒绝。请重新扫描。",
  },
  "bad-receipt": {
    en: "The service's confirmation did not match what this phone sent, so it was not accepted. Try again.",
    zh: "服务的确认与本机发送的内容不符，未被接受。请重试。",
  },
  "idempotency-conflict": {
    en: "This check-in clashed with an earlier one. Scan the code again.",
    zh: "此登记与之前的登记冲突，请重新扫描。",
  },
  "duplicate-checkin": {
    en: "This check-in was already stored once. Scan the code again for a new one.",
    zh: "此登记已保存过一次。如需重新登记，请再次扫描。",
  },
  storage: {
    en: "This browser's storage failed. Close other tabs of this page and try again.",
    zh: "浏览器存储失败，请关闭此页面的其他标签页后重试。",
  },
  "storage-unavailable": {
    en: "This browser cannot keep your visits (private browsing?). Use a normal window.",
    zh: "此浏览器无法保存您的登记（是否为无痕模式？），请使用普通窗口。",
  },
  "camera-denied": {
    en: "The camera was not allowed. Allow it in the browser's settings, or type the manual code below.",
    zh: "未获准使用摄像头。请在浏览器设置中允许，或在下方输入手动登记码。",
  },
  "camera-missing": {
    en: "No camera was found. Type the manual code printed under the QR code.",
    zh: "未找到摄像头。请输入二维码下方印的手动登记码。",
  },
  "camera-unavailable": {
    en: "The camera could not be started. Close other apps that use it, or type the manual code.",
    zh: "无法启动摄像头。请关闭正在使用摄像头的其他应用，或输入手动登记码。",
  },
};

/** The bilingual sentence for a failure code, if the citizen pages have one. */
export function citizenMessage(code: string): Bi | undefined {
  return MESSAGES[code];
}

/** Error nodes for the citizen pages: our sentence where we have one, else the shared catalogue. */
export function citizenProblemNodes(e: unknown): Node[] {
  const code = e instanceof LintelError ? e.code : "unknown";
  if (e instanceof LintelError && code === "entrance-retired") return [retiredNode(e)];
  const text = MESSAGES[code];
  if (!text) return problemNodes(e);
  return [sentenceNode(code, text)];
}

/** Shows a failure in an alert region (role="alert"), replacing what was there. */
export function showCitizenProblem(region: HTMLElement, e: unknown): void {
  region.replaceChildren(...citizenProblemNodes(e));
}

/**
 * A retired entrance's code: the entrance to scan instead, named in the reader's language (the
 * service sends both names), or, when the venue named none, ask its staff.
 */
function retiredNode(e: LintelError): HTMLParagraphElement {
  const instead = e.scanInstead;
  if (!instead) {
    return sentenceNode("entrance-retired", {
      en: "This entrance is closed for good, so its code checks nobody in. Nothing was stored. Ask the venue's staff where to check in.",
      zh: "此入口已永久关闭，其场所码不能登记。未保存任何信息。请询问场所工作人员在哪里登记。",
    });
  }
  const node = sentenceNode("entrance-retired", {
    en: `This entrance is closed for good, so its code checks nobody in. Nothing was stored. Scan the code at the entrance “${instead.name.en}” instead.`,
    zh: `此入口已永久关闭，其场所码不能登记。未保存任何信息。请改为扫描“${instead.name.zh}”入口的场所码。`,
  });
  node.dataset.scanInstead = instead.entranceId;
  return node;
}
