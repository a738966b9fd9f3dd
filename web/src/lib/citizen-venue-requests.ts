/**
 * Approved venue requests on "Was any of my visits looked at?" (PROTOCOL.md §11.6, §11.7): a venue
 * this person visited asked the health authority about its records, and an officer approved. A
 * visit at a named entrance inside the request's hours is warned when the request grants a
 * warning; every visit to the venue sees the request itself, so no venue this person went to asks
 * about its records unseen. A request granting contacts says so: the venue was given the contact
 * details of the visits at its named entrances in its hours (released by the key holders, opened
 * on the venue's device alone), and whether this visit was one of them. The match was made on this
 * phone; nothing was sent.
 */
import type { Visit, VisitVenueRequest } from "@lintel/client-sdk";
import { dateTimeText } from "./citizen-pass.ts";
import { el } from "./dom.ts";
import { bi, biBlock } from "./i18n.ts";
import { label, REQUEST_REASON_LABELS } from "./venue-request-text.ts";

/** What the request did with check-ins, in both languages. */
function outcome(r: VisitVenueRequest): { en: string; zh: string } {
  if (!r.grants.includes("contacts")) {
    return {
      en: "No check-in was opened; the venue does not learn who was there.",
      zh: "没有打开任何登记记录，场所不会得知谁在场。",
    };
  }
  if (!r.contacts) {
    return {
      en: "The venue was given the contact details of the visits at those entrances in those hours; yours was not one of them.",
      zh: "场所获得了该时段所列入口到访者的联系信息；您的到访不在其中。",
    };
  }
  const by = r.releasedBy.join(", ");
  return {
    en: `This request released contact details: the venue was given the name and phone you left at check-in for this visit (${by === "" ? "not released by the key holders yet" : `released by ${by}`}; they open only on the venue's device). A citizen card stays sealed for the health authority.`,
    zh: `此申请释放了联系信息：场所获得了您此次到访登记时留下的姓名和电话（${by === "" ? "密钥持有方尚未释放" : `由 ${by} 释放`}；仅能在场所的设备上打开）。使用登记卡登记的信息仍为卫生部门密封保存。`,
  };
}

function hours(start: number, end: number, tz: string): string {
  return `${dateTimeText(start, tz).slice(0, 16)} – ${dateTimeText(end, tz).slice(11, 16)}`;
}

/** The warnings first, then every request, as list items. */
export function venueRequestItems(
  requests: readonly VisitVenueRequest[],
  visits: ReadonlyMap<string, Visit>,
  tz: string,
): HTMLElement[] {
  const warnings: HTMLElement[] = [];
  const listed: HTMLElement[] = [];
  for (const r of requests) {
    const v = visits.get(r.visitId);
    const venue = { en: v?.venueName.en ?? r.venueId, zh: v?.venueName.zh ?? r.venueId };
    const door = { en: v?.entranceName.en ?? "", zh: v?.entranceName.zh ?? "" };
    const window = hours(r.windowStart, r.windowEnd, tz);
    const officers = r.approvedBy.map((o) => o.label).join(", ");
    if (r.warned) {
      warnings.push(
        el(
          "li",
          { class: "warning", "data-exposure": "venue-warning" },
          el("strong", {}, bi("Warning from the venue", "场所发出的提醒")),
          biBlock(
            `${venue.en} asked the health authority to warn everyone who was at ${door.en} between ${window}, and you were there. Watch for symptoms and follow the health authority's advice.`,
            `${venue.zh} 经卫生部门批准，提醒 ${window} 期间到过 ${door.zh} 的所有人，您当时在场。请留意症状并遵从卫生部门的建议。`,
          ),
        ),
      );
    }
    const reason = label(REQUEST_REASON_LABELS, r.reason);
    const at = v ? dateTimeText(v.arrival, tz).slice(0, 16) : "";
    const done = outcome(r);
    listed.push(
      el(
        "li",
        {
          "data-exposure": "venue-request",
          "data-present": String(r.present),
          "data-contacts": String(r.contacts),
        },
        el("strong", {}, bi("A venue request", "场所申请")),
        biBlock(
          `A venue request, approved by ${officers} (entry ${r.requestIndex} of the public log): ${venue.en} asked about its records between ${window} (${reason.en}). Your visit at ${at} (${door.en}) was ${r.present ? "at an entrance and in the hours it names" : "not at an entrance and in the hours it names"}. ${done.en}`,
          `场所申请，由 ${officers} 批准（公开记录第 ${r.requestIndex} 条）：${venue.zh} 就 ${window} 期间的记录提出申请（${reason.zh}）。您在 ${at}（${door.zh}）的到访${r.present ? "在" : "不在"}其所列的入口和时段内。${done.zh}`,
        ),
      ),
    );
  }
  return [...warnings, ...listed];
}
