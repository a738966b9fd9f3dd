/**
 * The pass a person shows at the door after checking in: venue and entrance (untrusted text from
 * the signed code, as text nodes), the time the service stored it, a live clock and the time
 * spent there ticking every second, the venue's check-in word of the day in large type, how many
 * people, the receipt as a small QR code door staff can verify offline, and Check out.
 *
 * Liveness, so a screenshot is easy to tell from a live pass: the clock in large type with its
 * seconds turning, and a band across the top whose colours step every second (a change of
 * colour, not motion, so it goes on under prefers-reduced-motion). Without reduced motion the
 * band also slides, and that sliding can be paused; the stepping and the clock cannot.
 *
 * When the expected departure comes while the pass is open, the visit is checked out
 * automatically (nothing is sent: its ciphertexts end there).
 *
 * The receipt QR holds the receipt bytes as base32 (RFC 4648 alphabet, no padding), all in the QR
 * alphanumeric mode: decodeBase32 then verifyReceipt against the deployment's receipt key. The QR
 * encoder (23 kB) is fetched when a pass is first drawn, not with the page: the form comes first.
 */
import type { Visit } from "@lintel/client-sdk";
import { encodeBase32 } from "@lintel/protocol";
import { type CitizenContext, checkOutVisit, dayWordFor } from "./citizen-service.ts";
import { showCitizenProblem } from "./citizen-text.ts";
import { el } from "./dom.ts";
import { type Bi, bi, biText, tr } from "./i18n.ts";
import { announce, button, errorRegion, runBusy } from "./ui.ts";

const SVG = "http://www.w3.org/2000/svg";
/** How many colour steps the liveness band cycles through, one a second (checkin.css). */
const LIVENESS_STEPS = 4;
const QUIET_ZONE = 4;

/** A QR symbol as one SVG path (no inline style: presentation attributes only). */
export async function receiptQr(receipt: Uint8Array): Promise<SVGSVGElement> {
  const { default: QRCode } = await import("qrcode");
  const symbol = QRCode.create(encodeBase32(receipt), { errorCorrectionLevel: "M" });
  const size = symbol.modules.size;
  const full = size + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${full} ${full}`);
  svg.setAttribute("role", "img");
  svg.setAttribute(
    "aria-label",
    biText("Receipt QR code, for staff to verify", "回执二维码，供工作人员核验"),
  );
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("class", "receipt-qr");
  svg.id = "receipt-qr";
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(full));
  background.setAttribute("height", String(full));
  background.setAttribute("fill", "#ffffff");
  let d = "";
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (symbol.modules.get(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000000");
  svg.append(background, path);
  return svg;
}

/** Where the receipt QR goes once its encoder has loaded; says so if it cannot load (offline). */
function receiptPlace(receipt: Uint8Array): HTMLElement {
  const place = el("div", { class: "receipt-place" });
  receiptQr(receipt).then(
    (svg) => place.replaceChildren(svg),
    () =>
      place.replaceChildren(
        el(
          "p",
          { class: "muted", id: "receipt-unavailable" },
          bi(
            "The receipt code appears once this page can load it again.",
            "回执二维码将在页面可以加载时显示。",
          ),
        ),
      ),
  );
  return place;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      ...(withDate ? { year: "numeric", month: "2-digit", day: "2-digit" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(key, f);
  }
  return f;
}

/** "14:03:27" in the deployment's time zone. */
export function clockText(unixMs: number, timeZone: string): string {
  return formatter(timeZone, false).format(new Date(unixMs));
}

/** "2026-05-01 14:03:27" in the deployment's time zone. */
export function dateTimeText(unixSeconds: number, timeZone: string): string {
  const parts = formatter(timeZone, true).formatToParts(new Date(unixSeconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

/** "1:02:03" (hours not padded). */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}`;
}

export interface PassOptions {
  /** Called with the visit after a check-out (by the button or automatically). */
  readonly onChange?: (visit: Visit) => void;
  /** A line shown above the pass (already checked in here, sent from the queue …). */
  readonly note?: Bi;
}

export interface PassHandle {
  readonly element: HTMLElement;
  /** Stops the timers (call before removing the pass). */
  dispose(): void;
}

function fact(label: Bi, value: Node | string, attrs: Record<string, string> = {}): Node[] {
  return [el("dt", {}, bi(label.en, label.zh)), el("dd", attrs, value)];
}

