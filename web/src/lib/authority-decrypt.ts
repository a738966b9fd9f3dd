/**
 * "Release and decrypt" for a logged query (PROTOCOL.md §11.3–§11.5), all on this device: the
 * SDK's decryptQuery verifies the query's proof, collects every trustee's and the log's release,
 * audits the log, combines the partial keys and decrypts the query's ciphertexts in a pool of Web
 * Workers, one per core (one BLS pairing each), as their pages arrive, with progress and the
 * time left shown as it goes.
 *
 * Decrypted contacts stay in this page's memory: nothing is stored (no localStorage, IndexedDB or
 * cache), nothing is sent anywhere, and the CSV is built here and saved through a Blob URL. The
 * authority's box secret key, when given, is held only for the call that uses it.
 */
import {
  type AuthorityDeployment,
  contactsCsv,
  createBrowserDecryptPool,
  type DecryptPool,
  type DecryptProgress,
  type DraftQuery,
  decryptQuery,
  type FoundContact,
  indexedDbExposureAuditStore,
  indexedDbReleaseKeyStore,
  LintelError,
  type OfficerOptions,
  type Progress,
  type QueryResult,
} from "@lintel/client-sdk";
import { decodeBase64url, type RecordedBy } from "@lintel/protocol";
import { bothClocks } from "./authority-context.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import {
  announce,
  button,
  clearRegion,
  downloadBytes,
  errorRegion,
  fileField,
  formatTime,
  heading,
  paragraph,
  runBusy,
  textField,
} from "./ui.ts";

export interface DecryptContext {
  readonly timezone: string;
  readonly deployment: () => Promise<AuthorityDeployment>;
  readonly officer: () => Promise<OfficerOptions>;
  readonly fail: (region: HTMLElement, e: unknown) => void;
}

const RECORDED_BY: Readonly<Record<RecordedBy, Bi>> = {
  self: { en: "Self, own phone", zh: "本人手机登记" },
  companion: { en: "Companion of a phone user", zh: "同行人（由他人手机登记）" },
  proxy: { en: "Staff, for someone without a phone", zh: "工作人员代为登记" },
  kiosk: { en: "Kiosk code", zh: "现场动态码" },
  paper: { en: "Paper list, typed by staff", zh: "纸质登记表（工作人员录入）" },
};

// ── the authority box key (optional, memory only) ────────────────────────────────────────────

/** The key fields: read when decrypting, never stored. */
export interface BoxKeyInputs {
  readonly text: HTMLInputElement | HTMLTextAreaElement;
  readonly file: HTMLInputElement;
}

export function renderBoxKeyFields(section: HTMLElement): BoxKeyInputs {
  const text = textField(
    "box-key-text",
    { en: "Authority key for citizen cards (optional)", zh: "用于登记卡的卫生部门密钥（可选）" },
    {
      autocomplete: "off",
      hint: {
        en: "Paste the 32-byte secret key in base64url, or choose its file below. Kept in this page's memory only; needed to read people checked in with a printed citizen card.",
        zh: "粘贴 base64url 格式的 32 字节私钥，或在下方选择密钥文件。仅保存在本页面内存中；读取使用纸质登记卡登记的人员时需要。",
      },
    },
  );
  text.input.spellcheck = false;
  text.input.setAttribute("type", "password");
  const file = fileField("box-key-file", { en: "Or the key file", zh: "或密钥文件" }, "", {
    en: "A file holding the key as base64url text or as 32 raw bytes. Read here, not uploaded.",
    zh: "以 base64url 文本或 32 字节原始数据保存密钥的文件。仅在此读取，不会上传。",
  });
  section.append(
    heading(2, { en: "Citizen cards", zh: "登记卡" }, { id: "box-key-heading" }),
    text.wrapper,
    file.wrapper,
  );
  return { text: text.input, file: file.input };
}

