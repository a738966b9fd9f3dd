/**
 * Venue requests on the authority page (PROTOCOL.md §11.7): a venue asking for its own records.
 * The officer reads what the venue asked and what an approval would give (the grants the request
 * was filed under), then refuses with a reason the operator reads, or approves: this device signs
 * the venue-request entry and the service writes it to the public log, where every citizen's
 * phone sees it. A request granting contacts needs as many officers as a query: each signs the
 * same entry, and the last one's approval logs it. Then an officer fetches the key holders'
 * releases — sealed to the venue's key, so this device cannot open them — for the venue.
 */
import {
  type AuthorityDeployment,
  approveVenueRequest,
  forwardVenueRequestReleases,
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
  readonly deployment: () => Promise<AuthorityDeployment>;
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
      "A venue cannot read who checked in. When it asks, you decide. An approval is written to the public log under your name. Only a request granting contact details releases keys — to the venue's own device, after as many officers as a query approve.",
      "场所无法读取谁登记了。场所提出申请时，由您决定。批准将以您的名义写入公开记录。只有给予联系信息的申请才会释放密钥——在与查询相同人数的人员批准后，仅释放给场所自己的设备。",
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
    if (r.grants.includes("contacts")) li.append(releasesPart(r, ctx, redraw));
  }
  if (r.state !== "pending") return li;
  if (r.grants.includes("contacts")) {
    li.append(
      paragraph(
        `Officers who approved so far: ${r.approvals} of ${r.approvalsNeeded}. Each approves from their own account.`,
        `已批准的人员：${r.approvals} / ${r.approvalsNeeded}。每人须以自己的账户批准。`,
        { "data-request-approvals": String(r.approvals) },
      ),
    );
  }
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

/** For an approved contacts request: which holders' releases the venue has, and fetching them. */
function releasesPart(
  r: VenueRequest,
  ctx: VenueRequestContext,
  redraw: () => Promise<void>,
): HTMLElement {
  const error = errorRegion(`venue-request-releases-error-${r.id}`);
  const fetch = button(
    { en: "Fetch the releases for the venue", zh: "为场所取得释放" },
    { "data-forward-releases": r.id, ...(r.releases.length > 0 ? { class: "secondary" } : {}) },
  );
  onActivate(fetch, async () => {
    try {
      await forwardVenueRequestReleases(await ctx.officer(), await ctx.deployment(), r);
      await redraw();
      announce({
        en: "Releases handed to the venue, sealed to its key.",
        zh: "释放已交给场所，以其密钥密封。",
      });
    } catch (e) {
      ctx.fail(error, e);
    }
  });
  const held = r.releases.join(", ");
  return el(
    "div",
    { "data-request-releases": r.releases.length === 0 ? "none" : held },
    paragraph(
      r.releases.length === 0
        ? "The venue has no releases yet. Fetching asks every trustee and the log; their answers are sealed to the venue's key, so this device cannot read them."
        : `The venue holds releases from: ${held}.`,
      r.releases.length === 0
        ? "场所尚未获得释放。取得时会询问每位受托方和日志；其答复以场所的密钥密封，本设备无法读取。"
        : `场所已获得以下各方的释放：${held}。`,
    ),
    error,
    el("div", { class: "actions" }, fetch),
  );
}
