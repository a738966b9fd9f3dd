/**
 * An approved venue's requests to the health authority for its own records. The venue never reads
 * who checked in; when it must act (a guest or a member of staff was infected), it asks, an officer
 * decides, and an approval is written to the public log. What an approval gives is the
 * deployment's policy, shown before sending: by default a warning on the venue's behalf to everyone
 * present (matched on their own phones) and the venue's hourly counts. Where the policy grants
 * contacts, this device makes a key pair for the request (the secret stays in this browser's
 * IndexedDB); once approved and released, "Open contact records" opens the releases and decrypts
 * the request's check-ins here — shown on this page only, never stored or sent.
 */
import {
  type FoundContact,
  indexedDbExposureAuditStore,
  indexedDbReleaseKeyStore,
  LintelError,
  loadDeviceKey,
  newReleaseKey,
  openVenueContacts,
} from "@lintel/client-sdk";
import { type RouteAnswer, venueRequestRoutes } from "@lintel/contract";
import { encodeBase64url, VENUE_REQUEST_REASONS } from "@lintel/protocol";
import { type ApplicationView, entranceName } from "./applications.ts";
import { authorityDeployment, localInputValue } from "./authority-context.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, tr } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { zonedToUnix } from "./staff-time.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  errorRegion,
  formatHour,
  formatTime,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  splitDateTime,
  textField,
  wallClockField,
} from "./ui.ts";
import {
  label,
  REQUEST_GRANT_LABELS,
  REQUEST_REASON_LABELS,
  REQUEST_STATE_LABELS,
} from "./venue-request-text.ts";

type Listing = RouteAnswer<typeof venueRequestRoutes.listVenueRequests>;
type Request = Listing["requests"][number];

const HOUR = 3600;

/** Draws the venue's requests and the form to file one into `section`. */
export async function renderVenueRequests(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
): Promise<void> {
  const error = errorRegion("requests-error");
  replaceChildren(
    section,
    heading(
      3,
      { en: "Requests to the health authority", zh: "向卫生部门提出的查询申请" },
      { id: "requests-heading", tabindex: "-1" },
    ),
    paragraph(
      "Nobody at your venue can see who checked in. If a guest or a member of staff was infected, ask the health authority here. An officer decides; an approval is written to the public log, where everyone who visited can see it.",
      "场所的任何人都看不到谁登记了。如有顾客或工作人员感染，请在此向卫生部门提出申请。由卫生部门人员决定；批准后会写入公开记录，所有到访者都能看到。",
    ),
    error,
  );
  let listing: Listing;
  try {
    listing = await callSigned(page, venueRequestRoutes.listVenueRequests, {
      params: { id: view.id },
    });
  } catch (e) {
    page.fail(error, e);
    return;
  }
  const pending = listing.requests.some((r) => r.state === "pending");
  section.append(
    pending
      ? paragraph(
          "Your request is with the authority. You can send another once it is decided.",
          "您的申请正在等待主管部门决定，决定后才能再次提交。",
          { class: "note", id: "request-pending-note" },
        )
      : requestForm(page, section, view, listing),
  );
  const list = el("ol", { class: "rectification-list", id: "request-list" });
  for (const r of listing.requests) list.append(requestItem(page, view, r));
  section.append(
    el("h4", {}, bi("Your requests", "您的申请")),
    listing.requests.length === 0
      ? paragraph("No requests yet.", "尚无申请。", { id: "request-list" })
      : list,
  );
}