const badKey = () =>
  new LintelError("bad-box-key", "The authority key is not 32 bytes of base64url.");

async function readBoxKey(inputs: BoxKeyInputs): Promise<Uint8Array | undefined> {
  const file = inputs.file.files?.[0];
  let text = inputs.text.value.trim();
  if (text === "" && file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length === 32) return bytes;
    text = new TextDecoder().decode(bytes).trim();
  }
  if (text === "") return undefined;
  try {
    return decodeBase64url(text, 32);
  } catch {
    throw badKey();
  }
}

// ── progress ─────────────────────────────────────────────────────────────────────────────────

function progressText(p: Progress): Bi {
  switch (p.step) {
    case "proof":
      return { en: "Checking the log's proof of the query…", zh: "正在核验查询的日志证明…" };
    case "releases":
      return {
        en: "Asking the trustees and the log to release their keys…",
        zh: "正在请求受托方和日志发布密钥…",
      };
    case "log":
      return {
        en: "Auditing the log: every entry and every release…",
        zh: "正在审计日志：每条记录和每次发布…",
      };
    case "keys":
      return { en: "Verifying and combining the keys…", zh: "正在验证并合并密钥…" };
    case "ciphertexts":
    case "decrypt":
      // One line for the whole stage: pages are decrypted while the next ones are fetched.
      return {
        en: "Fetching the check-ins and decrypting them on this device…",
        zh: "正在获取登记记录并在本设备解密…",
      };
  }
}

/** "about 3 min", "less than a minute": coarse, so the text does not flicker. */
function timeLeft(ms: number): Bi {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return { en: "less than a minute left", zh: "剩余不到 1 分钟" };
  if (minutes < 90) return { en: `about ${minutes} min left`, zh: `约剩 ${minutes} 分钟` };
  const hours = Math.round(minutes / 6) / 10;
  return { en: `about ${hours} h left`, zh: `约剩 ${hours} 小时` };
}

const count = (n: number) => n.toLocaleString("en-US");

/** The count and the time left; the total once every page has been read. */
function decryptingText(p: DecryptProgress): Bi {
  const left = p.etaMs === undefined ? undefined : timeLeft(p.etaMs);
  const done =
    p.total !== undefined
      ? {
          en: `${count(p.done)} of ${count(p.total)} decrypted`,
          zh: `已解密 ${count(p.done)} / ${count(p.total)}`,
        }
      : {
          en: `${count(p.done)} decrypted, still fetching`,
          zh: `已解密 ${count(p.done)}，仍在获取`,
        };
  return left ? { en: `${done.en}, ${left.en}`, zh: `${done.zh}，${left.zh}` } : done;
}

/** Share of the work done: by count once the total is known, by time until then. */
function fraction(p: DecryptProgress): number | undefined {
  if (p.total !== undefined) return p.total === 0 ? 1 : p.done / p.total;
  if (p.etaMs === undefined || p.elapsedMs + p.etaMs <= 0) return undefined;
  return p.elapsedMs / (p.elapsedMs + p.etaMs);
}

// ── the results ──────────────────────────────────────────────────────────────────────────────

function clocks(seconds: number, timezone: string): HTMLElement {
  const utc = new Date(seconds * 1000).toISOString();
  return el(
    "span",
    {},
    formatTime(seconds, timezone),
    el("br"),
    el("span", { class: "muted" }, `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`),
  );
}

function contactCells(c: FoundContact): [Node | string, string, string, Bi | null] {
  switch (c.details.kind) {
    case "contact":
      return [c.details.contact.name, c.details.contact.phone, c.details.contact.idNumber, null];
    case "card":
      return [
        c.details.contact.name,
        c.details.contact.phone,
        c.details.contact.idNumber,
        { en: "citizen card, opened", zh: "登记卡，已打开" },
      ];
    case "sealed-card":
      return [
        bi("Sealed citizen card", "密封登记卡"),
        "",
        "",
        { en: "give the authority key to open it", zh: "需提供卫生部门密钥才能打开" },
      ];
    case "card-unreadable":
      return [
        bi("Unreadable citizen card", "无法读取的登记卡"),
        "",
        "",
        { en: `does not open (${c.details.code})`, zh: `无法打开（${c.details.code}）` },
      ];
  }
}

