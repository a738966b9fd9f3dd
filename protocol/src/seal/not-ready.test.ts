// Its own file, so that ready() has not been called in this module graph yet.
import { describe, expect, it } from "vitest";
import { generateAuthorityBoxKeyPair, ready, xchacha20poly1305 } from "./index.ts";

describe("@lintel/protocol/seal before ready()", () => {
  it("throws a clear Error instead of failing like bad input, and works after ready()", async () => {
    const k = new Uint8Array(32);
    const m = new Uint8Array(3);
    expect(() => xchacha20poly1305.seal(k, m, m)).toThrowError(/await ready\(\)/);
    expect(() => xchacha20poly1305.open(k, new Uint8Array(19), m)).toThrowError(/await ready\(\)/);
    expect(() => generateAuthorityBoxKeyPair()).toThrowError(/await ready\(\)/);
    await ready();
    await ready(); // idempotent
    expect(xchacha20poly1305.open(k, xchacha20poly1305.seal(k, m, m), m)).toEqual(m);
  });
});