function requestForm(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  listing: Listing,
): HTMLFormElement {
  const tz = page.deployment.timezone;
  const now = Math.floor(Date.now() / 1000);
  const form = el("form", { id: "request-form" });
  const doors = el("fieldset", { id: "request-entrances" });
  doors.append(el("legend", {}, bi("Entrances", "入口")));
  for (const e of view.entrances) {
    const box = checkbox(`request-entrance-${e.id}`, entranceName(e.label), true);
    box.querySelector("input")!.dataset.requestEntrance = e.id;
    doors.append(box);
  }
  const hint = {
    en: `In the deployment's time (${tz}); whole hours, at most ${listing.maxWindowHours} hours, in the past.`,
    zh: `按本部署时区（${tz}）；须为过去的整点时段，最长 ${listing.maxWindowHours} 小时。`,
  };
  const endAt = Math.floor(now / HOUR) * HOUR;
  const start = wallClockField("request-start", { en: "From", zh: "开始" }, "date-time", {
    required: true,
    value: localInputValue(endAt - 2 * HOUR, tz),
    hint,
  });
  const end = wallClockField("request-end", { en: "Until", zh: "结束" }, "date-time", {
    required: true,
    value: localInputValue(endAt, tz),
    hint,
  });
  const reason = selectField(
    "request-reason",
    { en: "Why", zh: "原因" },
    VENUE_REQUEST_REASONS.map((r) => ({ value: r, label: label(REQUEST_REASON_LABELS, r) })),
    { required: true },
  );
  const note = textField(
    "request-note",
    { en: "Note for the officer", zh: "给卫生部门人员的说明" },
    {
      multiline: true,
      hint: {
        en: "Optional. Only the officer reads it; it is never published. Do not name anyone.",
        zh: "选填。仅卫生部门人员可见，不会公开。请勿写出任何人的姓名。",
      },
    },
  );
  const grants = el("ul", { id: "request-grants" });
  for (const g of listing.grants) grants.append(el("li", {}, bi(...pair(REQUEST_GRANT_LABELS, g))));
  const error = errorRegion("request-error");
  const submit = button({ en: "Send the request", zh: "提交申请" }, { id: "request-submit" });
  submit.type = "submit";
  form.append(
    el("h4", {}, bi("New request", "新的申请")),
    doors,
    start.wrapper,
    end.wrapper,
    reason.wrapper,
    note.wrapper,
    paragraph("If the authority approves, you receive:", "如获批准，您将得到："),
    grants,
    error,
    submit,
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const entrances = [...doors.querySelectorAll<HTMLInputElement>("input[data-request-entrance]")]
      .filter((i) => i.checked)
      .map((i) => i.dataset.requestEntrance ?? "");
    const at = (value: string) => {
      const { date, time } = splitDateTime(value);
      return zonedToUnix(date, time, tz);
    };
    const s = at(start.input.value);
    const e = at(end.input.value);
    setFieldError(
      start.input,
      s === null ? { en: "Type a date and time.", zh: "请输入日期和时间。" } : null,
    );
    setFieldError(
      end.input,
      e === null ? { en: "Type a date and time.", zh: "请输入日期和时间。" } : null,
    );
    if (entrances.length === 0 || s === null || e === null) {
      showMessage(
        error,
        entrances.length === 0
          ? { en: "Tick at least one entrance.", zh: "请至少选择一个入口。" }
          : { en: "Some fields need attention.", zh: "部分内容需要修改。" },
      );
      return;
    }
    const text = note.input.value.replace(/\r\n?/g, "\n").trim();
    try {
      // Granting contacts: the releases are sealed to a key made here, kept before filing so a
      // filed request's key is never lost.
      let releaseKey: string | undefined;
      if (listing.grants.includes("contacts")) {
        const pair = newReleaseKey();
        await indexedDbReleaseKeyStore().remember(pair);
        releaseKey = encodeBase64url(pair.publicKey);
      }
      await callSigned(page, venueRequestRoutes.fileVenueRequest, {
        params: { id: view.id },
        body: {
          entrances,
          windowStart: Math.floor(s / HOUR) * HOUR,
          windowEnd: Math.ceil(e / HOUR) * HOUR,
          reason: reason.input.value as (typeof VENUE_REQUEST_REASONS)[number],
          ...(text === "" ? {} : { note: text }),
          ...(releaseKey === undefined ? {} : { releaseKey }),
        },
      });
      await renderVenueRequests(page, section, view);
      announce({ en: "Request sent to the health authority.", zh: "申请已提交卫生部门。" });
    } catch (err) {
      page.fail(error, err);
    }
  });
  return form;
}