function contactsTable(contacts: readonly FoundContact[], timezone: string): HTMLElement {
  const table = el("table", { class: "contacts", id: "contacts-table" });
  const caption = el("caption", { id: "contacts-caption" });
  caption.append(bi(`Contacts: ${contacts.length}`, `接触者：${contacts.length} 人`));
  const columns: Bi[] = [
    { en: "Name", zh: "姓名" },
    { en: "Phone", zh: "电话" },
    { en: "ID number", zh: "证件号码" },
    { en: "How recorded", zh: "登记方式" },
    { en: "Arrival", zh: "到达" },
    { en: "Expected departure", zh: "预计离开" },
    { en: "Companions", zh: "同行人数" },
    { en: "Entrance", zh: "入口" },
  ];
  const head = el("tr");
  for (const c of columns) head.append(el("th", { scope: "col" }, bi(c.en, c.zh)));
  const body = el("tbody");
  for (const c of contacts) {
    const [name, phone, idNumber, note] = contactCells(c);
    const how = RECORDED_BY[c.recordedBy];
    const howCell = el("td", { "data-col": "recorded-by" }, bi(how.en, how.zh));
    if (note) howCell.append(el("br"), el("span", { class: "muted" }, bi(note.en, note.zh)));
    body.append(
      el(
        "tr",
        { "data-recorded-by": c.recordedBy },
        el("td", { "data-col": "name" }, name),
        el("td", { "data-col": "phone" }, phone),
        el("td", { "data-col": "id-number" }, idNumber),
        howCell,
        el("td", { "data-col": "arrival" }, clocks(c.arrival, timezone)),
        el("td", { "data-col": "departure" }, clocks(c.expectedDeparture, timezone)),
        el("td", { "data-col": "companions", class: "number" }, String(c.companions)),
        el("td", { "data-col": "entrance" }, el("code", {}, c.entranceId)),
      ),
    );
  }
  table.append(caption, el("thead", {}, head), body);
  // A wide table scrolls inside its own focusable region, so the page never scrolls sideways.
  return el(
    "div",
    {
      class: "table-scroll",
      role: "region",
      tabindex: "0",
      "aria-labelledby": "contacts-caption",
    },
    table,
  );
}

function releasesList(result: QueryResult): HTMLElement {
  return el(
    "ul",
    { id: "releases-list" },
    ...result.releases.map((r) =>
      el(
        "li",
        { "data-holder": r.trusteeId },
        r.trusteeId === "log"
          ? bi(
              `The log's epoch share: released at log entry ${r.releaseIndex}`,
              `日志的每日密钥份额：发布记录于日志第 ${r.releaseIndex} 条`,
            )
          : bi(
              `Trustee ${r.trusteeId}: released at log entry ${r.releaseIndex}`,
              `受托方 ${r.trusteeId}：发布记录于日志第 ${r.releaseIndex} 条`,
            ),
      ),
    ),
  );
}

function expiredList(result: QueryResult, timezone: string): HTMLElement {
  if (result.expired.length === 0) {
    return paragraph(
      "None: every entrance-hour of the query could be decrypted.",
      "无：查询的所有入口时段均可解密。",
      { id: "expired-none", class: "muted" },
    );
  }
  return el(
    "ul",
    { id: "expired-list" },
    ...result.expired.map((i) =>
      el(
        "li",
        { "data-withheld-by": i.withheldBy.join(" "), "data-reason": i.reason },
        el("code", {}, i.entranceId),
        ` ${bothClocks(i.slotStart, timezone)} — `,
        i.reason === "no-epoch-key"
          ? bi(
              "the log published no epoch key for this day, so no check-in can exist for it",
              "日志未发布该日的时段密钥，因此该时段不可能有签到",
            )
          : bi(
              `past retention; key withheld by ${i.withheldBy.join(", ")}`,
              `已过保留期；密钥由 ${i.withheldBy.join("、")} 拒绝发布`,
            ),
      ),
    ),
  );
}

