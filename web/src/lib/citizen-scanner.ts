/**
 * The camera scanner: getUserMedia into a <video>, each new frame drawn (scaled down) onto a
 * canvas that is never shown, and read with jsQR (pure JavaScript: Linux Chromium has no
 * BarcodeDetector, and a WebAssembly decoder would have to be served and allowed separately).
 * Nothing leaves the phone: frames are read here and dropped. jsQR (130 kB) is fetched when the
 * camera is asked for, not with the page: a poster's link opens the form without it.
 *
 * The camera is stopped as soon as a code is accepted, when the person presses Stop, and when
 * the page is hidden or left; a stopped scanner cannot be restarted (start a new one).
 */
import { LintelError } from "@lintel/client-sdk";

/** Frames are scaled down to at most this width before decoding (speed; posters fill the view). */
const DECODE_WIDTH = 640;
/** Without requestVideoFrameCallback, frames are read this often. */
const FALLBACK_INTERVAL_MS = 100;

export interface ScannerHooks {
  /**
   * Called with each QR text read. Return true to accept it (the camera stops), false to go on
   * scanning (not a venue code, say).
   */
  readonly onText: (text: string) => boolean;
  /** The first frame of the camera reached the page. */
  readonly onFirstFrame?: () => void;
}

export interface Scanner {
  /** Stops the camera (idempotent). */
  stop(): void;
  readonly stopped: boolean;
}

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: () => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/** Why the camera did not start, as a LintelError the citizen messages know. */
function cameraError(e: unknown): LintelError {
  const name = e instanceof DOMException ? e.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return new LintelError("camera-denied", "The camera was not allowed.");
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return new LintelError("camera-missing", "No camera was found.");
  }
  return new LintelError("camera-unavailable", "The camera could not be started.");
}

/** Starts the camera in `video` and reads QR codes from it until one is accepted or stop(). */
export async function startScanner(video: HTMLVideoElement, hooks: ScannerHooks): Promise<Scanner> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new LintelError("camera-unavailable", "This browser gives pages no camera.");
  }
  const decoder = import("jsqr"); // fetched while the person answers the camera prompt
  decoder.catch(() => undefined); // awaited below; an early failure is not unhandled
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } },
    });
  } catch (e) {
    throw cameraError(e);
  }
  let jsQR: typeof import("jsqr").default;
  try {
    jsQR = (await decoder).default;
  } catch {
    for (const track of stream.getTracks()) track.stop();
    throw new LintelError("camera-unavailable", "The code reader could not be loaded.");
  }

  const v = video as FrameCallbackVideo;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let stopped = false;
  let sawFrame = false;
  let frameHandle: number | undefined;
  let timer: number | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (frameHandle !== undefined) v.cancelVideoFrameCallback?.(frameHandle);
    if (timer !== undefined) window.clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.pause();
    video.srcObject = null;
    document.removeEventListener("visibilitychange", onHidden);
    window.removeEventListener("pagehide", stop);
  };
  const onHidden = () => {
    if (document.visibilityState === "hidden") stop();
  };
  document.addEventListener("visibilitychange", onHidden);
  window.addEventListener("pagehide", stop);

  const readFrame = () => {
    if (stopped || !context || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (width === 0 || height === 0) return;
    if (!sawFrame) {
      sawFrame = true;
      hooks.onFirstFrame?.();
    }
    const scale = Math.min(1, DECODE_WIDTH / width);
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    if (found?.data && hooks.onText(found.data)) stop();
  };

  const schedule = () => {
    if (stopped) return;
    if (v.requestVideoFrameCallback) {
      frameHandle = v.requestVideoFrameCallback(() => {
        readFrame();
        schedule();
      });
    } else {
      timer = window.setTimeout(() => {
        readFrame();
        schedule();
      }, FALLBACK_INTERVAL_MS);
    }
  };

  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play();
  } catch (e) {
    stop();
    throw cameraError(e);
  }
  schedule();
  return {
    stop,
    get stopped() {
      return stopped;
    },
  };
}
