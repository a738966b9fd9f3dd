import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../testing/code-of.ts";
import { EMPTY_ROOT, HASH_BYTES, leafHash, nodeHash } from "./hashes.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("RFC 9162 §2.1.1 hashes", () => {
  it("the empty root is SHA-256 of the empty string", () => {
    expect(hex(EMPTY_ROOT)).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(HASH_BYTES).toBe(32);
  });

  it("leafHash is SHA-256(0x00 ‖ entry) for any entry", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (entry) => {
        expect(hex(leafHash(entry))).toBe(hex(sha256(Buffer.concat([Buffer.of(0), entry]))));
      }),
    );
  });

  it("nodeHash is SHA-256(0x01 ‖ left ‖ right)", () => {
    const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(hash32, hash32, (left, right) => {
        const want = sha256(Buffer.concat([Buffer.of(1), left, right]));
        expect(hex(nodeHash(left, right))).toBe(hex(want));
      }),
    );
  });

  it("separates leaves from nodes: a 64-byte entry never hashes like the node it spells", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (entry) => {
        const asNode = nodeHash(entry.subarray(0, 32), entry.subarray(32));
        expect(hex(leafHash(entry))).not.toBe(hex(asNode));
      }),
    );
  });

  it("nodeHash takes only 32-byte children", () => {
    const h = new Uint8Array(32);
    for (const bad of [0, 31, 33, 64]) {
      expect(codeOf(() => nodeHash(new Uint8Array(bad), h))).toBe("bad-length");
      expect(codeOf(() => nodeHash(h, new Uint8Array(bad)))).toBe("bad-length");
    }
    expect(codeOf(() => nodeHash(h, h))).toBe("no error");
  });
});
