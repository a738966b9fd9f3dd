/**
 * Text in the language this device shows (language.ts: the deployment's default until the person
 * picks the other). Every string of the pages is written in both languages, as `{ en, zh }` or
 * as two arguments, and these helpers pick one; nothing on a page concatenates the two. Also the
 * fixed vocabularies the API uses (venue categories, statuses, report kinds, replacement reasons,
 * history actions) with their labels in both languages.
 *
 * Importing this module applies the language to the page's shell (applyLanguage), before any page
 * script draws: every page imports it, directly or through ui.ts.
 */
import {
  type ApplicationStatus,
  DOCUMENT_KINDS,
  type DocumentKind,
  OPERATOR_REPLACEMENT_REASONS,
  type ReportKind,
  type ReportStatus,
} from "@lintel/contract";
import {
  type CODE_REPLACEMENT_REASONS,
  type SuspensionReason,
  VENUE_CATEGORIES,
  type VenueCategory,
} from "@lintel/protocol";
import { applyLanguage, language } from "./language.ts";

if (typeof document !== "undefined") applyLanguage();

export interface Bi {
  readonly en: string;
  readonly zh: string;
}

/** The string of the chosen language. */
export function tr(text: Bi): string {
  return language() === "zh" ? text.zh : text.en;
}

/** A label or short text as a node, in the chosen language. */
export function bi(en: string, zh: string): Text {
  return document.createTextNode(tr({ en, zh }));
}

/** Longer text, in the chosen language (the same node as bi: one language needs no layout). */
export function biBlock(en: string, zh: string): Text {
  return bi(en, zh);
}

/** The same as a plain string, where only text fits (options, attributes, file names). */
export function biText(en: string, zh: string): string {
  return tr({ en, zh });
}

export function biOf(label: Bi): Text {
  return bi(label.en, label.zh);
}

export const CATEGORY_LABELS: Readonly<Record<VenueCategory, Bi>> = {
  other: { en: "Other", zh: "其他" },
  restaurant: { en: "Restaurant or café", zh: "餐厅或咖啡馆" },
  shop: { en: "Shop", zh: "商店" },
  library: { en: "Library", zh: "图书馆" },
  gym: { en: "Gym or sports hall", zh: "健身房或体育馆" },
  office: { en: "Office", zh: "办公场所" },
  school: { en: "School", zh: "学校" },
  hospital: { en: "Hospital or clinic", zh: "医院或诊所" },
  transport: { en: "Transport", zh: "交通场所" },
  event: { en: "Event", zh: "活动" },
  worship: { en: "Place of worship", zh: "宗教场所" },
  hotel: { en: "Hotel", zh: "酒店" },
  entertainment: { en: "Entertainment", zh: "娱乐场所" },
};

export const CATEGORIES: readonly VenueCategory[] = VENUE_CATEGORIES;

export function categoryLabel(category: string): Bi {
  return (
    (CATEGORY_LABELS as Record<string, Bi | undefined>)[category] ?? { en: category, zh: category }
  );
}

const STATUS_LABELS: Readonly<Record<ApplicationStatus, Bi>> = {
  draft: { en: "Draft", zh: "草稿" },
  submitted: { en: "Waiting for review", zh: "待审核" },
  rejected: { en: "Changes requested", zh: "需修改" },
  approved: { en: "Approved", zh: "已批准" },
  suspended: { en: "Suspended", zh: "已暂停" },
};

export function statusLabel(status: string): Bi {
  return (STATUS_LABELS as Record<string, Bi | undefined>)[status] ?? { en: status, zh: status };
}

const REPORT_KIND_LABELS: Readonly<Record<ReportKind, Bi>> = {
  "no-code-posted": { en: "No code is posted", zh: "没有张贴场所码" },
  "code-damaged": { en: "The code is damaged", zh: "场所码已损坏" },
  "staff-not-helping": {
    en: "Staff do not help people without a phone",
    zh: "工作人员不帮助没有手机的人",
  },
  "suspected-fake-code": { en: "The code looks fake", zh: "场所码疑似伪造" },
};

export function reportKindLabel(kind: string): Bi {
  return (REPORT_KIND_LABELS as Record<string, Bi | undefined>)[kind] ?? { en: kind, zh: kind };
}

const REPORT_STATUS_LABELS: Readonly<Record<ReportStatus, Bi>> = {
  open: { en: "Open", zh: "待处理" },
  "in-review": { en: "In review", zh: "处理中" },
  closed: { en: "Closed", zh: "已关闭" },
};

export function reportStatusLabel(status: string): Bi {
  return (
    (REPORT_STATUS_LABELS as Record<string, Bi | undefined>)[status] ?? { en: status, zh: status }
  );
}

