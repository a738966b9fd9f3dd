/**
 * "Check a pass" on the staff page: the camera reads the receipt QR on a person's pass (or a
 * handheld scanner types its text into the field), and this device decides, with no request to
 * the service, whether it is a genuine check-in at this venue, made today and still running
 * (pass-verdict.ts). The answer is shown large in the page's language: accepted with the entrance,
 * the time it was stored and until when, or refused with the reason.
 *
 * The receipt names only an entrance, slots and times: nothing about the person is read or kept,
 * and the verdict goes when the next pass is checked.
 */
import { el, replaceChildren } from "./dom.ts";
import { bi, biText, tr } from "./i18n.ts";
import { checkPass, type PassCheckContext, type PassVerdict } from "./pass-verdict.ts";
import { cameraPart } from "./staff-camera-part.ts";
import type { StaffDesk } from "./staff-desk.ts";
import { localClock, localDate } from "./staff-time.ts";
import { button, clearRegion, errorRegion, heading, onSubmit, paragraph, textField } from "./ui.ts";

/** The longest text a receipt QR holds (a receipt is under 200 bytes; base32 is 8/5 of it). */
const RECEIPT_TEXT_MAX = 400;

/** What the check needs, from the page: the deployment's receipt key and the venue's entrances. */
export type PassContextSource = () => Promise<PassCheckContext>;

function minutesText(seconds: number): { en: string; zh: string } {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 120) return { en: `${minutes} min`, zh: `${minutes} 分钟` };
  const hours = Math.floor(minutes / 60);
  return { en: `${hours} h ${minutes % 60} min`, zh: `${hours} 小时 ${minutes % 60} 分钟` };
}

/** Why a pass was refused, as staff can say it to the person. */
function refusalText(
  verdict: Extract<PassVerdict, { ok: false }>,
  timeZone: string,
  now: number,
): { en: string; zh: string } {
  switch (verdict.reason) {
    case "not-genuine":
      return {
        en: "Not a Lintel receipt of this service, or it was altered (the signature does not match).",
        zh: "不是本服务的 Lintel 回执，或已被改动（签名不符）。",
      };
    case "another-venue":
      return { en: "This pass is from another venue.", zh: "此凭证来自其他场所。" };
    case "another-day": {
      const day = localDate(verdict.storedAt ?? 0, timeZone);
      return {
        en: `This pass is from an earlier day (${day}), not today.`,
        zh: `此凭证是其他日期（${day}）的，不是今天的。`,
      };
    }
    case "stay-over": {
      const ago = minutesText(now - (verdict.until ?? now));
      const at = localClock(verdict.until ?? now, timeZone);
      return {
        en: `This stay is over: it ended at ${at}, ${ago.en} ago.`,
        zh: `此次停留已结束：于 ${at} 结束，已过 ${ago.zh}。`,
      };
    }
    case "not-started":
      return {
        en: "This stay has not started yet: check this device's clock.",
        zh: "此次停留尚未开始：请检查本设备的时间。",
      };
  }
}

/** Draws `verdict` into `result`, large, and says it to screen readers. */
function showVerdict(
  result: HTMLElement,
  verdict: PassVerdict,
  timeZone: string,
  now: number,
): void {
  result.dataset.verdict = verdict.ok ? "accepted" : "refused";
  if (verdict.ok) delete result.dataset.reason;
  else result.dataset.reason = verdict.reason;
  result.className = verdict.ok ? "pass-verdict accepted" : "pass-verdict refused";
  const lines: Node[] = [
    el(
      "p",
      { class: "verdict-word", id: "pass-verdict-word" },
      verdict.ok ? bi("Accepted", "通过") : bi("Refused", "不通过"),
    ),
  ];
  if (!verdict.ok) {
    lines.push(el("p", { id: "pass-verdict-reason" }, tr(refusalText(verdict, timeZone, now))));
  }
  if (verdict.entrance && verdict.storedAt !== undefined && verdict.until !== undefined) {
    const at = localClock(verdict.storedAt, timeZone);
    const until = localClock(verdict.until, timeZone);
    const entrance = tr(verdict.entrance.label);
    lines.push(
      el(
        "p",
        { id: "pass-verdict-facts" },
        biText(
          `Entrance: ${entrance}. Checked in at ${at}, stay until ${until}.`,
          `入口：${entrance}。登记时间 ${at}，停留至 ${until}。`,
        ),
      ),
    );
  }
  replaceChildren(result, ...lines);
}

/** The "Check a pass" section for the door being worked. */
export function checkPassSection(desk: StaffDesk, source: PassContextSource): HTMLElement {
  const section = el("section", {
    id: "check-pass",
    class: "task",
    "aria-labelledby": "check-pass-heading",
  });
  const error = errorRegion("check-pass-error");
  // Polite, not an alert: the verdict is the answer to what staff just did.
  const result = el("div", { id: "pass-result", class: "pass-verdict", "aria-live": "polite" });
  const judge = async (text: string): Promise<void> => {
    clearRegion(error);
    let context: PassCheckContext;
    try {
      context = await source();
    } catch (e) {
      replaceChildren(result);
      desk.fail(error, e);
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    showVerdict(result, checkPass(text, context, now), context.timeZone, now);
  };

  const camera = cameraPart({
    id: "scan-pass",
    panelId: "pass-camera",
    label: { en: "Scan a pass with the camera", zh: "用摄像头扫描凭证" },
    prompt: {
      en: "Hold the pass's receipt QR code in front of the camera.",
      zh: "请将凭证上的回执二维码对准摄像头。",
    },
    onOpen: () => {
      clearRegion(error);
      replaceChildren(result);
    },
    onText: (text) => {
      void judge(text);
      return true;
    },
    onError: (e) => desk.fail(error, e),
  });

  const form = el("form", { id: "pass-text-form" });
  const field = textField(
    "pass-text",
    { en: "Receipt text", zh: "回执文字" },
    {
      maxLength: RECEIPT_TEXT_MAX,
      autocomplete: "off",
      hint: {
        en: "Or scan the receipt QR with a handheld scanner into this field.",
        zh: "也可用扫码枪将回执二维码扫入此栏。",
      },
    },
  );
  field.input.spellcheck = false;
  field.input.setAttribute("autocapitalize", "characters");
  const submit = button({ en: "Check the pass", zh: "核验凭证" }, { id: "pass-text-submit" });
  submit.type = "submit";
  form.append(field.wrapper, submit);
  onSubmit(form, async () => {
    await judge(field.input.value);
    field.input.value = "";
  });

  replaceChildren(
    section,
    heading(2, { en: "Check a pass", zh: "核验凭证" }, { id: "check-pass-heading" }),
    paragraph(
      "Scan the receipt QR code on a person's pass. This device checks it without the network: genuine, made at this venue today, and the stay not over. Look at the pass's clock too: its seconds must be turning.",
      "扫描凭证上的回执二维码。本设备无需联网即可核验：是否真实、是否今天在本场所登记、停留是否未结束。同时请看凭证上的时钟：秒数应在跳动。",
    ),
    camera,
    form,
    error,
    result,
  );
  return section;
}
