/**
 * The check-in page's first view: the camera scanner and the manual code, and what happens to a
 * code once read — verified here against the registry's key, then asked of the service whether
 * it is still the entrance's current code (a replaced code stores nothing and says so; without a
 * network the form is still offered and the service checks the code when the check-in arrives).
 */
import { LintelError, lookUpManualCode, readCode, type ScannedCode } from "@lintel/client-sdk";
import { showPass } from "./checkin-after.ts";
import { showForm } from "./checkin-form.ts";
import {
  clearView,
  focusHeading,
  forgetFragment,
  mark,
  stopCamera,
  trust,
  view,
} from "./checkin-view.ts";
import { startScanner } from "./citizen-scanner.ts";
import { checkCodeIsCurrent, openVisits } from "./citizen-service.ts";
import { CODE_REPLACED, showCitizenProblem } from "./citizen-text.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, biBlock, biText } from "./i18n.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  setFieldError,
  settleProgress,
  textField,
} from "./ui.ts";

interface ScanOptions {
  /** Shown at the top, as an alert (the poster's code was replaced, …). */
  readonly problem?: unknown;
  readonly replaced?: boolean;
}

export function showScan(options: ScanOptions = {}): void {
  clearView();
  const scanError = errorRegion("scan-error");
  const video = el("video", {
    id: "camera",
    class: "camera",
    "aria-label": biText("Camera view", "摄像头画面"),
    playsinline: "",
    muted: "",
  });
  video.hidden = true;
  const start = button({ en: "Start the camera", zh: "打开摄像头" }, { id: "start-camera" });
  const stop = button(
    { en: "Stop the camera", zh: "关闭摄像头" },
    { id: "stop-camera", class: "secondary" },
  );
  stop.hidden = true;
  let lastRefused = "";

  const cameraStopped = () => {
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  };

  start.addEventListener("click", () => {
    if (view.scanner && !view.scanner.stopped) return;
    clearRegion(scanError);
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    announce({ en: "Starting the camera…", zh: "正在打开摄像头…" }, { progress: true });
    const generation = view.cameraGeneration;
    startScanner(video, {
      onFirstFrame: () => {
        mark("camera-first-frame");
        announce({
          en: "Camera on: point it at the code on the poster.",
          zh: "摄像头已打开：请对准海报上的二维码。",
        });
      },
      onText: (text) => {
        let scanned: ScannedCode;
        try {
          scanned = readCode(text, trust());
        } catch (e) {
          // Not a venue code (or a forged one): say so once, and go on looking.
          if (text !== lastRefused) showCitizenProblem(scanError, e);
          lastRefused = text;
          return false;
        }
        mark("code-read");
        cameraStopped();
        void openScanned(scanned, false);
        return true;
      },
    })
      .then((s) => {
        if (generation !== view.cameraGeneration) {
          s.stop(); // stopped (or the view changed) while the camera was starting
          return;
        }
        view.scanner = s;
        if (!s.stopped) stop.focus();
      })
      .catch((e: unknown) => {
        cameraStopped();
        settleProgress();
        showCitizenProblem(scanError, e);
        document.getElementById("manual-code")?.focus();
      });
  });
  stop.addEventListener("click", () => {
    stopCamera();
    cameraStopped();
    announce({ en: "Camera off.", zh: "摄像头已关闭。" });
    start.focus();
  });

  const manual = textField(
    "manual-code",
    { en: "Manual code", zh: "手动登记码" },
    {
      required: true,
      autocomplete: "off",
      maxLength: 20,
      hint: {
        en: "The short code printed under the QR code on the poster, like ABCD-EFGH-JKM.",
        zh: "海报上二维码下方印的短码，例如 ABCD-EFGH-JKM。",
      },
    },
  );
  manual.input.setAttribute("autocapitalize", "characters");
  manual.input.setAttribute("spellcheck", "false");
  const manualError = errorRegion("manual-error");
  const lookUp = button({ en: "Continue", zh: "继续" }, { id: "manual-submit" });
  lookUp.type = "submit";
  const form = el("form", { id: "manual-form" }, manual.wrapper, manualError, lookUp);
  onSubmit(form, async () => {
    clearRegion(manualError);
    setFieldError(manual.input, null);
    if (manual.input.value.trim() === "") {
      setFieldError(manual.input, { en: "Type the code first.", zh: "请先输入登记码。" });
      manual.input.focus();
      return;
    }
    try {
      const scanned = await lookUpManualCode(view.ctx.service, manual.input.value, trust());
      stopCamera();
      await openScanned(scanned, false);
    } catch (e) {
      showCitizenProblem(manualError, e);
      manual.input.setAttribute("aria-invalid", "true");
      manual.input.focus();
    }
  });

  const top: Node[] = [];
  if (options.replaced) {
    const alert = el("div", { class: "alert replaced", role: "alert", id: "code-replaced" });
    alert.append(el("p", {}, biBlock(CODE_REPLACED.en, CODE_REPLACED.zh)));
    top.push(alert);
  } else if (options.problem !== undefined) {
    const alert = errorRegion("code-problem");
    showCitizenProblem(alert, options.problem);
    top.push(alert);
  }

  replaceChildren(
    view.app,
    ...top,
    el(
      "section",
      { "aria-labelledby": "scan-heading", id: "scan" },
      heading(
        2,
        { en: "Scan the code at the entrance", zh: "扫描入口处的场所码" },
        {
          id: "scan-heading",
        },
      ),
      paragraph(
        "Point the camera at the QR code on the entrance poster. The picture stays on this phone.",
        "请将摄像头对准入口海报上的二维码。画面只在本机处理。",
        { class: "hint" },
      ),
      el("div", { class: "scanner" }, video),
      el("div", { class: "actions" }, start, stop),
      scanError,
    ),
    el(
      "section",
      { "aria-labelledby": "manual-heading", id: "manual" },
      heading(2, { en: "Or type the code", zh: "或输入手动登记码" }, { id: "manual-heading" }),
      form,
    ),
    visitsLink(),
  );
}

