/**
 * A staff view's camera: a button that opens the camera under it, a line that says what to hold
 * up, and "Stop the camera". Each text the camera reads goes to the view, which says whether it
 * was what it wanted (the camera then closes) or not (it goes on looking). Only one camera runs
 * on the page: opening one, changing door or hiding the tab stops any other (stopStaffCameras).
 */
import { el, replaceChildren } from "./dom.ts";
import { type Bi, biOf, biText } from "./i18n.ts";
import { type Scanner, startScanner } from "./staff-camera.ts";
import { button, onActivate } from "./ui.ts";

export interface CameraPartOptions {
  /** The id of the button that opens the camera. */
  readonly id: string;
  /** The id of the panel with the camera's picture. */
  readonly panelId: string;
  readonly label: Bi;
  /** What to hold in front of the camera. */
  readonly prompt: Bi;
  /** Called when the camera opens (to clear the view's last result, say). */
  readonly onOpen?: () => void;
  /**
   * Each text read. True: it was what the view wanted, and the camera closes; false: it goes on
   * looking, and `note` (under the picture) may say why the text was not taken.
   */
  readonly onText: (text: string, note: HTMLElement) => boolean;
  /** The camera could not start (not allowed, missing): the view shows why. */
  readonly onError: (e: unknown) => void;
}

/** Stops the camera of whichever part has one running, and closes its panel. */
let closeRunning: (() => void) | undefined;

export function stopStaffCameras(): void {
  closeRunning?.();
}

export function cameraPart(options: CameraPartOptions): HTMLElement {
  const box = el("div", { class: "camera-part" });
  const panel = el("div", { id: options.panelId, class: "camera" });
  panel.hidden = true;
  const video = el("video", { "aria-label": biText("Camera view", "摄像头画面") });
  const note = el("p", { class: "hint", "aria-live": "polite" });
  const toggle = button(options.label, {
    id: options.id,
    class: "secondary",
    "aria-expanded": "false",
    "aria-controls": panel.id,
  });
  let scanner: Scanner | undefined;
  const close = () => {
    scanner?.stop();
    scanner = undefined;
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    replaceChildren(note);
    if (closeRunning === close) closeRunning = undefined;
  };
  const stop = button({ en: "Stop the camera", zh: "关闭摄像头" }, { class: "secondary" });
  stop.addEventListener("click", () => {
    close();
    toggle.focus();
  });
  panel.append(video, note, stop);
  onActivate(toggle, async () => {
    if (!panel.hidden) {
      close();
      return;
    }
    stopStaffCameras();
    options.onOpen?.();
    closeRunning = close;
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    replaceChildren(note, biOf(options.prompt));
    try {
      const started = await startScanner(video, (text) => {
        if (!options.onText(text, note)) return false;
        close();
        return true;
      });
      // Closed while the camera was starting (or the browser was asking for it): stop it again.
      if (panel.hidden) started.stop();
      else scanner = started;
    } catch (e) {
      close();
      options.onError(e);
    }
  });
  box.append(toggle, panel);
  return box;
}