function failureText(result: QueryResult): HTMLElement | null {
  const entries = Object.entries(result.failures);
  if (entries.length === 0) return null;
  const total = entries.reduce((n, [, k]) => n + k, 0);
  const codes = entries.map(([code, k]) => `${code}: ${k}`).join(", ");
  return paragraph(
    `${total} stored ciphertext(s) did not decrypt to a check-in (${codes}). A device can send any bytes; these are not contacts.`,
    `${total} 条存储的密文未能解密为登记记录（${codes}）。设备可能发送任意数据，这些不是接触者。`,
    { id: "decrypt-failures" },
  );
}

function renderResult(box: HTMLElement, result: QueryResult, timezone: string): void {
  const csv = button({ en: "Download CSV", zh: "下载 CSV" }, { id: "csv-download" });
  csv.addEventListener("click", () => {
    // Built here from the page's memory; the Blob URL never leaves this browser.
    const bytes = new TextEncoder().encode(contactsCsv(result.contacts));
    downloadBytes(
      bytes,
      "text/csv;charset=utf-8",
      `lintel-query-${result.queryIndex}-contacts.csv`,
    );
  });
  const forget = button(
    { en: "Forget these results", zh: "清除这些结果" },
    { id: "forget-results", class: "secondary" },
  );
  forget.addEventListener("click", () => {
    replaceChildren(
      box,
      paragraph("The results were cleared from this page.", "结果已从本页面清除。", {
        class: "muted",
      }),
    );
    announce({ en: "Results cleared.", zh: "结果已清除。" });
  });
  replaceChildren(
    box,
    paragraph(
      `${result.contacts.length} contact(s) from ${result.ciphertexts} check-in ciphertext(s). The log's proof was cosigned by: ${result.proof.cosigners.join(", ") || "no witness"}.`,
      `从 ${result.ciphertexts} 条登记密文中找到 ${result.contacts.length} 名接触者。日志证明的见证方：${result.proof.cosigners.join("、") || "无"}。`,
      { id: "decrypt-summary" },
    ),
    failureText(result),
    contactsTable(result.contacts, timezone),
    el("div", { class: "actions" }, csv, forget),
    el("h3", { id: "releases-heading" }, bi("Who released keys", "密钥发布方")),
    releasesList(result),
    el(
      "h3",
      { id: "expired-heading" },
      bi("Past retention (cannot be decrypted)", "已过保存期（无法解密）"),
    ),
    expiredList(result, timezone),
  );
}

// ── the panel ────────────────────────────────────────────────────────────────────────────────

