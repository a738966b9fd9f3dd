/**
 * A venue's own web app on another origin checks a member in against the running service, in
 * Debian's Chromium: the page is served by a tiny static server on another port (not part of the
 * service) with a strict CSP of its own that reaches only the service, and it runs the SDK's
 * embedded check-in example bundled by esbuild with `@lintel/client-sdk`. The check-in lands —
 * every POST /api/checkins answers 201, and each receipt verifies under the deployment's receipt
 * key and names the entrance — the page reads a problem's code, and the browser refuses the page
 * a staff check-in (a privileged route answers no CORS).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { decodeBase64url, parseVerifierKey, verifyReceipt } from "@lintel/protocol";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, watchedPage } from "../support/browser.ts";
import type { EmbeddedResult } from "./embedding-entry.ts";

const base = inject("baseUrl");
const ENTRANCE = "hbr-main";

interface VenueApp {
  checkInMember(service: string, registryKey: string, codeUrl: string): Promise<EmbeddedResult>;
  readProblem(service: string): Promise<{ status: number; type: string | null; code?: string }>;
  tryStaffCheckIn(service: string): Promise<string>;
}
/** The page's global, as the entry sets it (evaluated in the page, so written out each time). */
type PageGlobal = { lintelVenueApp: VenueApp };

/** The venue's site: one page and its script, with the CSP client-sdk/README.md asks for. */
async function startVenueSite(script: string, serviceOrigin: string): Promise<Server> {
  const csp = [
    "default-src 'none'",
    // libsodium's WebAssembly encrypts the record on the device.
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src ${serviceOrigin}`,
  ].join("; ");
  const server = createServer((req, res) => {
    if (req.url === "/") {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": csp,
      });
      res.end('<!doctype html><title>Harbour Pool members</title><script src="/app.js"></script>');
    } else if (req.url === "/app.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(script);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

let browser: Browser;
let site: Server;
let siteOrigin: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, "embedding-entry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "chrome110",
    logLevel: "silent",
  });
  site = await startVenueSite(bundle.outputFiles[0]!.text, new URL(base).origin);
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
});

describe("a venue's web app on its own origin", () => {
  it("checks a member and a companion in, reads problems, and cannot call staff routes", async () => {
    expect(new URL(siteOrigin).origin).not.toBe(new URL(base).origin);
    // What the app pins at release: the registry's key and its entrance's signed code URL.
    const deployment = await callRoute({ baseUrl: base }, citizenRoutes.deployment);
    const code = await callRoute({ baseUrl: base }, citizenRoutes.entranceCode, {
      params: { id: ENTRANCE },
    });

    const { context, page, foreignRequests, problems } = await watchedPage(browser);
    const checkins: number[] = [];
    page.on("response", (r) => {
      if (r.request().method() === "POST" && new URL(r.url()).pathname === "/api/checkins") {
        checkins.push(r.status());
      }
    });
    await page.goto(`${siteOrigin}/`);
    await page.waitForFunction(() => "lintelVenueApp" in globalThis);
    expect(await page.evaluate(() => location.origin)).toBe(siteOrigin);

    const result = await page.evaluate(
      ([service, key, url]) =>
        (globalThis as unknown as PageGlobal).lintelVenueApp.checkInMember(service, key, url),
      [base, deployment.registry!.verifierKey, code.url] as const,
    );
    expect(result).toMatchObject({ status: "stored", entranceId: ENTRANCE, headCount: 2 });
    expect(checkins).toEqual([201, 201]);
    const receiptKey = parseVerifierKey(deployment.receipt.verifierKey!).publicKey;
    expect(result.receipts).toHaveLength(2);
    for (const receipt of result.receipts ?? []) {
      expect(verifyReceipt(decodeBase64url(receipt), receiptKey).entranceId).toBe(ENTRANCE);
    }

    // The check-in logged no console error (the probes below do: a 422 and a refused request).
    expect(problems).toEqual([]);

    // A refusal is readable too: the app shows the problem's code, not "network error".
    expect(
      await page.evaluate(
        (s) => (globalThis as unknown as PageGlobal).lintelVenueApp.readProblem(s),
        base,
      ),
    ).toEqual({
      status: 422,
      type: "application/problem+json",
      code: "invalid-code",
    });
    // A privileged route answers no CORS: the browser refuses before anything is sent.
    expect(
      await page.evaluate(
        (s) => (globalThis as unknown as PageGlobal).lintelVenueApp.tryStaffCheckIn(s),
        base,
      ),
    ).toBe("refused by the browser");
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