function visitsLink(): HTMLElement {
  return el(
    "p",
    { class: "visits-link" },
    el(
      "a",
      { href: "/visits/" },
      bi("My visits and what this phone keeps", "我的登记及本机保存的信息"),
    ),
  );
}

/**
 * A verified code: is it still current? A replaced code stores nothing and says so; without a
 * network the form is still offered (the check-in then waits in the queue, and the service
 * checks the code when it arrives).
 */
export async function openScanned(scanned: ScannedCode, fromLink: boolean): Promise<void> {
  clearRegion(view.pageError);
  replaceChildren(
    view.app,
    el("p", { class: "muted", id: "checking" }, bi("Checking the code…", "正在核验场所码…")),
  );
  let offline = false;
  try {
    const current = await checkCodeIsCurrent(view.ctx, scanned.fragment);
    if (current.kioskRequired && scanned.kiosk === undefined) {
      // A poster, or a photo of a kiosk screen cut short: said now, before any detail is typed.
      throw new LintelError(
        "kiosk-code-required",
        "This entrance takes only the rotating code on its kiosk screen.",
      );
    }
  } catch (e) {
    const code = e instanceof LintelError ? e.code : "";
    if (code === "network") {
      offline = true;
    } else {
      forgetFragment();
      showScan(code === "code-replaced" ? { replaced: true } : { problem: e });
      focusHeading("scan-heading");
      return;
    }
  }
  const already = (await openVisits(view.ctx)).find(
    (v) => v.entranceId === scanned.code.entranceId,
  );
  if (already) {
    forgetFragment();
    showPass(already, {
      en: "You are already checked in at this entrance.",
      zh: "您已在此入口登记。",
    });
    return;
  }
  showForm(scanned, offline);
  mark("form-shown");
  if (!fromLink) announce({ en: "Code read.", zh: "已读取场所码。" });
  if (!fromLink) focusHeading("venue-heading");
}
