/**
 * The words for venue requests that the operator's, the officer's and the citizen's pages share:
 * reasons, grants and states, each in both languages.
 */
import type { Bi } from "./i18n.ts";

export const REQUEST_REASON_LABELS: Readonly<Record<string, Bi>> = {
  "guest-case": { en: "A guest told us of an infection", zh: "有顾客告知其已感染" },
  "staff-case": { en: "A member of staff was infected", zh: "有工作人员感染" },
  "authority-notice": { en: "The authority told us of a case", zh: "主管部门告知有病例" },
  other: { en: "Another reason", zh: "其他原因" },
};

export const REQUEST_GRANT_LABELS: Readonly<Record<string, Bi>> = {
  warning: {
    en: "a warning sent on your behalf to everyone whose phone holds a visit in those hours (nobody's contact details leave their phone)",
    zh: "代您向手机中存有该时段到访记录的所有人发出提醒（任何人的联系方式都不会离开其手机）",
  },
  counts: {
    en: "your check-ins per entrance and hour in those hours (counts only, never who)",
    zh: "该时段各入口每小时的登记人数（仅人数，不含身份）",
  },
  contacts: {
    en: "the contact details (name and phone) people left when checking in at those entrances in those hours, released by the key holders like a health authority query and opened only on the device that sent the request; check-ins made with a citizen card stay sealed for the health authority. Approval needs as many officers as a health authority query.",
    zh: "该时段在所列入口登记者留下的联系信息（姓名和电话），由密钥持有方按卫生部门查询的方式释放，仅能在提交申请的设备上打开；使用登记卡的登记仍为卫生部门密封保存。须经与卫生部门查询相同人数的人员批准。",
  },
};

export const REQUEST_STATE_LABELS: Readonly<Record<string, Bi>> = {
  pending: { en: "Awaiting the authority", zh: "等待主管部门决定" },
  refused: { en: "Refused", zh: "未获批准" },
  approved: { en: "Approved", zh: "已批准" },
};

export const label = (table: Readonly<Record<string, Bi>>, key: string): Bi =>
  table[key] ?? { en: key, zh: key };