/** The pass of one visit. */
export function renderPass(
  ctx: CitizenContext,
  initial: Visit,
  options: PassOptions = {},
): PassHandle {
  const timeZone = ctx.deployment.timezone;
  let visit = initial;
  const section = el("section", {
    class: "pass-section",
    id: "pass",
    "aria-labelledby": "pass-heading",
  });
  const clock = el("span", { id: "pass-clock", role: "timer", "aria-live": "off" });
  /** The band's colour step, 0–3, from the clock's second: it changes whenever the clock does. */
  let band: HTMLElement | undefined;
  const elapsed = el("span", { id: "pass-elapsed", role: "timer", "aria-live": "off" });
  const error = errorRegion("pass-error");
  let timer: number | undefined;
  let autoCheckOut: Promise<void> | undefined;

  const isOpen = () => visit.checkedOutAt === undefined;

  const tick = () => {
    const now = Date.now();
    clock.textContent = clockText(now, timeZone);
    if (band) band.dataset.step = String(Math.floor(now / 1000) % LIVENESS_STEPS);
    const until = isOpen() ? now / 1000 : (visit.checkedOutAt ?? now / 1000);
    elapsed.textContent = durationText(until - visit.storedAt);
    if (isOpen() && now / 1000 >= visit.expectedDeparture && !autoCheckOut) {
      autoCheckOut = checkOutVisit(ctx, visit, new Date(now))
        .then(({ visit: out }) => {
          visit = out;
          draw();
          announce({
            en: "Your stay is over: you were checked out automatically.",
            zh: "停留时间已到，已自动为您办理离开。",
          });
          options.onChange?.(out);
        })
        .catch((e: unknown) => showCitizenProblem(error, e));
    }
  };

  const draw = () => {
    const open = isOpen();
    const word = dayWordFor(visit);
    band = el("div", { class: "pass-band", id: "pass-band", "aria-hidden": "true" });
    const card = el(
      "div",
      { class: open ? "pass-card live" : "pass-card over", "data-state": open ? "open" : "over" },
      band,
      el("p", { class: "pass-venue venue-name", id: "pass-venue" }, tr(visit.venueName)),
      el(
        "p",
        { class: "pass-live" },
        el("span", { class: "pass-live-label" }, bi("Time now", "现在时间")),
        " ",
        clock,
      ),
      el("p", { class: "pass-entrance", id: "pass-entrance" }, tr(visit.entranceName)),
      el(
        "div",
        { class: "pass-word-box" },
        el("p", { class: "pass-word-label", id: "day-word-label" }, bi("Today's word", "今日口令")),
        word
          ? el(
              "p",
              { class: "pass-word", id: "day-word", "aria-describedby": "day-word-label" },
              tr(word),
            )
          : el(
              "p",
              { class: "pass-word missing", id: "day-word" },
              bi("Not known on this phone", "本机未保存"),
            ),
      ),
      el(
        "dl",
        { class: "pass-facts" },
        ...fact(
          { en: "Checked in (service time)", zh: "登记时间（服务器时间）" },
          el(
            "time",
            { id: "pass-stored-at", datetime: new Date(visit.storedAt * 1000).toISOString() },
            dateTimeText(visit.storedAt, timeZone),
          ),
        ),
        ...fact({ en: open ? "Here for" : "Stayed", zh: open ? "已停留" : "停留时长" }, elapsed),
        ...fact(
          { en: "People", zh: "人数" },
          el(
            "span",
            { id: "pass-head-count" },
            bi(
              visit.headCount === 1 ? "1 person" : `${visit.headCount} people`,
              `${visit.headCount} 人`,
            ),
          ),
        ),
        ...(open
          ? fact(
              { en: "Automatic check-out", zh: "自动离开" },
              el(
                "time",
                {
                  id: "pass-departure",
                  datetime: new Date(visit.expectedDeparture * 1000).toISOString(),
                },
                dateTimeText(visit.expectedDeparture, timeZone).slice(11, 16),
              ),
            )
          : fact(
              { en: "Checked out", zh: "已离开" },
              el(
                "time",
                {
                  id: "pass-checked-out",
                  datetime: new Date((visit.checkedOutAt ?? 0) * 1000).toISOString(),
                },
                dateTimeText(visit.checkedOutAt ?? 0, timeZone).slice(11, 16),
              ),
            )),
      ),
      el(
        "figure",
        { class: "receipt" },
        receiptPlace(visit.receipt),
        el(
          "figcaption",
          {},
          bi("Receipt: staff can scan it to check this check-in", "回执：工作人员可扫描核验"),
        ),
      ),
    );

    const actions = el("div", { class: "actions" });
    if (open) {
      const out = button({ en: "Check out", zh: "离开" }, { id: "check-out" });
      out.addEventListener("click", () => {
        void runBusy(out, async () => {
          try {
            const result = await checkOutVisit(ctx, visit);
            visit = result.visit;
            draw();
            announce(
              result.deleted > 0
                ? {
                    en: "Checked out. The hours you will not be here were deleted.",
                    zh: "已离开。您不在场的时段已删除。",
                  }
                : { en: "Checked out.", zh: "已离开。" },
            );
            document.getElementById("pass-heading")?.focus();
            options.onChange?.(visit);
          } catch (e) {
            showCitizenProblem(error, e);
          }
        });
      });
      const pause = button(
        { en: "Pause the animation", zh: "暂停动画" },
        { id: "pause-animation", class: "secondary", "aria-pressed": "false" },
      );
      pause.addEventListener("click", () => {
        const paused = pause.getAttribute("aria-pressed") !== "true";
        pause.setAttribute("aria-pressed", String(paused));
        card.classList.toggle("paused", paused);
      });
      actions.append(out, pause);
    }
    actions.append(
      el("a", { href: "/visits/", class: "button-link secondary" }, bi("My visits", "我的登记")),
    );

    section.replaceChildren(
      el(
        "h2",
        { id: "pass-heading", tabindex: "-1" },
        open ? bi("Checked in", "已登记") : bi("Visit over", "本次到访已结束"),
      ),
      ...(options.note
        ? [el("p", { class: "note", id: "pass-note" }, bi(options.note.en, options.note.zh))]
        : []),
      card,
      error,
      actions,
    );
    tick();
  };

  // Ticks on the second boundary, so the clock turns with the phone's own.
  let disposed = false;
  const next = () => {
    if (disposed) return;
    timer = window.setTimeout(
      () => {
        tick();
        next();
      },
      1000 - (Date.now() % 1000) + 5,
    );
  };
  draw();
  next();
  return {
    element: section,
    dispose() {
      disposed = true;
      if (timer !== undefined) window.clearTimeout(timer);
      timer = undefined;
    },
  };
}