/** Renders the decrypt panel for `query` into `section` and starts at once. */
export function renderDecrypt(
  section: HTMLElement,
  query: DraftQuery,
  boxKey: BoxKeyInputs,
  ctx: DecryptContext,
): void {
  // One run at a time: a second click must not blank the panel of the run still going.
  if (section.dataset.busy === "true") {
    announce({ en: "A decryption is still running.", zh: "解密仍在进行中。" });
    return;
  }
  const index = query.queryIndex;
  const error = errorRegion("decrypt-error");
  // The step, announced politely as it changes; the count and time left below it change every
  // few seconds, so they are read on demand (the bar's value text, the line under it), not
  // announced. Both lines keep their height from the start: nothing below them moves.
  const status = el("p", { id: "decrypt-status", role: "status", class: "progress-line" });
  const detail = el("p", { id: "decrypt-eta", class: "progress-line muted" });
  const bar = el("progress", {
    id: "decrypt-progress",
    "aria-labelledby": "decrypt-status",
    "aria-describedby": "decrypt-eta",
  });
  const results = el("div", { id: "decrypt-results" });
  replaceChildren(
    section,
    heading(
      2,
      { en: `Query ${index}: release and decrypt`, zh: `查询 ${index}：发布密钥并解密` },
      { id: "work-heading", tabindex: "-1" },
    ),
    paragraph(
      "Everything below is decrypted in this browser and kept only in this page: nothing is stored or sent. Reloading or leaving the page forgets it.",
      "以下内容均在本浏览器中解密，只保存在本页面：不存储、不发送。刷新或离开页面后即被清除。",
      { class: "note" },
    ),
    status,
    bar,
    detail,
    error,
    results,
  );
  section.hidden = false;
  section.querySelector<HTMLElement>("#work-heading")?.focus();
  if (index === undefined) return;

  void runBusy(section, async () => {
    let shown = 0;
    let lastText = "";
    let lastShown = Number.NEGATIVE_INFINITY;
    const show = (p: Progress) => {
      const text = progressText(p);
      if (text.en === lastText) return;
      lastText = text.en;
      status.replaceChildren(bi(text.en, text.zh));
    };
    const showDecrypting = (p: DecryptProgress) => {
      const share = fraction(p);
      // The bar only moves forward, even when the estimate of the total changes.
      if (share !== undefined && share >= shown) {
        shown = share;
        bar.max = 1000;
        bar.value = Math.round(share * 1000);
      }
      // Text at most once a second (and always the last): a screen reader re-reads it on demand.
      const final = p.total !== undefined && p.done >= p.total;
      if (!final && p.elapsedMs - lastShown < 1000) return;
      lastShown = p.elapsedMs;
      const text = decryptingText(p);
      detail.replaceChildren(bi(text.en, text.zh));
      bar.setAttribute("aria-valuetext", text.en);
    };
    show({ step: "proof" });
    let pool: DecryptPool | undefined;
    let authorityBoxSecretKey: Uint8Array | undefined;
    try {
      const [deployment, officer, secretKey] = await Promise.all([
        ctx.deployment(),
        ctx.officer(),
        readBoxKey(boxKey),
      ]);
      authorityBoxSecretKey = secretKey;
      // One worker per core (navigator.hardwareConcurrency): the page itself only merges.
      pool = createBrowserDecryptPool(
        () => new Worker(new URL("./authority-worker.js", import.meta.url), { type: "module" }),
      );
      const result = await decryptQuery({
        officer,
        deployment,
        queryIndex: index,
        pool,
        // The public log's audit, kept in this browser: the next decryption starts from it.
        logStore: indexedDbExposureAuditStore(),
        // The release keys this browser filed with: the holders' keys are sealed to them.
        releaseSecretKey: (releaseKey) => indexedDbReleaseKeyStore().find(releaseKey),
        ...(authorityBoxSecretKey ? { authorityBoxSecretKey } : {}),
        onProgress: show,
        onDecryptProgress: showDecrypting,
      });
      bar.max = 1;
      bar.value = 1;
      bar.removeAttribute("aria-valuetext");
      detail.replaceChildren();
      status.replaceChildren(
        bi(
          `Done: ${result.contacts.length} contact(s) found.`,
          `完成：找到 ${result.contacts.length} 名接触者。`,
        ),
      );
      renderResult(results, result, ctx.timezone);
      announce({
        en: `Decrypted: ${result.contacts.length} contact(s).`,
        zh: `解密完成：${result.contacts.length} 名接触者。`,
      });
    } catch (e) {
      bar.remove();
      detail.remove();
      clearRegion(status);
      ctx.fail(error, e);
    } finally {
      // This copy of the key is of no more use; the field keeps its text until the page goes.
      authorityBoxSecretKey?.fill(0);
      await pool?.close();
    }
  });
}
