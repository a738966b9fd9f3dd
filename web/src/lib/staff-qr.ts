/**
 * QR symbols drawn as SVG for the kiosk and citizen-card pages: one <path> of dark modules on a
 * white square with the 4-module quiet zone, so the symbol stays sharp at any size, on a kiosk
 * screen and on paper. No inline style: the colours are SVG presentation attributes and the size
 * comes from the stylesheet, which the page's CSP allows.
 *
 * Code URLs use the two segments of PROTOCOL.md §3.3 (origin in byte mode, the base32 fragment in
 * alphanumeric mode); a citizen card's text ("LINTEL-CARD:" + base32) is all alphanumeric.
 */
import { codeQrSymbol } from "@lintel/protocol";
import QRCode from "qrcode";

const SVG = "http://www.w3.org/2000/svg";
const QUIET_ZONE = 4;

/** The SVG of a symbol, labelled for screen readers by `label`. */
export function qrSvg(symbol: QRCode.QRCode, label: string): SVGSVGElement {
  const size = symbol.modules.size;
  const full = size + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${full} ${full}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("class", "qr");
  svg.dataset.modules = String(size);
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(full));
  background.setAttribute("height", String(full));
  background.setAttribute("fill", "#ffffff");
  const path = document.createElementNS(SVG, "path");
  let d = "";
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (symbol.modules.get(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000000");
  svg.append(background, path);
  return svg;
}

/** A venue code URL (with or without a kiosk suffix), in the segments of §3.3, level M. */
export function codeUrlQr(url: string, label: string): SVGSVGElement {
  return qrSvg(codeQrSymbol(url), label);
}

/** A citizen card's QR text, in alphanumeric mode, level M. */
export function cardQr(text: string, label: string): SVGSVGElement {
  return qrSvg(
    QRCode.create([{ data: text, mode: "alphanumeric" }], { errorCorrectionLevel: "M" }),
    label,
  );
}
