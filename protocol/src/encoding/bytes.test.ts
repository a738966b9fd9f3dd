import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "./bytes.ts";

/** A byte string that records which indexes were read. */
function watched(bytes: Uint8Array): { view: Uint8Array; read: Set<number> } {
  const read = new Set<number>();
  const view = new Proxy(bytes, {
    get(target, key) {
      if (typeof key === "string" && /^\d+$/.test(key)) read.add(Number(key));
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { view, read };
}

describe("constantTimeEqual (attack 13: timing)", () => {
  it("tells equal from different byte strings", () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it("reads every byte of both even when the first byte differs (no early exit)", () => {
    const a = watched(new Uint8Array(32).fill(7));
    const b = watched(new Uint8Array(32).fill(7));
    b.view[0] = 8;
    b.read.clear();
    expect(constantTimeEqual(a.view, b.view)).toBe(false);
    expect(a.read.size).toBe(32);
    expect(b.read.size).toBe(32);
  });
});
