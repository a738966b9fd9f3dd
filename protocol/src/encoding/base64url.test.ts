import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { decodeBase64url, encodeBase64url } from "./base64url.ts";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("base64url", () => {
  it("matches the RFC 4648 §10 vectors in the URL alphabet without padding", () => {
    const vectors: Array<[string, string]> = [
      ["", ""],
      ["f", "Zg"],
      ["fo", "Zm8"],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg"],
      ["fooba", "Zm9vYmE"],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64url(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(decodeBase64url(encoded))).toBe(plain);
    }
    expect(encodeBase64url(bytes(0xfb, 0xff))).toBe("-_8");
  });

  it("round-trips any bytes and agrees with Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const text = encodeBase64url(b);
        expect(text).toBe(Buffer.from(b).toString("base64url"));
        expect(decodeBase64url(text)).toEqual(b);
      }),
    );
  });

  it.each([
    ["padding", "Zg=="],
    ["standard alphabet", "+/8"],
    ["white space", "Zm9v Yg"],
    ["impossible length", "Zm9vY"],
    ["non-zero unused bits", "Zh"],
    ["non-ASCII", "Zé"],
  ])("rejects %s", (_, text) => {
    expect(() => decodeBase64url(text)).toThrow(ProtocolError);
  });

  it("checks the expected length", () => {
    expect(() => decodeBase64url("Zm9v", 4)).toThrowError(/expected 4 bytes/);
  });

  it("raises only ProtocolError on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (text) => {
        try {
          const decoded = decodeBase64url(text);
          expect(encodeBase64url(decoded)).toBe(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});
