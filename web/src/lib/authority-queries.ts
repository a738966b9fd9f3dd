/**
 * The queries this deployment's officers have filed (GET /api/queries): drafts awaiting approval,
 * each shown in full exactly as the log will hold it (reviewQuery of the signed entry, not the
 * service's summary), with checks of the case reference and the legal document against the
 * approver's own copies — computed here, nothing sent — and the approval (a second signature over
 * the same bytes). Logged queries offer "Release and decrypt" and an exposure warning.
 */
import {
  type ApproverChecks,
  approveQuery,
  type DraftQuery,
  LintelError,
  listQueries,
  type OfficerOptions,
  type QueryReview,
  reviewQuery,
} from "@lintel/client-sdk";
import { encodeBase64url } from "@lintel/protocol";
import { bothClocks } from "./authority-context.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  fileField,
  heading,
  onActivate,
  paragraph,
  textField,
} from "./ui.ts";

export interface QueriesContext {
  readonly timezone: string;
  /** The signed-in officer's account: their own drafts need someone else's approval. */
  readonly accountId: string;
  readonly officer: () => Promise<OfficerOptions>;
  readonly fail: (region: HTMLElement, e: unknown) => void;
  readonly onDecrypt: (query: DraftQuery, opener: HTMLElement) => void;
  readonly onWarn: (query: DraftQuery, opener: HTMLElement) => void;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes))));
}

function fact(list: HTMLDListElement, label: Bi, value: Node | string, attrs = {}): void {
  list.append(el("dt", {}, bi(label.en, label.zh)), el("dd", attrs, value));
}

/** Every field the log will hold, decoded from the signed entry itself. */
function reviewFacts(q: DraftQuery, review: QueryReview, timezone: string): HTMLDListElement {
  const list = el("dl", { class: "facts review" });
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  fact(list, { en: "Entrances", zh: "入口" }, review.entrances.join(", "), {
    "data-field": "entrances",
  });
  fact(
    list,
    { en: "Window", zh: "时间窗口" },
    `${bothClocks(seconds(review.windowStart), timezone)} – ${bothClocks(seconds(review.windowEnd), timezone)}`,
    { "data-field": "window" },
  );
  fact(
    list,
    { en: "Entrance-hours opened", zh: "开放的入口时段数" },
    String(review.identityCount),
    { "data-field": "identity-count" },
  );
  fact(list, { en: "Legal basis", zh: "法律依据" }, review.legalBasis, {
    "data-field": "legal-basis",
  });
  fact(list, { en: "Reason", zh: "理由" }, review.reason, { "data-field": "reason" });
  fact(
    list,
    { en: "Case reference (SHA-256)", zh: "案件编号（SHA-256）" },
    el("code", {}, review.caseReferenceHash),
    { "data-field": "case-hash", class: "hash" },
  );
  fact(
    list,
    { en: "Legal document (SHA-256)", zh: "法律文书（SHA-256）" },
    el("code", {}, review.legalDocumentHash),
    { "data-field": "document-hash", class: "hash" },
  );
  fact(list, { en: "Signed at", zh: "签名时间" }, bothClocks(seconds(review.issuedAt), timezone));
  fact(list, { en: "Filed by", zh: "提交人" }, q.filedBy.label, { "data-field": "filed-by" });
  const approver = q.approvedBy as { label?: unknown } | undefined;
  if (approver && typeof approver.label === "string") {
    fact(list, { en: "Approved by", zh: "批准人" }, approver.label, {
      "data-field": "approved-by",
    });
  }
  fact(
    list,
    { en: "Filed with signing key", zh: "提交时的签名密钥" },
    el("code", {}, review.signers.join(", ")),
    {
      class: "hash",
    },
  );
  return list;
}

/**
 * The approver's own copies of the case reference and the document, compared here; both are
 * required to approve (`checks()` is undefined until both are given).
 */
