/**
 * What a page says, in both languages, when something fails: one sentence for every problem code
 * the service can answer with (typed against the API contract's catalogue, so a code added there
 * does not compile here until it has its sentence) and for the failures that happen in the
 * browser itself. Pages with more specific wording (the citizen, staff and authority pages) put
 * theirs first and fall back to these.
 *
 * Pure data: unit tests read it in Node.
 */
import type { ProblemCode } from "@lintel/contract";
import type { Bi } from "./i18n.ts";

export const SERVICE_PROBLEM_TEXT: Readonly<Record<ProblemCode, Bi>> = {
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
    en: "Give the licence number and upload the licence and the floor plan before submitting.",
    zh: "提交前请填写营业执照号码，并上传营业执照和平面图。",
  },
  "licence-registered": {
    en: "This licence number is already registered; contact the registry.",
    zh: "此营业执照号码已登记，请联系登记机构。",
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
  "log-unavailable": {
    en: "The transparency log is unavailable; nothing was changed. Try again later.",
    zh: "透明日志暂不可用，未做任何更改，请稍后重试。",
  },
  "method-not-allowed": {
    en: "This page asked the service for something it does not offer. Reload the page.",
    zh: "本页面向服务请求了不支持的操作，请刷新页面。",
  },
  "malformed-json": {
    en: "The service could not read what this page sent. Reload the page and try again.",
    zh: "服务无法读取本页面发送的内容，请刷新页面后重试。",
  },
  "unsupported-media-type": {
    en: "The service could not read what this page sent. Reload the page and try again.",
    zh: "服务无法读取本页面发送的内容，请刷新页面后重试。",
  },
  "unknown-code": {
    en: "No entrance has this code. Check it and try again.",
    zh: "没有入口使用此场所码，请核对后重试。",
  },
  "code-replaced": {
    en: "This code was replaced. Use the new poster at the entrance.",
    zh: "此场所码已更换，请使用入口处的新海报。",
  },
  "invalid-code": {
    en: "This is not a genuine venue code.",
    zh: "这不是真实的场所码。",
  },
  "code-expired": {
    en: "This code is out of date. Use the current poster at the entrance.",
    zh: "此场所码已过期，请使用入口处的最新海报。",
  },
  "venue-closed": {
    en: "This entrance is not taking check-ins: it was closed, or the venue is not approved.",
    zh: "此入口暂不接受登记：入口已关闭，或场所未获批准。",
  },
  "bad-deadline": {
    en: "The deadline must be at least one hour and at most 180 days from now.",
    zh: "整改期限须在一小时之后、180 天之内。",
  },
  "venue-suspended": {
    en: "The registry has suspended this venue, so its codes check nobody in for now. Nothing was stored. If the venue is open, please report it.",
    zh: "登记机关已暂停此场所，其场所码暂不能登记。未保存任何信息。如该场所仍在营业，请举报。",
  },
  "bad-inspection-date": {
    en: "Type the day of the inspection: today or a day in the last year.",
    zh: "请输入检查日期：今天或过去一年内的某一天。",
  },
  "too-many-photos": {
    en: "This inspection already has four photos.",
    zh: "此次检查已有四张照片。",
  },
  "bad-request-scope": {
    en: "The authority cannot take this request: choose your own entrances and a past window of whole hours, no longer than allowed.",
    zh: "无法受理此申请：请选择本场所的入口，以及过去的整点时段，且不超过允许的时长。",
  },
  "bad-release-key": {
    en: "This device could not attach the key for contact data, or the deployment does not grant contact data. Reload the page and file again.",
    zh: "本设备未能附上用于联系信息的密钥，或本部署不提供联系信息。请刷新页面后重新提交。",
  },
  "bad-release": {
    en: "A release is not the one the log recorded for this request. Fetch the releases again.",
    zh: "有一份释放与日志为本申请记录的不符。请重新获取释放。",
  },
  "request-pending": {
    en: "This venue already has a request awaiting the authority's decision. Wait for it before filing another.",
    zh: "本场所已有一项申请正在等待主管部门决定，请等其有结果后再提交。",
  },
  "entrance-retired": {
    en: "This entrance was closed for good, so its code checks nobody in. Nothing was stored. Ask the venue's staff where to check in.",
    zh: "此入口已永久关闭，其场所码不能登记。未保存任何信息。请询问场所工作人员在哪里登记。",
  },
  "amendment-pending": {
    en: "This venue already has an amendment waiting for the registry's decision. Wait for it, then propose again.",
    zh: "此场所已有一项变更在等待登记机关决定。请等待决定后再提出。",
  },
  "trustee-required": {
    en: "This trustee cannot be removed: every check-in is encrypted to it, so no query could be answered without it.",
    zh: "无法移除此受托方：每条登记记录都加密给它，没有它将无法答复任何查询。",
  },
  "unknown-entrance": {
    en: "The amendment names an entrance that is not one of this venue's. Reload the page.",
    zh: "变更中有不属于此场所的入口。请刷新页面。",
  },
  "bad-amendment": {
    en: "This amendment is not possible: it changes nothing, names an entrance twice, points to a closed entrance, or leaves the venue without an open entrance.",
    zh: "此变更无法进行：没有任何改动、同一入口出现两次、指向已关闭的入口，或会使场所没有开放的入口。",
  },
  "manual-code-typo": {
    en: "That manual code has a typo. Check each character and type it again.",
    zh: "手动登记码有误，请逐个核对后重新输入。",
  },
  unauthenticated: {
    en: "This needs a signed-in device. Sign in again.",
    zh: "此操作需要已登录的设备，请重新登录。",
  },
  "wrong-audience": {
    en: "The request was made for another service. Reload the page and try again.",
    zh: "该请求是为其他服务生成的，请刷新页面后重试。",
  },
  "statement-replayed": {
    en: "The same request was sent twice and refused the second time. Try again.",
    zh: "同一请求被重复发送，第二次已被拒绝。请重试。",
  },
  "bad-slots": {
    en: "This check-in waited too long to be sent and was refused. Check in again.",
    zh: "此登记等待发送的时间过长，已被拒绝。请重新登记。",
  },
  "kiosk-code-stale": {
    en: "The code on the kiosk screen has changed. Scan it again.",
    zh: "自助机屏幕上的场所码已更新，请重新扫描。",
  },
  "kiosk-code-required": {
    en: "This entrance checks people in only with the changing code on its kiosk screen.",
    zh: "此入口只能扫描自助机屏幕上的动态码登记。",
  },
  "entrance-full": {
    en: "This entrance has taken as many check-ins this hour as it may. Ask staff.",
    zh: "此入口本小时的登记数量已达上限，请询问工作人员。",
  },
  "idempotency-conflict": {
    en: "This check-in clashed with an earlier one. Try again.",
    zh: "此登记与之前的登记冲突，请重试。",
  },
  "duplicate-checkin": {
    en: "This check-in was already stored once.",
    zh: "此登记已保存过一次。",
  },
  "storage-unavailable": {
    en: "The service could not store this just now; nothing was saved. Try again in a minute.",
    zh: "服务暂时无法保存，未保存任何内容。请稍后重试。",
  },
  "log-policy-violation": {
    en: "The transparency log's rules refused this; nothing was changed.",
    zh: "透明日志的规则拒绝了此操作，未做任何更改。",
  },
  "bad-entry": {
    en: "The transparency log refused this entry; nothing was changed.",
    zh: "透明日志拒绝了此条目，未做任何更改。",
  },
  "same-officer": {
    en: "A second officer, signed in on another account, must approve this.",
    zh: "须由另一账户登录的第二名工作人员批准。",
  },
  "draft-not-pending": {
    en: "This query was already approved and is in the log.",
    zh: "此查询已获批准并记入日志。",
  },
  "draft-expired": {
    en: "This query draft is too old to approve. File it again.",
    zh: "此查询草稿已过期，无法批准。请重新提交。",
  },
  "entry-mismatch": {
    en: "What was approved is not the query that was filed; nothing was logged.",
    zh: "批准的内容与提交的查询不一致，未记入日志。",
  },
  "query-not-logged": {
    en: "No logged query has this reference.",
    zh: "没有与此编号对应的已记录查询。",
  },
  "out-of-scope": {
    en: "That entrance or hour is not one the logged query names.",
    zh: "该入口或时段不在已记录查询的范围内。",
  },
  "not-an-officer": {
    en: "This key is not an enrolled officer's.",
    zh: "此密钥不属于已登记的工作人员。",
  },
  "bad-proof": {
    en: "A proof that came with this was refused; nothing was changed.",
    zh: "随附的证明未通过验证，未做任何更改。",
  },
  "log-inconsistent": {
    en: "The transparency log answered inconsistently. Stop and tell the auditors.",
    zh: "透明日志的回答前后不一致。请停止操作并通知审计方。",
  },
  "database-unavailable": {
    en: "The service's database is unavailable just now; nothing was saved. Try again later.",
    zh: "服务的数据库暂不可用，未保存任何内容。请稍后重试。",
  },
  misconfigured: {
    en: "The service is not set up correctly. Tell its operators.",
    zh: "服务配置有误，请告知服务运营方。",
  },
  internal: {
    en: "The service failed; nothing may have been saved. Try again.",
    zh: "服务出错，可能未保存任何内容，请重试。",
  },
};

/** Failures in this browser, not answers of the service (client-sdk's and the pages' own codes). */
export const CLIENT_PROBLEM_TEXT: Readonly<Record<string, Bi>> = {
  network: {
    en: "The service could not be reached. Check the connection and try again.",
    zh: "无法连接服务，请检查网络后重试。",
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
};

/** When no sentence names the code: says what is safe to assume. */
export const FALLBACK_PROBLEM_TEXT: Bi = {
  en: "Something went wrong. Nothing may have been saved; try again.",
  zh: "出现错误，可能未保存任何内容，请重试。",
};

/** The sentence for `code`, from the service's catalogue or the browser's own failures. */
export function problemText(code: string): Bi {
  return (
    (SERVICE_PROBLEM_TEXT as Readonly<Record<string, Bi>>)[code] ??
    CLIENT_PROBLEM_TEXT[code] ??
    FALLBACK_PROBLEM_TEXT
  );
}
