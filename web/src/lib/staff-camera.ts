/**
 * Reading a QR code with the device's camera, on the device: frames from getUserMedia are drawn
 * into an off-screen canvas and read by jsQR (bundled, nothing fetched). The page keeps no
 * frame: each one is overwritten by the next, and the camera stops as soon as a code is read or
 * the scanner is closed.
 */
import { LintelError } from "@lintel/client-sdk";
import jsQR from "jsqr";

export interface Scanner {
  stop(): void;
}

/** Frames are read at most this often (ms): enough for a card held up to the camera. */
const INTERVAL_MS = 200;
/** Frames are scaled down to at most this width before reading. */
const MAX_WIDTH = 960;

/**
 * Starts the camera into `video` and calls `onText` with each QR text read until it returns
 * true (accepted), then stops. Throws LintelError "camera-unavailable" or "camera-denied".
 */
export async function startScanner(
  video: HTMLVideoElement,
  onText: (text: string) => boolean,
): Promise<Scanner> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new LintelError("camera-unavailable", "This browser offers no camera to this page.");
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" } },
      audio: false,
    });
  } catch (e) {
    const denied = e instanceof DOMException && e.name === "NotAllowedError";
    throw new LintelError(
      denied ? "camera-denied" : "camera-unavailable",
      denied ? "The camera was not allowed." : "No camera could be started.",
    );
  }
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let stopped = false;
  let timer = 0;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    window.clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const tick = () => {
    if (stopped) return;
    if (context && video.videoWidth > 0) {
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(frame.data, frame.width, frame.height, {
        inversionAttempts: "dontInvert",
      });
      if (found?.data && onText(found.data)) {
        stop();
        return;
      }
    }
    timer = window.setTimeout(tick, INTERVAL_MS);
  };
  timer = window.setTimeout(tick, INTERVAL_MS);
  return { stop };
}