export type ReplacementReason = (typeof CODE_REPLACEMENT_REASONS)[number];
/** What a person may choose; `amended` is the log's reason after an entrance amendment. */
export const REPLACEMENT_REASONS = OPERATOR_REPLACEMENT_REASONS;

const REASON_LABELS: Readonly<Record<ReplacementReason, Bi>> = {
  damaged: { en: "Poster damaged", zh: "海报损坏" },
  leaked: { en: "Code leaked", zh: "场所码泄露" },
  photographed: { en: "Poster photographed and shared", zh: "海报被拍照传播" },
  other: { en: "Other", zh: "其他" },
  amended: { en: "Entrance changed (amendment approved)", zh: "入口变更（变更已批准）" },
};

/** Why the registry suspended a venue, as the log names it (PROTOCOL.md §10.3). */
const SUSPENSION_LABELS: Readonly<Record<SuspensionReason, Bi>> = {
  "inspection-failed": { en: "Failed an inspection", zh: "检查未通过" },
  "rectification-overdue": { en: "Rectification overdue", zh: "逾期未整改" },
  "false-registration": { en: "False registration", zh: "虚假登记" },
  closed: { en: "Venue closed for now", zh: "场所暂停营业" },
  other: { en: "Other", zh: "其他" },
};

export function suspensionLabel(reason: SuspensionReason): Bi {
  return SUSPENSION_LABELS[reason];
}

export function reasonLabel(reason: string): Bi {
  return (REASON_LABELS as Record<string, Bi | undefined>)[reason] ?? { en: reason, zh: reason };
}

const ACTION_LABELS: Readonly<Record<string, Bi>> = {
  created: { en: "Created", zh: "创建" },
  edited: { en: "Edited", zh: "修改" },
  "uploaded-licence": { en: "Licence uploaded", zh: "上传营业执照" },
  "uploaded-floor-plan": { en: "Floor plan uploaded", zh: "上传平面图" },
  submitted: { en: "Submitted for review", zh: "提交审核" },
  rejected: { en: "Changes requested", zh: "退回修改" },
  approved: { en: "Approved", zh: "批准" },
  "code-replaced": { en: "Code replaced", zh: "更换场所码" },
  "staff-enrolled": { en: "Staff account added", zh: "添加工作人员" },
  "kiosk-enrolled": { en: "Kiosk added", zh: "添加自助机" },
  suspended: { en: "Suspended", zh: "暂停" },
  reinstated: { en: "Reinstated", zh: "恢复" },
  "suspension-undone": {
    en: "Suspension undone (the log refused it)",
    zh: "暂停已撤销（日志拒绝）",
  },
  "reinstatement-undone": {
    en: "Reinstatement undone (the log refused it)",
    zh: "恢复已撤销（日志拒绝）",
  },
  "rectification-ordered": { en: "Rectification ordered", zh: "责令整改" },
  "rectification-answered": { en: "Rectification answered", zh: "整改已答复" },
  "rectification-closed": { en: "Rectification closed", zh: "整改已关闭" },
  "request-filed": { en: "Records request filed", zh: "提交查询申请" },
  "request-refused": { en: "Records request refused", zh: "查询申请被拒绝" },
  "request-approved": { en: "Records request approved", zh: "查询申请获批准" },
  "amendment-proposed": { en: "Entrance change proposed", zh: "提出入口变更" },
  "amendment-approved": { en: "Entrance change approved", zh: "批准入口变更" },
  "amendment-refused": { en: "Entrance change refused", zh: "驳回入口变更" },
  "amendment-approval-undone": {
    en: "Entrance change approval undone",
    zh: "入口变更的批准已撤销",
  },
  "entrance-added": { en: "Entrance added", zh: "新增入口" },
  "entrance-renamed": { en: "Entrance renamed", zh: "入口更名" },
  "entrance-retired": { en: "Entrance closed for good", zh: "入口永久关闭" },
};

export function actionLabel(action: string): Bi {
  return ACTION_LABELS[action] ?? { en: action, zh: action };
}

const ROLE_LABELS: Readonly<Record<string, Bi>> = {
  operator: { en: "venue operator", zh: "场所经营者" },
  registry: { en: "registry", zh: "登记机构" },
  staff: { en: "venue staff", zh: "场所工作人员" },
  officer: { en: "health officer", zh: "卫生部门人员" },
  auditor: { en: "auditor", zh: "审计方" },
  kiosk: { en: "kiosk screen", zh: "自助机屏幕" },
};

export function roleLabel(role: string): Bi {
  return ROLE_LABELS[role] ?? { en: role, zh: role };
}

export { DOCUMENT_KINDS, type DocumentKind };

export const DOCUMENT_LABELS: Readonly<Record<DocumentKind, Bi>> = {
  licence: { en: "Business licence", zh: "营业执照" },
  "floor-plan": { en: "Floor plan with entrances", zh: "标明入口的平面图" },
};
