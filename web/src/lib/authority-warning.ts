/**
 * Publishing an exposure warning (PROTOCOL.md §11.6): one entrance and a window inside a logged
 * query's, signed by this officer's device and logged. Citizens' devices read it from the public
 * log and compare it with their own diary; nothing about any person is in it.
 */
import { type DraftQuery, type OfficerOptions, publishWarning } from "@lintel/client-sdk";
import { bothClocks, localInputValue } from "./authority-context.ts";
import { el, replaceChildren } from "./dom.ts";
import type { Bi } from "./i18n.ts";
import { zonedToUnix } from "./staff-time.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  splitDateTime,
  wallClockField,
} from "./ui.ts";

export interface WarningContext {
  readonly timezone: string;
  readonly officer: () => Promise<OfficerOptions>;
  readonly fail: (region: HTMLElement, e: unknown) => void;
}

export function renderWarning(section: HTMLElement, query: DraftQuery, ctx: WarningContext): void {
  if (section.dataset.busy === "true") {
    announce({ en: "A decryption is still running.", zh: "解密仍在进行中。" });
    return;
  }
  const { timezone } = ctx;
  const q = query.query;
  const index = query.queryIndex;
  const form = el("form", { id: "warning-form" });
  const entrance = selectField(
    "warning-entrance",
    { en: "Entrance", zh: "入口" },
    q.entrances.map((e) => ({ value: e, label: { en: e, zh: "" } })),
    { required: true },
  );
  const hint: Bi = {
    en: "In the deployment's time zone, to the minute; inside the query's window.",
    zh: "按部署所在时区填写，精确到分钟；须在查询的时间窗口内。",
  };
  const start = wallClockField(
    "warning-start",
    { en: "Warning from", zh: "警示开始" },
    "date-time",
    {
      required: true,
      value: localInputValue(q.windowStart, timezone),
      hint,
    },
  );
  const end = wallClockField("warning-end", { en: "Warning until", zh: "警示结束" }, "date-time", {
    required: true,
    value: localInputValue(q.windowEnd, timezone),
    hint,
  });
  const error = errorRegion("warning-error");
  const submit = button(
    { en: "Sign and publish the warning", zh: "签名并发布警示" },
    { id: "warning-submit" },
  );
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);
  const result = el("div", { id: "warning-result" });
  form.append(
    entrance.wrapper,
    el("div", { class: "field-row" }, start.wrapper, end.wrapper),
    error,
    submit,
  );

  const read = (value: string) => {
    const { date, time } = splitDateTime(value);
    return zonedToUnix(date, time, timezone);
  };
  onSubmit(form, async () => {
    clearRegion(error);
    clearRegion(result);
    const s = read(start.input.value);
    const e = read(end.input.value);
    const outside: Bi = {
      en: "Must be inside the query's window.",
      zh: "必须在查询的时间窗口内。",
    };
    const startError: Bi | null =
      s === null
        ? { en: "Enter a date and time.", zh: "请输入日期和时间。" }
        : s < q.windowStart
          ? outside
          : null;
    const endError: Bi | null =
      e === null
        ? { en: "Enter a date and time.", zh: "请输入日期和时间。" }
        : e > q.windowEnd
          ? outside
          : s !== null && e <= s
            ? { en: "Must be after the start.", zh: "必须晚于开始时间。" }
            : null;
    setFieldError(start.input, startError);
    setFieldError(end.input, endError);
    if (startError || endError || s === null || e === null || index === undefined) {
      showMessage(error, { en: "Check the window.", zh: "请检查时间窗口。" });
      (startError ? start.input : end.input).focus();
      return;
    }
    try {
      const published = await publishWarning(await ctx.officer(), {
        queryIndex: index,
        entranceId: entrance.input.value,
        windowStart: s,
        windowEnd: e,
      });
      replaceChildren(
        result,
        paragraph(
          `Published at log entry ${published.index}: ${entrance.input.value}, ${bothClocks(s, timezone)} – ${bothClocks(e, timezone)}.`,
          `已发布，记录于日志第 ${published.index} 条：${entrance.input.value}，${bothClocks(s, timezone)} – ${bothClocks(e, timezone)}。`,
          { class: "ok", id: "warning-published" },
        ),
      );
      announce({ en: "Warning published.", zh: "警示已发布。" });
    } catch (err) {
      ctx.fail(error, err);
    }
  });

  replaceChildren(
    section,
    heading(
      2,
      { en: `Query ${index}: exposure warning`, zh: `查询 ${index}：暴露警示` },
      { id: "work-heading", tabindex: "-1" },
    ),
    paragraph(
      `People whose own devices show a visit to this entrance in this window are warned. The query covers ${bothClocks(q.windowStart, timezone)} – ${bothClocks(q.windowEnd, timezone)}.`,
      `设备记录显示在此时间窗口到访该入口的人员将收到警示。查询范围为 ${bothClocks(q.windowStart, timezone)} – ${bothClocks(q.windowEnd, timezone)}。`,
    ),
    form,
    result,
  );
  section.hidden = false;
  section.querySelector<HTMLElement>("#work-heading")?.focus();
}
