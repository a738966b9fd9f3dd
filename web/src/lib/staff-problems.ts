/**
 * Messages for what can go wrong at the door, on the kiosk and when making a card, by stable
 * problem code, in both languages. Codes not listed here fall back to the shared messages of
 * problems.ts. As there, the service's own `detail` follows the sentence (it never holds personal
 * data); for failures found on this device the detail is left out when it could echo what was
 * typed.
 */
import { LintelError } from "@lintel/client-sdk";
import type { Bi } from "./i18n.ts";
import { bi } from "./i18n.ts";
import { problemCode, problemNodes, sentenceNode, serviceDetail } from "./problems.ts";

const MESSAGES: Readonly<Record<string, Bi>> = {
  "bad-slots": {
    en: "Refused: a paper-list row must be from the last 24 hours, and no check-in can start in the future.",
    zh: "已拒绝：纸质登记表的记录必须在过去 24 小时内，且登记时间不能晚于现在。",
  },
  forbidden: {
    en: "This staff account may not check people in at this entrance.",
    zh: "此工作人员账户无权在该入口为他人登记。",
  },
  "unknown-key": {
    en: "This card was made for another deployment or an older health-authority key. Make a new card at /card/.",
    zh: "此登记卡属于其他部署或旧的卫生部门密钥，请在 /card/ 重新制作登记卡。",
  },
  "bad-encoding": {
    en: "This is not a citizen card. Scan the card's QR code again, or type its text exactly.",
    zh: "这不是登记卡。请重新扫描登记卡二维码，或准确输入卡上的文字。",
  },
  "contact-incomplete": {
    en: "This venue asks for an ID number. Enter it.",
    zh: "本场所要求填写证件号码，请填写。",
  },
  "deployment-incomplete": {
    en: "This service is not fully set up (a key is missing). Nothing was sent. Tell the venue operator.",
    zh: "本服务尚未完成配置（缺少密钥），未发送任何内容。请告知场所经营者。",
  },
  "no-epoch-key": {
    en: "There is no encryption key for that day. Nothing was sent.",
    zh: "该日期没有加密密钥，未发送任何内容。",
  },
  "code-replaced": {
    en: "This entrance's code was replaced. Reload the page to use the new one.",
    zh: "该入口的场所码已更换，请刷新页面以使用新码。",
  },
  "code-expired": {
    en: "This entrance's code has expired. Ask the venue operator for a new one.",
    zh: "该入口的场所码已过期，请联系场所经营者更换。",
  },
  "venue-closed": {
    en: "This venue is not open for check-ins.",
    zh: "该场所目前不接受登记。",
  },
  "entrance-full": {
    en: "This entrance took its maximum of check-ins for this hour. Try again later.",
    zh: "该入口本小时的登记数已达上限，请稍后再试。",
  },
  "idempotency-conflict": {
    en: "This check-in clashed with another one. Try again.",
    zh: "此次登记与另一次登记冲突，请重试。",
  },
  "card-already-scanned": {
    en: "This card was checked in here less than a minute ago. It is not checked in twice.",
    zh: "此登记卡不到一分钟前已在此登记，不会重复登记。",
  },
  "duplicate-checkin": {
    en: "This check-in was already stored. Nothing was stored twice.",
    zh: "此次登记已保存，不会重复保存。",
  },
  "bad-receipt": {
    en: "The service's receipt did not match what was sent, so the check-in was withdrawn. Try again.",
    zh: "服务返回的回执与发送内容不符，登记已撤回，请重试。",
  },
  "invalid-code": {
    en: "This entrance's code is not valid. Tell the venue operator.",
    zh: "该入口的场所码无效，请告知场所经营者。",
  },
  "unknown-code": {
    en: "This entrance has no code. Tell the venue operator.",
    zh: "该入口没有场所码，请告知场所经营者。",
  },
  "bad-signature": {
    en: "This entrance's code is not signed by the registry. Do not use it; tell the venue operator.",
    zh: "该入口的场所码未经登记机构签名，请勿使用，并告知场所经营者。",
  },
  "storage-unavailable": {
    en: "The service could not store the check-in just now. Nothing was stored; try again.",
    zh: "服务暂时无法保存登记，未保存任何内容，请重试。",
  },
  "camera-unavailable": {
    en: "No camera could be started. Type or paste the card's text instead.",
    zh: "无法启动摄像头，请改为输入或粘贴登记卡上的文字。",
  },
  "camera-denied": {
    en: "The camera was not allowed. Allow it in the browser's site settings, or type the card's text.",
    zh: "摄像头未获授权。请在浏览器网站设置中允许，或改为输入登记卡上的文字。",
  },
  "card-not-made": {
    en: "The card could not be made. Check the details and try again.",
    zh: "无法制作登记卡，请检查信息后重试。",
  },
};

/**
 * Codes raised on this device while reading what was typed: their detail text may quote the
 * input, so only the sentence is shown.
 */
const LOCAL_ONLY = new Set([
  "bad-encoding",
  "bad-text",
  "bad-value",
  "field-too-long",
  "truncated",
  "trailing-bytes",
  "bad-length",
  "unknown-type",
  "unknown-version",
]);

/** The nodes of an error message, preferring this module's sentences. */
export function staffProblemNodes(e: unknown): Node[] {
  const code = problemCode(e);
  const text = MESSAGES[code];
  if (!text) {
    if (e instanceof LintelError && LOCAL_ONLY.has(code)) {
      const p = document.createElement("p");
      p.append(
        bi("Some details are not valid. Check them and try again.", "部分信息无效，请检查后重试。"),
      );
      return [p];
    }
    return problemNodes(e);
  }
  const nodes: Node[] = [sentenceNode(code, text)];
  if (!LOCAL_ONLY.has(code)) nodes.push(...serviceDetail(e, text));
  return nodes;
}

export function showStaffProblem(region: HTMLElement, e: unknown): void {
  region.replaceChildren(...staffProblemNodes(e));
}