const pair = (table: Parameters<typeof label>[0], key: string): [string, string] => {
  const l = label(table, key);
  return [l.en, l.zh];
};

function requestItem(page: SignedPage, view: ApplicationView, r: Request): HTMLElement {
  const tz = page.deployment.timezone;
  const window = `${formatTime(r.windowStart, tz)} – ${formatTime(r.windowEnd, tz).slice(11)}`;
  const doors = r.entrances.map((e) => tr(e.name)).join(", ");
  const item = el(
    "li",
    { "data-request": r.id, "data-state": r.state },
    el(
      "p",
      {},
      el("strong", {}, bi(...pair(REQUEST_STATE_LABELS, r.state))),
      " · ",
      bi(...pair(REQUEST_REASON_LABELS, r.reason)),
    ),
    paragraph(`${window} · ${doors}`, `${window} · ${doors}`),
  );
  if (r.state === "pending" && r.grants.includes("contacts")) {
    item.append(
      paragraph(
        `Officers who approved so far: ${r.approvals} of ${r.approvalsNeeded}.`,
        `已批准的卫生部门人员：${r.approvals} / ${r.approvalsNeeded}。`,
        { "data-request-approvals": String(r.approvals) },
      ),
    );
  }
  if (r.state === "refused" && r.refusal !== null) {
    item.append(
      el("h5", {}, bi("The officer's reason", "卫生部门人员的理由")),
      el("p", { class: "answer", "data-refusal": "" }, r.refusal),
    );
  }
  if (r.state === "approved") {
    item.append(
      paragraph(
        `Approved by ${r.approvedBy ?? "an officer"}; entry ${r.logIndex} of the public log.`,
        `由 ${r.approvedBy ?? "卫生部门人员"} 批准；公开记录第 ${r.logIndex} 条。`,
      ),
    );
    if (r.grants.includes("warning")) {
      item.append(
        paragraph(
          "Everyone whose phone holds a visit in these hours is warned on their phone. You are not told who.",
          "手机中存有该时段到访记录的所有人都会在手机上收到提醒。您不会得知是谁。",
          { "data-warning-sent": "" },
        ),
      );
    }
    if (r.counts) item.append(countsTable(r, view, tz));
    if (r.grants.includes("contacts")) item.append(contactsPart(page, view, r));
  }
  return item;
}

/** "Open contact records" once the releases are in; until then, why not yet. */
function contactsPart(page: SignedPage, view: ApplicationView, r: Request): HTMLElement {
  const part = el("div", { "data-request-contacts": r.id });
  if (r.releases.length === 0) {
    part.append(
      paragraph(
        "The contact records open once an officer has fetched the key holders' releases for this request.",
        "待卫生部门人员为本申请取得密钥持有方的释放后，即可打开联系记录。",
        { class: "note" },
      ),
    );
    return part;
  }
  const error = errorRegion(`request-contacts-error-${r.id}`);
  const results = el("div", { "aria-live": "polite" });
  const open = button(
    { en: "Open contact records", zh: "打开联系记录" },
    { "data-open-contacts": r.id },
  );
  onActivate(open, async () => {
    clearRegion(error);
    replaceChildren(results, paragraph("Opening on this device…", "正在本设备上打开……"));
    try {
      const key = await loadDeviceKey(page.role);
      if (!key) throw new LintelError("session-expired", "This device is not signed in.");
      const found = await openVenueContacts({
        operator: { baseUrl: location.origin, deployment: page.deployment.id, key },
        deployment: await authorityDeployment(),
        venueId: view.id,
        requestId: r.id,
        logIndex: r.logIndex ?? "",
        releaseSecretKey: (releaseKey) => indexedDbReleaseKeyStore().find(releaseKey),
        logStore: indexedDbExposureAuditStore(),
      });
      replaceChildren(results, contactsTable(r, view, found.contacts, page.deployment.timezone));
      announce({
        en: `${found.contacts.length} contact records opened.`,
        zh: `已打开 ${found.contacts.length} 条联系记录。`,
      });
    } catch (e) {
      replaceChildren(results);
      page.fail(error, e);
    }
  });
  part.append(
    paragraph(
      "Opened and shown on this device only: nothing is stored or sent. Use them only to reach the people concerned.",
      "仅在本设备上打开和显示，不会保存或发送。只可用于联系相关人员。",
    ),
    error,
    el("div", { class: "actions" }, open),
    results,
  );
  return part;
}

