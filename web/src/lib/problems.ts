/**
 * Turning errors into messages people can act on: a bilingual sentence chosen by the stable
 * problem code, then the service's own `detail` text (which never holds personal data) so that
 * nothing the service explained is lost.
 */
import { LintelError } from "@lintel/client-sdk";
import { type Bi, bi } from "./i18n.ts";

const MESSAGES: Readonly<Record<string, Bi>> = {
  network: {
    en: "The service could not be reached. Check the connection and try again.",
    zh: "无法连接服务，请检查网络后重试。",
  },
  "rate-limited": {
    en: "Too many requests from this network. Please wait and try again later.",
    zh: "此网络的请求过多，请稍后再试。",
  },
  "enrolment-code-invalid": {
    en: "This enrolment code is not valid: it is mistyped, already used or expired.",
    zh: "登记码无效：可能输入有误、已被使用或已过期。",
  },
  "session-expired": {
    en: "This device is no longer signed in. Sign in again.",
    zh: "本设备的登录已失效，请重新登录。",
  },
  "bad-statement": {
    en: "This device's sign-in was refused. Sign in again.",
    zh: "本设备的登录被拒绝，请重新登录。",
  },
  "statement-expired": {
    en: "The request was refused because this device's clock is wrong. Correct the clock.",
    zh: "本设备的时钟不准确，请求被拒绝。请校准时钟。",
  },
  forbidden: { en: "This account may not do that.", zh: "此账户无权进行此操作。" },
  "not-found": { en: "That was not found.", zh: "未找到。" },
  "wrong-state": {
    en: "Not possible now: the application changed. Reload it.",
    zh: "当前状态下无法进行此操作，申请已变化，请刷新。",
  },
  "application-incomplete": {
    en: "Upload the licence and the floor plan before submitting.",
    zh: "提交前请上传营业执照和平面图。",
  },
  "unsupported-document": {
    en: "Documents must be PDF, PNG or JPEG files.",
    zh: "文件必须是 PDF、PNG 或 JPEG 格式。",
  },
  "quota-exceeded": {
    en: "Your account keeps as many documents as it may. Replace an existing document instead of adding one.",
    zh: "您的账户存储的文件已达上限。请替换已有文件，而不是新增。",
  },
  "payload-too-large": {
    en: "The file is too large (at most 5 MB).",
    zh: "文件过大（最大 5 MB）。",
  },
  "invalid-body": {
    en: "Some fields are missing or invalid.",
    zh: "部分字段缺失或无效。",
  },
  "code-too-large": {
    en: "The venue or entrance name is too long for a poster's QR code. Shorten it.",
    zh: "场所或入口名称过长，无法放入海报二维码，请缩短。",
  },
  "unknown-venue": {
    en: "That venue or entrance is not an approved one.",
    zh: "该场所或入口未获批准。",
  },
  "key-already-enrolled": {
    en: "This device key is already enrolled. Reload the page.",
    zh: "此设备密钥已登记，请刷新页面。",
  },
  "device-key-unsupported": {
    en: "This browser cannot keep a device key. Use a current Chrome, Firefox or Safari over https.",
    zh: "此浏览器无法保存设备密钥。请通过 https 使用最新版 Chrome、Firefox 或 Safari。",
  },
  "key-storage-unavailable": {
    en: "This browser cannot store keys (private browsing?). Use a normal window.",
    zh: "此浏览器无法保存密钥（是否为无痕模式？），请使用普通窗口。",
  },
  "key-storage": {
    en: "The browser's key storage failed. Close other tabs of this page and retry.",
    zh: "浏览器密钥存储失败，请关闭此页面的其他标签页后重试。",
  },
  "log-unavailable": {
    en: "The transparency log is unavailable; nothing was changed. Try again later.",
    zh: "透明日志暂不可用，未做任何更改，请稍后重试。",
  },
};

const FALLBACK: Bi = {
  en: "Something went wrong. Nothing may have been saved; try again.",
  zh: "出现错误，可能未保存任何内容，请重试。",
};

export function problemCode(e: unknown): string {
  return e instanceof LintelError ? e.code : "unknown";
}

/** How long to wait, in words, for a Retry-After in seconds. */
export function waitText(seconds: number): Bi {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1
    ? { en: "about a minute", zh: "约 1 分钟" }
    : { en: `about ${minutes} minutes`, zh: `约 ${minutes} 分钟` };
}

/** The nodes of an error message: the bilingual sentence, then the service's detail. */
export function problemNodes(e: unknown): Node[] {
  const code = problemCode(e);
  const text = MESSAGES[code] ?? FALLBACK;
  const nodes: Node[] = [];
  const main = document.createElement("p");
  main.append(bi(text.en, text.zh));
  nodes.push(main);
  // The SDK's errors carry the service's Retry-After, whichever way the call was made.
  if (e instanceof LintelError && e.code === "rate-limited" && e.retryAfterSeconds !== undefined) {
    const wait = waitText(e.retryAfterSeconds);
    const p = document.createElement("p");
    p.append(bi(`Try again in ${wait.en}.`, `请在${wait.zh}后重试。`));
    nodes.push(p);
  }
  if (e instanceof LintelError && e.message && MESSAGES[code]?.en !== e.message) {
    const detail = document.createElement("p");
    detail.className = "detail";
    detail.textContent = `${e.message} (${code})`;
    nodes.push(detail);
  }
  // Not a service answer: a bug on this page. Keep it visible to whoever debugs it.
  if (!(e instanceof LintelError)) console.error(e);
  return nodes;
}

/** Errors after which the stored key is of no more use: the page should sign out locally. */
export function endsSession(e: unknown): boolean {
  return (
    e instanceof LintelError &&
    (e.code === "session-expired" || e.code === "bad-statement" || e.code === "unauthenticated")
  );
}
