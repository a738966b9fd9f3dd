/**
 * QR sizing of code URLs (PROTOCOL.md §3.3): the origin and "/c#" go in a byte-mode segment and
 * the base32 fragment in an alphanumeric-mode segment, at error-correction level M. The registry
 * refuses to issue a code whose symbol would exceed MAX_POSTER_QR_VERSION: beyond it the modules
 * of a 12 cm poster QR get too small to scan reliably from arm's length.
 */
import QRCode from "qrcode";

export const MAX_POSTER_QR_VERSION = 13;

export function codeUrlSegments(url: string): QRCode.QRCodeSegment[] {
  const hash = url.indexOf("#");
  const head = url.slice(0, hash + 1);
  const tail = url.slice(hash + 1).toUpperCase();
  return [
    { data: new TextEncoder().encode(head), mode: "byte" },
    { data: tail, mode: "alphanumeric" },
  ];
}

/** The QR symbol for a code URL, at error-correction level M (posters draw its modules). */
export function codeQrSymbol(url: string): QRCode.QRCode {
  return QRCode.create(codeUrlSegments(url), { errorCorrectionLevel: "M" });
}

/** The QR version (1–40) a code URL needs at error-correction level M. */
export function codeQrVersion(url: string): number {
  return codeQrSymbol(url).version;
}