function contactsTable(
  r: Request,
  view: ApplicationView,
  contacts: readonly FoundContact[],
  tz: string,
): HTMLElement {
  const names = new Map(view.entrances.map((e) => [e.id, e.label]));
  const table = el("table", { class: "hours", "data-contacts-table": r.id });
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, bi("Arrival", "到达")),
    el("th", { scope: "col" }, bi("Expected departure", "预计离开")),
    el("th", { scope: "col" }, bi("Entrance", "入口")),
    el("th", { scope: "col" }, bi("Name", "姓名")),
    el("th", { scope: "col" }, bi("Phone", "电话")),
  );
  const body = el("tbody");
  for (const c of contacts) {
    const name = names.get(c.entranceId);
    const row = el(
      "tr",
      { "data-contact-entrance": c.entranceId },
      el("td", {}, formatTime(c.arrival, tz)),
      el("td", {}, formatTime(c.expectedDeparture, tz)),
      el("td", {}, name ? entranceName(name) : c.entranceId),
    );
    if (c.details.kind === "contact" || c.details.kind === "card") {
      row.append(
        el("td", { "data-contact-name": "" }, c.details.contact.name),
        el("td", { "data-contact-phone": "" }, c.details.contact.phone),
      );
    } else {
      row.append(
        el(
          "td",
          { colspan: "2", "data-contact-sealed": "" },
          bi("Citizen card: sealed for the health authority", "登记卡：为卫生部门密封保存"),
        ),
      );
    }
    body.append(row);
  }
  if (contacts.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: "5" }, bi("No check-ins.", "没有登记。"))));
  }
  const captionId = `contacts-caption-${r.id}`;
  table.append(
    el("caption", { id: captionId }, bi("Contact records", "联系记录")),
    el("thead", {}, head),
    body,
  );
  // A wide table scrolls inside its own focusable region, so the page never scrolls sideways.
  return el(
    "div",
    { class: "table-scroll", role: "region", tabindex: "0", "aria-labelledby": captionId },
    table,
  );
}

function countsTable(r: Request, view: ApplicationView, tz: string): HTMLElement {
  const names = new Map(view.entrances.map((e) => [e.id, e.label]));
  const table = el("table", { class: "hours", "data-request-counts": r.id });
  const caption = el("caption", {}, bi("Check-ins per hour", "每小时登记人数"));
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, bi("Entrance", "入口")),
    el("th", { scope: "col" }, bi("Hour", "时段")),
    el("th", { scope: "col" }, bi("Check-ins", "登记次数")),
  );
  const body = el("tbody");
  for (const c of r.counts ?? []) {
    const name = names.get(c.entranceId);
    body.append(
      el(
        "tr",
        { "data-count": String(c.count) },
        el("td", {}, name ? entranceName(name) : c.entranceId),
        el("td", {}, formatHour(c.hour, tz)),
        el("td", {}, String(c.count)),
      ),
    );
  }
  if ((r.counts ?? []).length === 0) {
    body.append(el("tr", {}, el("td", { colspan: "3" }, bi("No check-ins.", "没有登记。"))));
  }
  table.append(caption, el("thead", {}, head), body);
  return table;
}