function copyChecks(
  n: number,
  review: QueryReview,
): { box: HTMLElement; checks: () => Promise<ApproverChecks | undefined> } {
  const box = el("div", { class: "copy-checks" });
  const caseRef = textField(
    `check-case-${n}`,
    { en: "Check the case reference", zh: "核对案件编号" },
    {
      autocomplete: "off",
      hint: {
        en: "Type the case reference from your file: it is compared with the hash above on this device.",
        zh: "输入您卷宗中的案件编号：将在本设备上与上方哈希比对。",
      },
    },
  );
  const doc = fileField(
    `check-document-${n}`,
    { en: "Check the legal document", zh: "核对法律文书" },
    "application/pdf,image/png,image/jpeg,.pdf",
    {
      en: "Choose your copy: it is hashed here and never uploaded.",
      zh: "选择您的副本：仅在此计算哈希，绝不上传。",
    },
  );
  const outcome = el("p", { id: `check-outcome-${n}`, "aria-live": "polite" });
  const say = (ok: boolean, what: Bi) => {
    outcome.className = ok ? "ok" : "bad";
    outcome.replaceChildren(bi(what.en, what.zh));
  };
  caseRef.input.addEventListener("change", async () => {
    const text = caseRef.input.value.trim();
    if (text === "") return outcome.replaceChildren();
    const same = (await sha256Hex(new TextEncoder().encode(text))) === review.caseReferenceHash;
    say(
      same,
      same
        ? { en: "The case reference matches.", zh: "案件编号一致。" }
        : { en: "The case reference does NOT match.", zh: "案件编号不一致。" },
    );
  });
  doc.input.addEventListener("change", async () => {
    const file = doc.input.files?.[0];
    if (!file) return outcome.replaceChildren();
    const digest = await sha256Hex(new Uint8Array(await file.arrayBuffer()));
    const same = digest === review.legalDocumentHash;
    say(
      same,
      same
        ? { en: "The legal document matches.", zh: "法律文书一致。" }
        : { en: "The legal document does NOT match.", zh: "法律文书不一致。" },
    );
  });
  box.append(caseRef.wrapper, doc.wrapper, outcome);
  const checks = async (): Promise<ApproverChecks | undefined> => {
    const caseReference = caseRef.input.value.trim();
    const file = doc.input.files?.[0];
    if (caseReference === "" || !file) return undefined;
    return { caseReference, legalDocument: new Uint8Array(await file.arrayBuffer()) };
  };
  return { box, checks };
}

let itemCounter = 0;

