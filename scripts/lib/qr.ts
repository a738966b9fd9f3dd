/**
 * QR sizing for code URLs: the origin and path go in byte mode, the base32 fragment in
 * alphanumeric mode, which is what makes a signed code fit a small QR (PROTOCOL.md §3.3).
 */
import QRCode from "qrcode";

export function codeUrlSegments(url: string): QRCode.QRCodeSegment[] {
  const hash = url.indexOf("#");
  const head = url.slice(0, hash + 1);
  const tail = url.slice(hash + 1).toUpperCase();
  return [
    { data: new TextEncoder().encode(head), mode: "byte" },
    { data: tail, mode: "alphanumeric" },
  ];
}

export function codeQrVersion(url: string): number {
  return QRCode.create(codeUrlSegments(url), { errorCorrectionLevel: "M" }).version;
}
