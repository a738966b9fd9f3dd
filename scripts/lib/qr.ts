/**
 * QR sizing for code URLs (PROTOCOL.md §3.3). The one copy of the segment logic lives in the
 * protocol package (codes/qr-budget.ts); this re-export keeps the scripts' and tests' imports.
 */
export { codeQrVersion, codeUrlSegments } from "@lintel/protocol";
