/**
 * Venue requests on the authority page (PROTOCOL.md §11.7): a venue asking for its own records.
 * The officer reads what the venue asked and what an approval would give (the grants the request
 * was filed under), then refuses with a reason the operator reads, or approves: this device signs
 * the venue-request entry and the service writes it to the public log, where every citizen's
 * phone sees it.
 */
import {
  approveVenueRequest,
  listVenueRequests,
  type OfficerOptions,
  refuseVenueRequest,
  type VenueRequest,
} from "@lintel/client-sdk";
import { answerForm } from "./answer-form.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, tr } from "./i18n.ts";
import { announce, button, errorRegion, formatTime, heading, onActivate, paragraph } from "./ui.ts";
import {
  label,
  REQUEST_GRANT_LABELS,
  REQUEST_REASON_LABELS,
  REQUEST_STATE_LABELS,
} from "./venue-request-text.ts";

export interface VenueRequestContext {
  readonly timezone: string;
  readonly officer: () => Promise<OfficerOptions>;
  readonly fail: (region: HTMLElement, e: unknown) => void;
}

const both = (table: Parameters<typeof label>[0], key: string) => {
  const l = label(table, key);
  return bi(l.en, l.zh);
};

/** Draws the requests into `section`; returns a function that draws them again. */
export function renderVenueRequestsSection(
  section: HTMLElement,
  ctx: VenueRequestContext,
): () => Promise<void> {
  const error = errorRegion("venue-requests-error");
  const list = el("ol", { class: "rectification-list", id: "venue-request-list" });
  const refresh = button(
    { en: "Refresh requests", zh: "刷新申请" },
    { class: "secondary", id: "venue-requests-refresh" },
  );
  const draw = async () => {
    try {
      const requests = await listVenueRequests(await ctx.officer());
      replaceChildren(list);
      if (requests.length === 0) {
        list.append(el("li", { class: "muted" }, bi("No venue requests.", "没有场所申请。")));
      }
      for (const r of requests) list.append(item(r, ctx, draw));
    } catch (e) {
      ctx.fail(error, e);
    }
  };
  onActivate(refresh, draw);
  replaceChildren(
    section,
    heading(
      2,
      { en: "Venue requests for their own records", zh: "场所查询自身记录的申请" },
      { id: "venue-requests-heading", tabindex: "-1" },
    ),
    paragraph(
      "A venue cannot read who checked in. When it asks, you decide. An approval is written to the public log under your name; it releases no key.",
      "场所无法读取谁登记了。场所提出申请时，由您决定。批准将以您的名义写入公开记录，不会发放任何密钥。",
    ),
    error,
    list,
    el("div", { class: "actions" }, refresh),
  );
  void draw();
  return draw;
}

function item(r: VenueRequest, ctx: VenueRequestContext, redraw: () => Promise<void>): HTMLElement {
  const tz = ctx.timezone;
  const window = `${formatTime(r.windowStart, tz)} – ${formatTime(r.windowEnd, tz).slice(11)} (${tz})`;
  const li = el(
    "li",
    { "data-venue-request": r.id, "data-state": r.state },
    el("p", {}, el("strong", {}, tr(r.venueName)), " · ", both(REQUEST_STATE_LABELS, r.state)),
    el("p", {}, both(REQUEST_REASON_LABELS, r.reason)),
    el("p", {}, `${window} · ${r.entrances.map((e) => tr(e.name)).join(", ")}`),
  );
  if (r.note !== "") {
    li.append(
      el("h4", {}, bi("The venue's note", "场所的说明")),
      el("p", { class: "answer" }, r.note),
    );
  }
  if (r.state === "refused" && r.refusal !== null) {
    li.append(
      el("h4", {}, bi("Refused because", "拒绝理由")),
      el("p", { class: "answer" }, r.refusal),
    );
  }
  if (r.state === "approved") {
    li.append(
      paragraph(
        `Approved by ${r.approvedBy ?? "—"}; entry ${r.logIndex} of the public log.`,
        `由 ${r.approvedBy ?? "—"} 批准；公开记录第 ${r.logIndex} 条。`,
      ),
    );
  }
  if (r.state !== "pending") return li;
  const grants = el("ul", {});
  for (const g of r.grants) grants.append(el("li", {}, both(REQUEST_GRANT_LABELS, g)));
  li.append(paragraph("Approving gives the venue:", "批准后场所将得到："), grants);
  const error = errorRegion(`venue-request-error-${r.id}`);
  const approve = button(
    { en: "Approve and log", zh: "批准并写入记录" },
    { "data-approve-request": r.id },
  );
  onActivate(approve, async () => {
    try {
      const { request } = await approveVenueRequest(await ctx.officer(), r);
      await redraw();
      announce({
        en: `Approved; entry ${request.logIndex} of the public log.`,
        zh: `已批准；公开记录第 ${request.logIndex} 条。`,
      });
    } catch (e) {
      ctx.fail(error, e);
    }
  });
  const refusalError = errorRegion(`venue-request-refusal-error-${r.id}`);
  const form = answerForm({
    id: `venue-request-refusal-${r.id}`,
    label: { en: "Reason for refusing", zh: "拒绝理由" },
    hint: { en: "The venue's operator reads it.", zh: "场所经营者会看到此理由。" },
    submit: { en: "Refuse", zh: "拒绝" },
    submitAttributes: { class: "secondary" },
    mark: ["data-refuse-request", r.id],
    missing: { en: "Write the reason.", zh: "请填写理由。" },
    formClass: "refuse-request",
    error: refusalError,
    send: async (text) => {
      try {
        await refuseVenueRequest(await ctx.officer(), r.id, text);
        await redraw();
        announce({ en: "Request refused.", zh: "已拒绝申请。" });
      } catch (e) {
        ctx.fail(refusalError, e);
      }
    },
  });
  li.append(error, el("div", { class: "actions" }, approve), form);
  return li;
}
