/**
 * The public statistics' words: each figure of the report (REPORT_COUNTERS of the SDK) with a
 * short column heading and a plain sentence of what it counts, in both languages. Typed by the
 * counters, so a figure the SDK adds does not build until it has its words here.
 */
import type { ReportCounter } from "@lintel/client-sdk";
import type { Bi } from "./i18n.ts";

export interface FigureText {
  readonly heading: Bi;
  readonly meaning: Bi;
}

export const FIGURE_TEXT: Readonly<Record<ReportCounter, FigureText>> = {
  queries: {
    heading: { en: "Exposure queries", zh: "流调查询" },
    meaning: {
      en: "Exposure queries approved by the officers the rules require and written to the log, counted in the month they were filed. A query that was never approved is not in the log.",
      zh: "经规定人数的卫生部门人员批准并写入日志的流调查询，按提出的月份计数。未获批准的查询不在日志中。",
    },
  },
  entranceHours: {
    heading: { en: "Entrance-hours opened", zh: "打开的入口·小时" },
    meaning: {
      en: "For those queries, the number of entrances times the hours each query covers: every entrance-hour is one hour of check-ins at one entrance that the query allowed the health authority to read.",
      zh: "上述查询的入口数乘以每次查询涵盖的小时数：每个“入口·小时”是查询允许卫生部门读取的一个入口一小时内的登记。",
    },
  },
  releases: {
    heading: { en: "Key releases", zh: "密钥发放" },
    meaning: {
      en: "Releases of decryption key parts for a query, by an independent key holder or by the service's own epoch key. A query can be read only after every holder has released its part.",
      zh: "独立密钥保管方或服务自身的每日密钥为某次查询发放解密密钥份额的次数。每一方都发放后，查询才能被解读。",
    },
  },
  warnings: {
    heading: { en: "Exposure warnings", zh: "暴露提醒" },
    meaning: {
      en: "Warnings an officer published for one entrance and a time inside a query: phones that were there show them.",
      zh: "卫生部门人员针对某次查询内的一个入口和时段发布的提醒：当时在场的手机会显示。",
    },
  },
  retentionReceipts: {
    heading: { en: "Retention receipts", zh: "保存期满回执" },
    meaning: {
      en: "Records the service wrote before deleting check-ins whose retention period had ended.",
      zh: "服务在删除保存期已满的登记之前写下的记录。",
    },
  },
  ciphertextsDeleted: {
    heading: { en: "Encrypted check-ins deleted", zh: "删除的加密登记" },
    meaning: {
      en: "The encrypted check-ins those receipts say were deleted.",
      zh: "上述回执所载已删除的加密登记数量。",
    },
  },
  daysDestroyed: {
    heading: { en: "Day keys destroyed", zh: "销毁的每日密钥" },
    meaning: {
      en: "Days whose decryption key the receipts say was destroyed: no copy of those days' check-ins can be read again.",
      zh: "回执所载解密密钥已被销毁的天数：这些天的登记的任何副本都无法再被读取。",
    },
  },
  codeReplacements: {
    heading: { en: "Codes replaced", zh: "更换的场所码" },
    meaning: {
      en: "Entrance codes the registry replaced (a damaged, leaked or photographed poster).",
      zh: "登记机构更换的入口场所码（海报损坏、泄露或被拍照传播）。",
    },
  },
  entrancesIssued: {
    heading: { en: "Entrances approved", zh: "批准的入口" },
    meaning: {
      en: "Venue entrances the registry approved and issued a first code for: only these can be named in a query.",
      zh: "登记机构批准并签发首个场所码的场所入口：查询只能指定这些入口。",
    },
  },
  officerEnrolments: {
    heading: { en: "Officer devices enrolled", zh: "登记的卫生部门人员设备" },
    meaning: {
      en: "Devices of health officers enrolled in the log: each signs queries with its own key, and one officer may have several.",
      zh: "登记到日志中的卫生部门人员设备：每台设备用自己的密钥签署查询，一名人员可以有多台设备。",
    },
  },
  trusteeEnrolments: {
    heading: { en: "Key holders enrolled", zh: "登记的密钥保管方" },
    meaning: {
      en: "Independent key holders (trustees) enrolled: each holds one part of every decryption key.",
      zh: "登记的独立密钥保管方（受托方）：每一方持有每个解密密钥的一部分。",
    },
  },
  witnessEnrolments: {
    heading: { en: "Witnesses enrolled", zh: "登记的见证方" },
    meaning: {
      en: "Independent witnesses enrolled to countersign the log, so that it cannot show different histories to different people.",
      zh: "登记的独立见证方，对日志进行联署，使日志无法向不同的人展示不同的历史。",
    },
  },
  venueSuspensions: {
    heading: { en: "Venues suspended", zh: "暂停的场所" },
    meaning: {
      en: "Times the registry suspended a venue: its codes checked nobody in until it was reinstated. Each names a reason, never a person.",
      zh: "登记机构暂停场所的次数：在恢复之前，其场所码不能登记。每次都注明原因，但不涉及任何个人。",
    },
  },
  venueReinstatements: {
    heading: { en: "Venues reinstated", zh: "恢复的场所" },
    meaning: {
      en: "Times the registry lifted a venue's suspension.",
      zh: "登记机构解除场所暂停的次数。",
    },
  },
  entrancesRetired: {
    heading: { en: "Entrances retired", zh: "停用的入口" },
    meaning: {
      en: "Entrances the registry retired after a change of the venue: their codes are refused and point to where to scan instead.",
      zh: "场所变更后由登记机构停用的入口：其场所码被拒绝，并指明应在何处扫码。",
    },
  },
  venueRequests: {
    heading: { en: "Venue requests approved", zh: "获批准的场所查询申请" },
    meaning: {
      en: "Times an officer approved a venue's request about its own entrances: a warning sent on the venue's behalf to the people present, and the venue's hourly counts. No check-in was opened.",
      zh: "卫生部门人员批准场所就其自身入口提出申请的次数：代场所向当时在场的人发出提醒，并向场所提供每小时人数。未打开任何登记记录。",
    },
  },
  venueRequestEntranceHours: {
    heading: { en: "Entrance-hours named by venue requests", zh: "场所申请涉及的入口小时数" },
    meaning: {
      en: "Entrances × hours that approved venue requests named, all requests together.",
      zh: "获批准的场所申请所涉及的入口数 × 小时数之和。",
    },
  },
};
