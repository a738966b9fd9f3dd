/**
 * Test helper: a fast-check arbitrary of `valid` with one to `maxEdits` bytes changed (XOR with a
 * non-zero value). Edits that cancel out are filtered, so every value really differs from `valid`.
 */
import fc from "fast-check";

export function mutatedBytes(valid: Uint8Array, maxEdits = 4): fc.Arbitrary<Uint8Array> {
  return fc
    .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), {
      minLength: 1,
      maxLength: maxEdits,
    })
    .map((edits) => {
      const out = valid.slice();
      for (const [i, x] of edits) out[i]! ^= x;
      return out;
    })
    .filter((out) => out.some((b, i) => b !== valid[i]));
}
