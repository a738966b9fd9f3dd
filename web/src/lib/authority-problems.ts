/**
 * Messages for what can go wrong on the health authority's console, by stable problem code, in
 * both languages. Codes not listed fall back to the shared messages of problems.ts. The service's
 * and the SDK's `detail` text follows the sentence: for queries it names rules and holders (a
 * trustee, the log), never anyone's personal data.
 */
import { LintelError } from "@lintel/client-sdk";
import type { Bi } from "./i18n.ts";
import { problemCode, problemNodes, sentenceNode, serviceDetail } from "./problems.ts";

const MESSAGES: Readonly<Record<string, Bi>> = {
  "same-officer": {
    en: "You filed or already approved this. A second officer, from another account, must approve it.",
    zh: "此项由您提交或已由您批准，必须由另一账户的第二名人员批准。",
  },
  "draft-not-pending": {
    en: "This draft is no longer waiting for approval. Reload the list.",
    zh: "此草稿已不在待批准状态，请刷新列表。",
  },
  "draft-expired": {
    en: "This draft waited too long for approval and the log would refuse it. File the query again.",
    zh: "此草稿等待批准超时，日志将拒绝它。请重新提交查询。",
  },
  "checks-required": {
    en: "Before approving, type the case reference from your file and choose your copy of the legal document.",
    zh: "批准前，请输入您卷宗中的案件编号并选择您持有的法律文书副本。",
  },
  "check-mismatch": {
    en: "Your case reference or legal document does not match the draft's. Do not approve it.",
    zh: "您的案件编号或法律文书与草稿不一致。请勿批准。",
  },
  "entry-mismatch": {
    en: "The approval did not match the draft as filed. Reload the list and review it again.",
    zh: "批准内容与提交的草稿不符，请刷新列表并重新审核。",
  },
  "bad-entry": {
    en: "The service refused the query: a rule of the deployment is broken.",
    zh: "服务拒绝了此查询：违反了部署的规则。",
  },
  "log-policy-violation": {
    en: "The transparency log refused the query under its policy.",
    zh: "透明日志依据其策略拒绝了此查询。",
  },
  "query-not-logged": {
    en: "This query is not in the transparency log, so nothing can be released for it.",
    zh: "此查询不在透明日志中，因此无法为其发布任何密钥。",
  },
  "out-of-scope": {
    en: "That entrance or hour is outside the query.",
    zh: "该入口或时段不在查询范围内。",
  },
  "not-an-officer": {
    en: "A trustee does not know this device as an officer's. Its enrolment may not be in the log yet; try again shortly.",
    zh: "受托方不认可本设备为卫生部门人员设备。其登记可能尚未写入日志，请稍后重试。",
  },
  "no-release-key": {
    en: "Only the device that filed this query holds its release key: decrypt it there.",
    zh: "只有提交此查询的设备持有其发布密钥，请在该设备上解密。",
  },
  "wrong-audience": {
    en: "A key holder refused a request signed for another holder. Update this console and try again.",
    zh: "某密钥持有方拒绝了为其他持有方签署的请求。请更新本控制台后重试。",
  },
  "bad-proof": {
    en: "The log's proof for this query did not verify. Do not rely on this service; report it.",
    zh: "此查询的日志证明未通过验证。请勿信任此服务，并上报。",
  },
  "no-quorum": {
    en: "The witnesses have not yet cosigned the log's checkpoint. Try again in a minute.",
    zh: "见证方尚未共同签署日志检查点，请一分钟后重试。",
  },
  "bad-release": {
    en: "A key holder's release is wrong: nothing was decrypted. Report the holder named below.",
    zh: "某密钥持有方的发布有误，未解密任何内容。请上报下方所列持有方。",
  },
  "bad-partial-key": {
    en: "A key holder released a key that does not verify: nothing was decrypted. Report the holder named below.",
    zh: "某密钥持有方发布的密钥未通过验证，未解密任何内容。请上报下方所列持有方。",
  },
  "log-inconsistent": {
    en: "The transparency log is inconsistent with what was seen before. Releases are halted; report it.",
    zh: "透明日志与此前所见不一致，发布已暂停，请上报。",
  },
  "release-not-logged": {
    en: "A key holder released keys without logging the release: nothing was decrypted. Report the holder named below.",
    zh: "某密钥持有方发布密钥但未记录到日志，未解密任何内容。请上报下方所列持有方。",
  },
  "log-unverified": {
    en: "The transparency log did not verify on this device. Nothing was decrypted; report it.",
    zh: "透明日志未在本设备通过验证，未解密任何内容，请上报。",
  },
  "untrusted-deployment": {
    en: "The deployment record is not signed by the registry. Do not use this service; report it.",
    zh: "部署记录未经登记机构签名。请勿使用此服务，并上报。",
  },
  "deployment-incomplete": {
    en: "This service is not fully set up (a key or a trustee address is missing).",
    zh: "本服务尚未完成配置（缺少密钥或受托方地址）。",
  },
  "decrypt-failed": {
    en: "Decryption failed on this device. Reload the page and try again.",
    zh: "本设备解密失败，请刷新页面后重试。",
  },
  "decrypt-thread-failed": {
    en: "A decryption worker of this page stopped. Reload the page and try again.",
    zh: "本页面的解密线程已停止，请刷新页面后重试。",
  },
  "bad-box-key": {
    en: "The authority key is not a 32-byte key in base64url (or a 32-byte key file).",
    zh: "卫生部门密钥不是 base64url 格式的 32 字节密钥（或 32 字节的密钥文件）。",
  },
  "bad-value": {
    en: "Some fields are not valid. Check them and try again.",
    zh: "部分字段无效，请检查后重试。",
  },
  "rate-limited": {
    en: "A key holder refused: too many requests. Wait a minute and try again.",
    zh: "密钥持有方拒绝：请求过多。请等待一分钟后重试。",
  },
};

/** A trustee at another origin that this page could not reach (CSP connect-src, CORS, down). */
const TRUSTEE_UNREACHABLE: Bi = {
  en: "A trustee could not be reached from this browser. Nothing was decrypted.",
  zh: "本浏览器无法连接某受托方，未解密任何内容。",
};

export function authorityProblemNodes(e: unknown): Node[] {
  const code = problemCode(e);
  const trusteeDown = code === "network" && e instanceof LintelError && /^Trustee /.test(e.message);
  const text = trusteeDown ? TRUSTEE_UNREACHABLE : MESSAGES[code];
  if (!text) return problemNodes(e);
  const nodes: Node[] = [sentenceNode(code, text), ...serviceDetail(e, text)];
  return nodes;
}

export function showAuthorityProblem(region: HTMLElement, e: unknown): void {
  region.replaceChildren(...authorityProblemNodes(e));
}