function queryItem(q: DraftQuery, ctx: QueriesContext, reload: () => Promise<void>): HTMLLIElement {
  const n = ++itemCounter;
  const review = reviewQuery(q.entry);
  const logged = q.status === "logged" && q.queryIndex !== undefined;
  const li = el("li", { class: "card", "data-draft": q.draftId, "data-status": q.status });
  const title = logged
    ? bi(`Query ${q.queryIndex} — in the log`, `查询 ${q.queryIndex} — 已记录于日志`)
    : q.status === "expired"
      ? bi(`Draft ${q.draftId} — expired`, `草稿 ${q.draftId} — 已过期`)
      : bi(`Draft ${q.draftId} — awaiting approval`, `草稿 ${q.draftId} — 待批准`);
  const h = el("h3", { id: `query-title-${n}` }, title);
  if (logged) li.dataset.queryIndex = String(q.queryIndex);
  li.append(h, reviewFacts(q, review, ctx.timezone));
  const error = errorRegion(`query-error-${n}`);

  if (q.status === "expired") {
    // The service's reason, in its words (it names the rule, never personal data).
    li.append(
      paragraph(
        `This draft can no longer be logged: ${q.expiredReason ?? "it expired."}`,
        `此草稿已无法记录于日志：${q.expiredReason ?? "已过期。"}`,
        { class: "bad", "data-field": "expired-reason" },
      ),
    );
    return li;
  }
  if (!logged && q.approvalsNeeded !== undefined) {
    li.append(
      paragraph(
        `Signed by ${q.approvals ?? 1} of the ${q.approvalsNeeded} officers this query needs${q.expiresAt ? `; expires ${q.expiresAt}` : ""}.`,
        `已有 ${q.approvals ?? 1} 名人员签名，此查询共需 ${q.approvalsNeeded} 名${q.expiresAt ? `；过期时间 ${q.expiresAt}` : ""}。`,
        { class: "muted", "data-field": "approvals" },
      ),
    );
  }

  if (!logged) {
    const own = q.filedBy.accountId === ctx.accountId;
    if (own) {
      li.append(
        paragraph(
          "You filed this draft: another officer must review and approve it.",
          "此草稿由您提交：须由另一名人员审核并批准。",
          { class: "muted" },
        ),
      );
    }
    const copies = copyChecks(n, review);
    li.append(copies.box);
    const approve = button(
      { en: "Approve and sign", zh: "批准并签名" },
      { id: `approve-${n}`, "data-approve": q.draftId },
    );
    approve.setAttribute("aria-describedby", `${error.id} query-title-${n}`);
    onActivate(approve, async () => {
      clearRegion(error);
      const sure = await confirmDialog(
        { en: "Approve this query?", zh: "批准此查询？" },
        [
          paragraph(
            `Your signature puts it in the public log; the trustees then release keys for ${review.identityCount} entrance-hour(s) at ${review.entrances.join(", ")}.`,
            `您的签名会将其写入公开日志；受托方随后将为 ${review.entrances.join("、")} 的 ${review.identityCount} 个入口时段发布密钥。`,
          ),
        ],
        { en: "Approve and sign", zh: "批准并签名" },
      );
      if (!sure) return;
      try {
        const officer = await ctx.officer();
        // This very device signed the draft: the second signature cannot be made at all, so
        // the refusal is the service's `same-officer` (which covers the account's other devices).
        if (review.signers.includes(encodeBase64url(officer.key.publicKey))) {
          throw new LintelError("same-officer", "This device signed the draft when filing it.");
        }
        const checks = await copies.checks();
        if (!checks) {
          throw new LintelError(
            "checks-required",
            "Both checks are required: the case reference and the legal document.",
          );
        }
        const approved = await approveQuery(officer, q, checks);
        announce(
          approved.status === "logged"
            ? {
                en: `Approved: query ${approved.queryIndex} is in the log.`,
                zh: `已批准：查询 ${approved.queryIndex} 已记录于日志。`,
              }
            : {
                en: `Approved: ${approved.approvals} of ${approved.approvalsNeeded} officers; another officer must approve it.`,
                zh: `已批准：${approved.approvals}/${approved.approvalsNeeded} 名人员；还需另一名人员批准。`,
              },
        );
        await reload();
      } catch (e) {
        ctx.fail(error, e);
      }
    });
    li.append(error, el("div", { class: "actions" }, approve));
    return li;
  }

  const decrypt = button(
    { en: "Release and decrypt", zh: "发布密钥并解密" },
    { id: `decrypt-${n}`, "data-decrypt": String(q.queryIndex) },
  );
  decrypt.setAttribute("aria-describedby", `query-title-${n}`);
  decrypt.addEventListener("click", () => ctx.onDecrypt(q, decrypt));
  const warn = button(
    { en: "Publish an exposure warning", zh: "发布暴露警示" },
    { id: `warn-${n}`, class: "secondary", "data-warn": String(q.queryIndex) },
  );
  warn.setAttribute("aria-describedby", `query-title-${n}`);
  warn.addEventListener("click", () => ctx.onWarn(q, warn));
  li.append(error, el("div", { class: "actions" }, decrypt, warn));
  return li;
}

/** Renders the section; returns its reload function. */
export function renderQueriesSection(
  section: HTMLElement,
  ctx: QueriesContext,
): () => Promise<void> {
  const error = errorRegion("queries-error");
  const body = el("div", { id: "queries-body" });
  const refresh = button(
    { en: "Reload the list", zh: "刷新列表" },
    { id: "queries-reload", class: "secondary" },
  );

  const load = async (): Promise<void> => {
    clearRegion(error);
    try {
      const queries = await listQueries(await ctx.officer());
      // Expired drafts stay in this list, marked, so that nobody waits on them in silence.
      const waiting = queries.filter((q) => q.status !== "logged");
      const logged = queries.filter((q) => q.status === "logged");
      const list = (items: DraftQuery[], id: string) =>
        el("ul", { class: "plain items", id }, ...items.map((q) => queryItem(q, ctx, load)));
      replaceChildren(
        body,
        el("h3", { id: "drafts-heading" }, bi("Awaiting approval", "待批准")),
        waiting.length > 0
          ? list(waiting, "drafts-list")
          : paragraph("No drafts are waiting.", "没有待批准的草稿。", { class: "muted" }),
        el("h3", { id: "logged-heading" }, bi("In the log", "已记录于日志")),
        logged.length > 0
          ? list(logged, "logged-list")
          : paragraph("No logged queries yet.", "尚无已记录的查询。", { class: "muted" }),
      );
    } catch (e) {
      ctx.fail(error, e);
    }
  };
  onActivate(refresh, async () => {
    await load();
    announce({ en: "The list is up to date.", zh: "列表已更新。" });
  });
  section.append(
    heading(2, { en: "Queries", zh: "查询" }, { id: "queries-heading", tabindex: "-1" }),
    refresh,
    error,
    body,
  );
  void load();
  return load;
}
