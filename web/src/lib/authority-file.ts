/**
 * Filing an exposure query (PROTOCOL.md §11.2): the form, checked here against the officer policy
 * and the protocol's field limits, then built, hashed and signed on this device by the SDK. The
 * case reference and the legal document never leave the browser: the log holds only their
 * SHA-256, which the approving officer can check against their own copy.
 */
import {
  buildQuery,
  fileQuery,
  indexedDbReleaseKeyStore,
  newReleaseKey,
  type OfficerOptions,
} from "@lintel/client-sdk";
import { MIN_LEGAL_BASIS_CHARS, MIN_REASON_CHARS } from "@lintel/protocol";
import {
  bothClocks,
  ceilHour,
  floorHour,
  localInputValue,
  type OfficerPolicy,
} from "./authority-context.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi, biText } from "./i18n.ts";
import { zonedToUnix } from "./staff-time.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  errorRegion,
  fileField,
  heading,
  onSubmit,
  paragraph,
  setFieldError,
  showMessage,
  splitDateTime,
  textField,
  wallClockField,
} from "./ui.ts";
import { approvedVenues, venueDetail } from "./venues.ts";

const HOUR = 3600;
/** Protocol limits (bytes of UTF-8) of the logged fields, PROTOCOL.md §10.2. */
const LEGAL_BASIS_BYTES = 120;
const REASON_BYTES = 200;
const ENTRANCE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** A warrant or court order; the page only hashes it, so the size bounds reading, not uploading. */
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export interface FileContext {
  readonly timezone: string;
  readonly policy: OfficerPolicy | null;
  readonly officer: () => Promise<OfficerOptions>;
  /** After a draft is filed: the list of queries reloads. */
  readonly onFiled: (draftId: string) => Promise<void>;
  /** Shows a failure in `region` (or, when it ended the sign-in, goes back to signing in). */
  readonly fail: (region: HTMLElement, e: unknown) => void;
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** The approved venues' entrances as checkboxes (public data; a demo has few venues). */
async function entranceChoices(box: HTMLElement): Promise<void> {
  try {
    // One page (50 venues), each asked for its entrances; more are typed in by id below.
    const venues = await approvedVenues(1);
    const details = await Promise.all(venues.map((v) => venueDetail(v.id)));
    const groups = details
      .filter((v) => v.entrances.length > 0)
      .map((v) => {
        const fieldset = el("fieldset", { class: "venue-entrances" });
        const legend = el("legend");
        legend.textContent = biText(v.name.en, v.name.zh);
        fieldset.append(legend);
        for (const e of v.entrances) {
          const label = document.createDocumentFragment();
          label.append(biText(e.label.en, e.label.zh), " ", el("code", {}, e.id));
          const row = checkbox(`entrance-${e.id}`, label);
          row.querySelector("input")!.dataset.entrance = e.id;
          fieldset.append(row);
        }
        return fieldset;
      });
    replaceChildren(
      box,
      ...(groups.length > 0
        ? groups
        : [paragraph("No approved venues yet.", "暂无已批准的场所。", { class: "muted" })]),
    );
  } catch {
    replaceChildren(
      box,
      paragraph(
        "The venue list could not be loaded; type the entrance ids below.",
        "无法加载场所列表，请在下方输入入口编号。",
        { class: "muted" },
      ),
    );
  }
}

/** The entrances ticked and typed, in that order, without repeats. */
function chosenEntrances(form: HTMLFormElement, typed: string): string[] {
  const ticked = [...form.querySelectorAll<HTMLInputElement>("input[data-entrance]")]
    .filter((i) => i.checked)
    .map((i) => i.dataset.entrance ?? "");
  const extra = typed
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [...new Set([...ticked, ...extra])];
}

function windowInput(id: string, label: Bi, value: string) {
  const field = wallClockField(id, label, "date-time", {
    required: true,
    value,
    hint: {
      en: "In the deployment's time zone; rounded to whole hours (start down, end up).",
      zh: "按部署所在时区填写；将取整到整点（开始向前取整，结束向后取整）。",
    },
  });
  return field;
}

export function renderFileSection(section: HTMLElement, ctx: FileContext): void {
  const { timezone, policy } = ctx;
  const now = Math.floor(Date.now() / 1000);
  const form = el("form", { id: "file-form" });

  const limits = el("ul", { id: "policy-limits", class: "limits" });
  if (policy) {
    limits.append(
      el(
        "li",
        {},
        bi(
          `Approvals needed: ${policy.approvalsRequired} officers (you and at least one other)`,
          `所需批准：${policy.approvalsRequired} 名人员（您和至少另一名人员）`,
        ),
      ),
      el(
        "li",
        {},
        bi(
          `Longest window: ${policy.maxWindowHours} hours`,
          `最长时间窗口：${policy.maxWindowHours} 小时`,
        ),
      ),
      el(
        "li",
        {},
        bi(
          `Most entrances in one query: ${policy.maxEntrancesPerQuery}`,
          `每个查询最多入口数：${policy.maxEntrancesPerQuery}`,
        ),
      ),
    );
    // The sweep limits the log enforces (entrances × hours), when the service states them.
    if (policy.maxEntranceHoursPerQuery !== undefined) {
      limits.append(
        el(
          "li",
          { "data-limit": "entrance-hours" },
          bi(
            `Entrance-hours (entrances × hours): at most ${policy.maxEntranceHoursPerQuery} with ${policy.approvalsRequired} officers, up to ${policy.maxEntranceHoursWide} with ${policy.wideQueryApprovals}`,
            `入口时段数（入口 × 小时）：${policy.approvalsRequired} 名人员最多 ${policy.maxEntranceHoursPerQuery}，${policy.wideQueryApprovals} 名人员最多 ${policy.maxEntranceHoursWide}`,
          ),
        ),
        el(
          "li",
          { "data-limit": "per-case" },
          bi(
            `One case: at most ${policy.maxQueriesPerCase} queries and ${policy.maxEntranceHoursPerCase} entrance-hours in all`,
            `每个案件：最多 ${policy.maxQueriesPerCase} 个查询，共 ${policy.maxEntranceHoursPerCase} 个入口时段`,
          ),
        ),
        el(
          "li",
          {},
          bi(
            `Only entrances the registry issued; legal basis and reason must say something (${MIN_LEGAL_BASIS_CHARS} and ${MIN_REASON_CHARS} characters at least)`,
            `只能查询登记机构已签发的入口；法律依据和理由须有实际内容（分别至少 ${MIN_LEGAL_BASIS_CHARS} 和 ${MIN_REASON_CHARS} 个字符）`,
          ),
        ),
      );
    }
  }
  limits.append(
    el(
      "li",
      {},
      bi(
        "The window may end at most one hour after now.",
        "时间窗口最晚只能在当前时间后一小时结束。",
      ),
    ),
  );

  const caseRef = textField(
    "case-reference",
    { en: "Case reference", zh: "案件编号" },
    {
      required: true,
      maxLength: 200,
      autocomplete: "off",
      hint: {
        en: "Hashed on this device: only its SHA-256 is logged. The approving officer checks it against their copy.",
        zh: "在本设备上计算哈希：日志只记录其 SHA-256。批准人员将用其副本核对。",
      },
    },
  );
  const legalBasis = textField(
    "legal-basis",
    { en: "Legal basis", zh: "法律依据" },
    {
      required: true,
      multiline: true,
      maxLength: LEGAL_BASIS_BYTES,
      hint: {
        en: `Logged as written, publicly: at most ${LEGAL_BASIS_BYTES} bytes (about 40 Chinese characters).`,
        zh: `按原文公开记录于日志：最多 ${LEGAL_BASIS_BYTES} 字节（约 40 个汉字）。`,
      },
    },
  );
  const documentField = fileField(
    "legal-document",
    { en: "Legal document (warrant or order)", zh: "法律文书（授权令或命令）" },
    "application/pdf,image/png,image/jpeg,.pdf",
    {
      en: "Required. Hashed on this device and never uploaded: only its SHA-256 is logged.",
      zh: "必填。仅在本设备上计算哈希，绝不上传：日志只记录其 SHA-256。",
    },
  );
  documentField.input.required = true;

  const entranceBox = el("div", { id: "entrance-choices" });
  entranceBox.append(paragraph("Loading venues…", "正在加载场所…", { class: "muted" }));
  const entranceSet = el("fieldset", { id: "entrances-fieldset" });
  const entranceLegend = el("legend");
  entranceLegend.append(bi("Entrances", "入口"));
  const typedEntrances = textField(
    "entrance-ids",
    { en: "Other entrance ids", zh: "其他入口编号" },
    {
      autocomplete: "off",
      hint: {
        en: "Separated by spaces or commas, e.g. hbr-main. Tick or type at least one.",
        zh: "用空格或逗号分隔，例如 hbr-main。至少勾选或输入一个。",
      },
    },
  );
  typedEntrances.input.spellcheck = false;
  entranceSet.append(entranceLegend, entranceBox, typedEntrances.wrapper);
  void entranceChoices(entranceBox);

  const startDefault = floorHour(now);
  const start = windowInput(
    "window-start",
    { en: "Window start", zh: "时间窗口开始" },
    localInputValue(startDefault, timezone),
  );
  const end = windowInput(
    "window-end",
    { en: "Window end", zh: "时间窗口结束" },
    localInputValue(startDefault + HOUR, timezone),
  );
  const windowText = el("p", { id: "window-utc", class: "muted" });

  const reason = textField(
    "reason",
    { en: "Reason", zh: "理由" },
    {
      required: true,
      multiline: true,
      maxLength: REASON_BYTES,
      hint: {
        en: `Logged publicly: at most ${REASON_BYTES} bytes. No names or other personal data.`,
        zh: `公开记录于日志：最多 ${REASON_BYTES} 字节。请勿填写姓名或其他个人信息。`,
      },
    },
  );

  /** The window as Unix seconds, rounded to whole hours, or null where an input is unreadable. */
  const readWindow = (): { start: number; end: number } | null => {
    const parse = (value: string) => {
      const { date, time } = splitDateTime(value);
      return zonedToUnix(date, time, timezone);
    };
    const s = parse(start.input.value);
    const e = parse(end.input.value);
    return s === null || e === null ? null : { start: floorHour(s), end: ceilHour(e) };
  };
  const showWindow = () => {
    const w = readWindow();
    if (!w || w.end <= w.start) {
      windowText.replaceChildren(bi("The window is not complete yet.", "时间窗口尚未填写完整。"));
      return;
    }
    const hours = (w.end - w.start) / HOUR;
    windowText.replaceChildren(
      bi(
        `From ${bothClocks(w.start, timezone)} to ${bothClocks(w.end, timezone)}: ${hours} hour(s)`,
        `从 ${bothClocks(w.start, timezone)} 至 ${bothClocks(w.end, timezone)}：共 ${hours} 小时`,
      ),
    );
  };
  start.input.addEventListener("input", showWindow);
  end.input.addEventListener("input", showWindow);
  showWindow();

  const error = errorRegion("file-error");
  const submit = button(
    { en: "Sign and file the query", zh: "签名并提交查询" },
    { id: "file-submit" },
  );
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);
  const result = el("div", { id: "file-result" });

  form.append(
    caseRef.wrapper,
    legalBasis.wrapper,
    documentField.wrapper,
    entranceSet,
    el("div", { class: "field-row" }, start.wrapper, end.wrapper),
    windowText,
    reason.wrapper,
    error,
    submit,
  );

  onSubmit(form, async () => {
    clearRegion(error);
    clearRegion(result);
    const problems: HTMLElement[] = [];
    const check = (control: HTMLElement, message: Bi | null) => {
      setFieldError(control, message);
      if (message) problems.push(control);
    };
    check(
      caseRef.input,
      caseRef.input.value.trim() === ""
        ? { en: "Enter the case reference.", zh: "请输入案件编号。" }
        : null,
    );
    const basis = legalBasis.input.value.trim();
    check(
      legalBasis.input,
      basis === ""
        ? { en: "Enter the legal basis.", zh: "请输入法律依据。" }
        : utf8Length(basis) > LEGAL_BASIS_BYTES
          ? { en: `At most ${LEGAL_BASIS_BYTES} bytes.`, zh: `最多 ${LEGAL_BASIS_BYTES} 字节。` }
          : null,
    );
    const file = documentField.input.files?.[0];
    check(
      documentField.input,
      !file
        ? { en: "Choose the legal document.", zh: "请选择法律文书。" }
        : file.size > MAX_DOCUMENT_BYTES
          ? { en: "The file is larger than 20 MB.", zh: "文件大于 20 MB。" }
          : null,
    );
    const entrances = chosenEntrances(form, typedEntrances.input.value);
    const badId = entrances.find((id) => !ENTRANCE_ID.test(id));
    const maxEntrances = policy?.maxEntrancesPerQuery ?? 255;
    check(
      typedEntrances.input,
      entrances.length === 0
        ? { en: "Tick or type at least one entrance.", zh: "请至少勾选或输入一个入口。" }
        : badId !== undefined
          ? {
              en: "An entrance id is lower-case letters, digits and hyphens.",
              zh: "入口编号只能包含小写字母、数字和连字符。",
            }
          : entrances.length > maxEntrances
            ? {
                en: `At most ${maxEntrances} entrances in one query.`,
                zh: `每个查询最多 ${maxEntrances} 个入口。`,
              }
            : null,
    );
    const w = readWindow();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const maxHours = policy?.maxWindowHours ?? Number.POSITIVE_INFINITY;
    check(
      start.input,
      w === null
        ? { en: "Enter a date and time.", zh: "请输入日期和时间。" }
        : w.end <= w.start
          ? { en: "The window must end after it starts.", zh: "结束时间必须晚于开始时间。" }
          : (w.end - w.start) / HOUR > maxHours
            ? {
                en: `The window is longer than ${maxHours} hours.`,
                zh: `时间窗口超过 ${maxHours} 小时。`,
              }
            : null,
    );
    check(
      end.input,
      w !== null && w.end > nowSeconds + HOUR
        ? {
            en: "The window may end at most one hour after now.",
            zh: "时间窗口最晚只能在当前时间后一小时结束。",
          }
        : null,
    );
    const why = reason.input.value.trim();
    check(
      reason.input,
      why === ""
        ? { en: "Enter the reason.", zh: "请输入理由。" }
        : utf8Length(why) > REASON_BYTES
          ? { en: `At most ${REASON_BYTES} bytes.`, zh: `最多 ${REASON_BYTES} 字节。` }
          : null,
    );
    if (problems.length > 0 || !file || !w) {
      showMessage(error, {
        en: "Some fields need attention (marked below).",
        zh: "部分字段需要修改（已在下方标出）。",
      });
      problems[0]?.focus();
      return;
    }
    try {
      const officer = await ctx.officer();
      // The query's release key: its secret half stays in this browser (IndexedDB), so only
      // this device opens the holders' sealed releases (PROTOCOL.md §11.3).
      const releaseKey = newReleaseKey();
      await indexedDbReleaseKeyStore().remember(releaseKey);
      const entry = await buildQuery({
        deployment: officer.deployment,
        releaseKey: releaseKey.publicKey,
        caseReference: caseRef.input.value.trim(),
        legalBasis: basis,
        legalDocument: new Uint8Array(await file.arrayBuffer()),
        entrances,
        windowStart: w.start,
        windowEnd: w.end,
        reason: why,
      });
      const filed = await fileQuery(officer, entry);
      form.reset();
      for (const input of form.querySelectorAll("input[data-entrance]")) {
        (input as HTMLInputElement).checked = false;
      }
      start.input.value = localInputValue(floorHour(Date.now() / 1000), timezone);
      end.input.value = localInputValue(floorHour(Date.now() / 1000) + HOUR, timezone);
      showWindow();
      replaceChildren(
        result,
        paragraph(
          `Filed as draft ${filed.draftId}. Another officer must now review and approve it.`,
          `已提交为草稿 ${filed.draftId}。现在须由另一名人员审核并批准。`,
          { class: "ok" },
        ),
      );
      announce({ en: "Query filed for approval.", zh: "查询已提交待批准。" });
      await ctx.onFiled(filed.draftId);
    } catch (e) {
      ctx.fail(error, e);
    }
  });

  section.append(
    heading(2, { en: "File a query", zh: "提交查询" }, { id: "file-heading", tabindex: "-1" }),
    paragraph(
      "A query opens the check-ins of the named entrances for whole hours, only after a second officer approves it and the public log records it.",
      "查询仅在第二名人员批准且公开日志记录后，才会开放所列入口在整点时段内的登记记录。",
      { class: "muted" },
    ),
    el("h3", { id: "policy-heading" }, bi("Limits of this deployment", "本部署的限制")),
    limits,
    form,
    result,
  );
}
