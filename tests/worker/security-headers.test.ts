/**
 * Pages make no third-party requests and leak nothing through URLs: every response carries a
 * Content-Security-Policy that names only this origin (and, for connect-src, the configured
 * trustees), refuses framing, and sends no referrer. Each directive is checked exactly, so
 * loosening any one of them fails here.
 */
import { describe, expect, it } from "vitest";
import { call, seedVenues } from "./helpers.ts";

/** The configured trustees of the test deployment (wrangler.toml). */
const TRUSTEES = "http://127.0.0.1:8789 http://127.0.0.1:8790";

const EXPECTED_CSP: Readonly<Record<string, string>> = {
  "default-src": "'none'",
  "script-src": "'self' 'wasm-unsafe-eval'",
  "style-src": "'self'",
  "img-src": "'self' data: blob:",
  "media-src": "'self' blob:",
  "font-src": "'self'",
  "connect-src": `'self' ${TRUSTEES}`,
  "worker-src": "'self'",
  "manifest-src": "'self'",
  "form-action": "'self'",
  "base-uri": "'none'",
  "frame-ancestors": "'none'",
};

const EXPECTED_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
  "cross-origin-opener-policy": "same-origin",
  "x-frame-options": "DENY",
};

function directives(csp: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of csp.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(out[name], `directive ${name} given twice`).toBeUndefined();
    out[name] = sources.join(" ");
  }
  return out;
}

describe("security headers on every response (invariant 5)", () => {
  // Only the citizen API, open to every origin (middleware/cors), may be embedded elsewhere.
  it.each([
    ["a page", "/", "same-origin"],
    ["the check-in page", "/c", "same-origin"],
    ["a static asset", "/assets/styles.css", "same-origin"],
    ["an API answer", "/api/venues", "same-origin"],
    ["a citizen API answer", "/api/deployment", "cross-origin"],
    ["a problem", "/api/venues/nope", "same-origin"],
    ["a refused body", "/api/reports", "same-origin"],
  ])("on %s: this origin only, no framing, no referrer", async (_, path, resourcePolicy) => {
    await seedVenues();
    const res =
      path === "/api/reports"
        ? await call(path, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })
        : await call(path);
    expect(directives(res.headers.get("content-security-policy") ?? "")).toEqual(EXPECTED_CSP);
    for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
      expect(res.headers.get(name), name).toBe(value);
    }
    expect(res.headers.get("cross-origin-resource-policy")).toBe(resourcePolicy);
  });
});
