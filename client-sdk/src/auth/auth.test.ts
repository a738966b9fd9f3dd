import { applicationRoutes, citizenRoutes } from "@lintel/contract";
import {
  decodeBase64url,
  decodeRequestStatement,
  ed25519KeyId,
  ed25519Verify,
  formatVerifierKey,
  parseVerifierKey,
  signRequest,
  signRequestWith,
  verifyRequestStatement,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { LintelError } from "../errors.ts";
import { callRoute } from "../http.ts";
import {
  createDeviceKey,
  type DeviceKey,
  deviceKeyFromSeed,
  loadDeviceKey,
  type SignedServiceOptions,
  STATEMENT_HEADER,
  signedCall,
  signedGetBytes,
  signedJson,
  signedUpload,
} from "./index.ts";

const body = new TextEncoder().encode('{"venue":"hbr"}');
const input = {
  deployment: "demo",
  keyId: new Uint8Array([9, 8, 7, 6]),
  method: "POST",
  path: "/api/venues?status=pending",
  body,
  now: new Date(),
};

function verify(signed: Uint8Array, key: DeviceKey) {
  return verifyRequestStatement(decodeRequestStatement(signed), {
    ...input,
    publicKey: key.publicKey,
  });
}

describe("device keys", () => {
  it("sign statements the protocol verifier accepts with the exported public key", async () => {
    const key = await createDeviceKey();
    expect(key.publicKey).toHaveLength(32);
    const signed = await signRequestWith(input, key.sign);
    expect(verify(signed, key).keyId).toEqual(input.keyId);
    // Not under another key.
    const other = await createDeviceKey();
    expect(() => verify(signed, other)).toThrow(/signature/);
    // WebCrypto Ed25519 is RFC 8032: strict (non-ZIP-215) verification accepts it.
    const message = new Uint8Array([1, 2, 3]);
    expect(ed25519Verify(key.publicKey, message, await key.sign(message))).toBe(true);
  });

  it("keep the private key non-extractable", async () => {
    const { cryptoKeyPair } = await createDeviceKey();
    expect(cryptoKeyPair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey("pkcs8", cryptoKeyPair.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey("jwk", cryptoKeyPair.privateKey)).rejects.toThrow();
  });

  it("can come from a seed and sign exactly as the protocol's signRequest does", async () => {
    const seed = new Uint8Array(32).fill(5);
    const key = deviceKeyFromSeed(seed);
    const fixed = { ...input, nonce: new Uint8Array(16).fill(1) };
    const signed = await signRequestWith(fixed, key.sign);
    expect(signed).toEqual(signRequest(fixed, seed));
    expect(verify(signed, key).nonce).toEqual(fixed.nonce);
  });

  it("are kept only where there is IndexedDB", async () => {
    const err = await loadDeviceKey("registry").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LintelError);
    expect((err as LintelError).code).toBe("key-storage-unavailable");
  });
});

interface Received {
  readonly method: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly contentType: string | null;
  readonly keyId: Uint8Array;
}

/**
 * A fake service: checks each request's statement as the server must (§6.1) against what it
 * actually received, then answers with `answer`.
 */
function fakeService(answer: () => Response, publicKey: Uint8Array) {
  const received: Received[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    const request = new Request(url, init);
    const target = new URL(request.url);
    const path = target.pathname + target.search;
    const bytes = new Uint8Array(await request.arrayBuffer());
    const header = request.headers.get(STATEMENT_HEADER);
    if (header === null) throw new Error("no statement");
    const statement = verifyRequestStatement(decodeRequestStatement(decodeBase64url(header)), {
      deployment: "demo",
      method: request.method,
      path,
      body: bytes,
      now: new Date(),
      publicKey,
    });
    received.push({
      method: request.method,
      path,
      body: bytes,
      contentType: request.headers.get("content-type"),
      keyId: statement.keyId,
    });
    return answer();
  };
  return { fetch, received };
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

async function setup(answer: () => Response = () => json({ ok: true })) {
  const key = await createDeviceKey();
  const service = fakeService(answer, key.publicKey);
  const options: SignedServiceOptions = {
    baseUrl: "https://lintel.example",
    fetch: service.fetch,
    deployment: "demo",
    keyName: "demo/staff/ann",
    key,
  };
  return { key, options, received: service.received };
}

describe("signed requests", () => {
  it("sign the method, the path with its query, the exact body and the key id", async () => {
    const { key, options, received } = await setup();
    const result = await signedJson<{ ok: boolean }>(
      options,
      "POST",
      "/api/venues/hbr/approve?note=a b&x=1",
      { decision: "approve", note: "海港" },
    );
    expect(result).toEqual({ ok: true });
    const [r] = received;
    expect(r?.method).toBe("POST");
    // As the request line has it: percent-encoded by the URL, query included.
    expect(r?.path).toBe("/api/venues/hbr/approve?note=a%20b&x=1");
    expect(new TextDecoder().decode(r?.body)).toBe('{"decision":"approve","note":"海港"}');
    expect(r?.contentType).toBe("application/json");
    const verifierKey = parseVerifierKey(formatVerifierKey("demo/staff/ann", key.publicKey));
    expect(r?.keyId).toEqual(verifierKey.keyId);
    expect(r?.keyId).toEqual(ed25519KeyId("demo/staff/ann", key.publicKey));
  });

  it("sign an empty body for calls without one, and uploads byte for byte", async () => {
    const { options, received } = await setup();
    await signedJson(options, "DELETE", "/api/devices/d1");
    const logo = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    await signedUpload(options, "PUT", "/api/venues/hbr/logo", logo, "image/png");
    expect(received.map((r) => [r.method, r.path, r.body, r.contentType])).toEqual([
      ["DELETE", "/api/devices/d1", new Uint8Array(0), null],
      ["PUT", "/api/venues/hbr/logo", logo, "image/png"],
    ]);
  });

  it("upload a route's raw body byte for byte, and read its raw answer as bytes", async () => {
    const answer = { kind: "licence", mediaType: "image/png", size: 6, sha256: "ab" };
    const { options, received } = await setup(() => json(answer, 201));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const params = { id: "v-1", kind: "licence" } as const;
    const stored = await signedCall(options, applicationRoutes.uploadDocument, {
      params,
      bytes: png,
      contentType: "image/png",
    });
    expect(stored).toEqual(answer);
    expect(received.map((r) => [r.method, r.path, r.body, r.contentType])).toEqual([
      ["PUT", "/api/applications/v-1/documents/licence", png, "image/png"],
    ]);
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]);
    const download = await setup(
      () => new Response(pdf, { headers: { "content-type": "application/pdf" } }),
    );
    const got = await signedCall(download.options, applicationRoutes.getDocument, { params });
    expect(got).toEqual(pdf);
    expect(download.received[0]?.body).toEqual(new Uint8Array(0));
  });

  it("fetch bytes with their content type", async () => {
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
    const { options, received } = await setup(
      () => new Response(pdf, { headers: { "content-type": "application/pdf" } }),
    );
    const got = await signedGetBytes(options, "/api/entrances/hbr-main/poster?lang=zh");
    expect(got).toEqual({ bytes: pdf, contentType: "application/pdf" });
    expect(received[0]?.path).toBe("/api/entrances/hbr-main/poster?lang=zh");
    expect(received[0]?.method).toBe("GET");
  });

  it("turn a problem into a LintelError with the service's code, as callRoute does", async () => {
    const problem = () =>
      new Response(
        JSON.stringify({ type: "about:blank", code: "not-enrolled", title: "Not enrolled" }),
        { status: 403, headers: { "content-type": "application/problem+json" } },
      );
    const { options } = await setup(problem);
    for (const call of [
      () => signedJson(options, "POST", "/api/venues", { name: "x" }),
      () => signedGetBytes(options, "/api/export"),
      // Unsigned calls map problems through the same function.
      () =>
        callRoute(
          { baseUrl: options.baseUrl, fetch: async () => problem() },
          citizenRoutes.deployment,
        ),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LintelError);
      expect(err).toMatchObject({ code: "not-enrolled", status: 403, message: "Not enrolled" });
    }
    const { options: plain } = await setup(() => new Response("nope", { status: 500 }));
    await expect(signedJson(plain, "GET", "/api/x")).rejects.toMatchObject({
      code: "unexpected-response",
      status: 500,
    });
    const down = {
      ...options,
      fetch: async () => {
        throw new TypeError("failed to fetch");
      },
    };
    await expect(signedJson(down, "GET", "/api/x")).rejects.toMatchObject({ code: "network" });
  });

  it("keep the service's Retry-After on a rate-limited problem, and none when it sent none", async () => {
    const limited = (headers: Record<string, string>) => async () =>
      new Response(
        JSON.stringify({
          type: "/problems/rate-limited",
          code: "rate-limited",
          title: "Slow down",
        }),
        { status: 429, headers: { "content-type": "application/problem+json", ...headers } },
      );
    const call = (fetch: () => Promise<Response>) =>
      callRoute({ baseUrl: "https://lintel.example", fetch }, citizenRoutes.deployment).catch(
        (e: unknown) => e,
      );
    expect(await call(limited({ "retry-after": "1800" }))).toMatchObject({
      code: "rate-limited",
      retryAfterSeconds: 1800,
    });
    expect(await call(limited({}))).toMatchObject({ retryAfterSeconds: undefined });
  });

  it("never send a statement to another origin", async () => {
    const { options, received } = await setup();
    for (const path of ["https://evil.example/api/x", "//evil.example/api/x", "/\\evil.example/"]) {
      await expect(signedJson(options, "POST", path, {}), path).rejects.toMatchObject({
        code: "bad-request",
      });
    }
    expect(received).toEqual([]);
  });
});
