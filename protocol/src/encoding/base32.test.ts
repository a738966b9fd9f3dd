import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { decodeBase32, encodeBase32 } from "./base32.ts";

describe("base32", () => {
  it("matches the RFC 4648 §10 vectors without padding", () => {
    const vectors: Array<[string, string]> = [
      ["", ""],
      ["f", "MY"],
      ["fo", "MZXQ"],
      ["foo", "MZXW6"],
      ["foob", "MZXW6YQ"],
      ["fooba", "MZXW6YTB"],
      ["foobar", "MZXW6YTBOI"],
    ];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase32(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(decodeBase32(encoded))).toBe(plain);
      expect(new TextDecoder().decode(decodeBase32(encoded.toLowerCase()))).toBe(plain);
    }
  });

  it("round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(decodeBase32(encodeBase32(b))).toEqual(b);
      }),
    );
  });

  it.each([
    ["padding", "MY======"],
    ["a digit outside the alphabet", "MZX1"],
    ["an impossible length", "MZX"],
    ["non-zero unused bits", "MZ"],
  ])("rejects %s", (_, text) => {
    expect(() => decodeBase32(text)).toThrow(ProtocolError);
  });

  it("raises only ProtocolError on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          expect(encodeBase32(decodeBase32(text))).toBe(text.toUpperCase());
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });
});
