/**
 * Security headers on every response, pages and API alike.
 *
 * The Content-Security-Policy allows nothing from anywhere but this origin: no inline script or
 * style, no third-party request of any kind, no framing. Pages that need the camera ask for it
 * through Permissions-Policy `camera=(self)`; every other powerful feature is off. No referrer
 * is sent, so a page URL never leaks to another site (venue codes travel in the URL fragment,
 * which browsers never send, but defence in depth costs nothing here).
 *
 * Cross-Origin-Resource-Policy is `same-origin`, so no other site embeds our pages, scripts or
 * answers, except on the routes the caller names as open to every origin (the citizen API of
 * middleware/cors): those answer `cross-origin`, as their CORS headers already let any page read
 * them.
 */
import type { MiddlewareHandler } from "hono";
import { loadDeployment, trusteeUrl } from "../../config/deployment.ts";
import type { Env } from "../../env.ts";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // 'wasm-unsafe-eval' lets the pages instantiate WebAssembly: mcl-wasm (the fast BLS12-381
  // backend of the check-in, staff and authority pages and the authority's decryption workers)
  // and libsodium (sealed contacts on the staff, card and authority pages); it allows no eval()
  // of JavaScript and no script from anywhere else.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
  "cross-origin-opener-policy": "same-origin",
  "x-frame-options": "DENY",
};

/**
 * The policy with the trustees' origins added to connect-src: the authority's console asks each
 * trustee for its release from the browser (PROTOCOL.md §11.3), and nothing else is reachable.
 */
export function contentSecurityPolicy(trusteeOrigins: readonly string[]): string {
  if (trusteeOrigins.length === 0) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace(
    "connect-src 'self'",
    `connect-src 'self' ${[...new Set(trusteeOrigins)].join(" ")}`,
  );
}

const policies = new Map<string, string>();

function policyFor(env: Env): string {
  const key = `${JSON.stringify(env.LINTEL_DEPLOYMENT)}|${env.LINTEL_TRUSTEE_URLS ?? ""}`;
  let policy = policies.get(key);
  if (policy === undefined) {
    try {
      const deployment = loadDeployment(env.LINTEL_DEPLOYMENT);
      policy = contentSecurityPolicy(
        deployment.role === "main"
          ? deployment.trustees.map((t) => new URL(trusteeUrl(env, t)).origin)
          : [],
      );
    } catch {
      // A misconfigured deployment answers every request with a problem: no trustee to reach.
      policy = CONTENT_SECURITY_POLICY;
    }
    if (policies.size > 16) policies.clear();
    policies.set(key, policy);
  }
  return policy;
}

export interface SecurityHeaderOptions {
  /** Whether other origins may read and embed the answer to `method` on `path` (CORP). */
  readonly crossOriginResource?: (method: string, path: string) => boolean;
}

export function securityHeaders(
  options: SecurityHeaderOptions = {},
): MiddlewareHandler<{ Bindings: Env }> {
  const crossOrigin = options.crossOriginResource ?? (() => false);
  return async (c, next) => {
    await next();
    // Asset responses come from the ASSETS binding with immutable headers: copy before editing.
    const res = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(HEADERS)) res.headers.set(name, value);
    res.headers.set(
      "cross-origin-resource-policy",
      crossOrigin(c.req.method, c.req.path) ? "cross-origin" : "same-origin",
    );
    res.headers.set("content-security-policy", policyFor(c.env));
    c.res = res;
  };
}
