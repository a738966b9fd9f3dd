import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DELETION_HASH_BYTES,
  DELETION_SECRET_BYTES,
  deletionSecretMatches,
  deletionTokenHash,
  newDeletionSecret,
} from "./deletion-token.ts";

const reference = (secret: Uint8Array) =>
  new Uint8Array(
    createHash("sha256")
      .update("LINTEL-V1 deletion")
      .update(new Uint8Array([0]))
      .update(secret)
      .digest(),
  );

describe("deletion tokens", () => {
  it("makes fresh 32-byte secrets", () => {
    const a = newDeletionSecret();
    const b = newDeletionSecret();
    expect(a).toHaveLength(DELETION_SECRET_BYTES);
    expect(a).not.toEqual(b);
  });

  it("hashes SHA-256(label ‖ 0x00 ‖ secret)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret) => {
        const hash = deletionTokenHash(secret);
        expect(hash).toHaveLength(DELETION_HASH_BYTES);
        expect(hash).toEqual(reference(secret));
      }),
      { numRuns: 200 },
    );
    // A fixed vector, so an accidental change of label or layout shows up in review.
    expect(Buffer.from(deletionTokenHash(new Uint8Array(32))).toString("hex")).toBe(
      "7a896f5aab02de9f168fc2cb7e218e81633ef290321a154f57e9697b7a6a6983",
    );
  });

  it("matches its own hash and nothing else", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 255 }),
        (secret, bit) => {
          const hash = deletionTokenHash(secret);
          expect(deletionSecretMatches(secret, hash)).toBe(true);
          const otherSecret = secret.slice();
          otherSecret[bit >> 3]! ^= 1 << (bit & 7);
          expect(deletionSecretMatches(otherSecret, hash)).toBe(false);
          const otherHash = hash.slice();
          otherHash[bit >> 3]! ^= 1 << (bit & 7);
          expect(deletionSecretMatches(secret, otherHash)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
    expect(deletionSecretMatches(newDeletionSecret(), deletionTokenHash(newDeletionSecret()))).toBe(
      false,
    );
  });

  it("answers false, never throws, for inputs of the wrong length", () => {
    const secret = newDeletionSecret();
    const hash = deletionTokenHash(secret);
    expect(deletionSecretMatches(secret.subarray(1), hash)).toBe(false);
    expect(deletionSecretMatches(new Uint8Array([...secret, 0]), hash)).toBe(false);
    expect(deletionSecretMatches(secret, hash.subarray(0, 16))).toBe(false);
    expect(deletionSecretMatches(new Uint8Array(0), new Uint8Array(0))).toBe(false);
  });

  it("refuses to hash a secret that is not 32 bytes", () => {
    for (const n of [0, 16, 31, 33]) {
      expect(() => deletionTokenHash(new Uint8Array(n))).toThrowError(
        expect.objectContaining({ name: "ProtocolError", code: "bad-length" }),
      );
    }
  });
});
