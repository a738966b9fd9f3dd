import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { codeOf } from "../testing/code-of.ts";
import { CROCKFORD, formatManualCode, manualCodeFor, normalizeManualCode } from "./manual-code.ts";

// An independent implementation of the spec in the module header, for comparison.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Luhn mod N generation (N = 32): double every second value from the right, starting with the last. */
function referenceCheck(data: string): string {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const doubled = (data.length - 1 - i) % 2 === 0;
    const v = ALPHABET.indexOf(data[i]!) * (doubled ? 2 : 1);
    sum += Math.floor(v / 32) + (v % 32);
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}

/** Luhn mod N validation over all 11 characters: the check character is not doubled. */
function referenceValid(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < code.length; i++) {
    const doubled = (code.length - 1 - i) % 2 === 1;
    const v = ALPHABET.indexOf(code[i]!) * (doubled ? 2 : 1);
    sum += Math.floor(v / 32) + (v % 32);
  }
  return sum % 32 === 0;
}

function referenceManualCode(signed: Uint8Array): string {
  const digest = createHash("sha256")
    .update("LINTEL-V1 manual code")
    .update(Buffer.from([0]))
    .update(signed)
    .digest();
  const bits = Array.from(digest.subarray(0, 7), (b) => b.toString(2).padStart(8, "0"))
    .join("")
    .slice(0, 50);
  let data = "";
  for (let i = 0; i < 50; i += 5) data += ALPHABET[Number.parseInt(bits.slice(i, i + 5), 2)]!;
  return data + referenceCheck(data);
}

const accepted = (text: string) => codeOf(() => normalizeManualCode(text)) === "no error";

const samples = [
  new Uint8Array(0),
  new TextEncoder().encode("a signed venue code"),
  Uint8Array.from({ length: 200 }, (_, i) => i),
  new Uint8Array(150).fill(0xff),
];

describe("manual codes", () => {
  it("use the Crockford alphabet: digits and letters without I, L, O, U", () => {
    expect(CROCKFORD).toBe(ALPHABET);
    expect(new Set(CROCKFORD).size).toBe(32);
    for (const c of "ILOU") expect(CROCKFORD.includes(c)).toBe(false);
  });

  it("are 11 alphabet characters that match an independent implementation (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (signed) => {
        const code = manualCodeFor(signed);
        expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
        expect(code).toBe(referenceManualCode(signed));
        expect(referenceValid(code)).toBe(true);
        expect(normalizeManualCode(code)).toBe(code);
      }),
      { numRuns: 500 },
    );
  });

  it("differ for different signed codes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        fc.pre(Buffer.compare(a, b) !== 0);
        expect(manualCodeFor(a)).not.toBe(manualCodeFor(b));
      }),
      { numRuns: 500 },
    );
    // One flipped bit anywhere in a 271-byte code changes the manual code.
    const base = Uint8Array.from({ length: 271 }, (_, i) => (i * 31) & 0xff);
    const seen = new Set([manualCodeFor(base)]);
    for (let bit = 0; bit < base.length * 8; bit++) {
      const flipped = base.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      seen.add(manualCodeFor(flipped));
    }
    expect(seen.size).toBe(base.length * 8 + 1);
  });

  it("are shown as XXXX-XXXX-XXX", () => {
    for (const signed of samples) {
      const code = manualCodeFor(signed);
      const shown = formatManualCode(code);
      expect(shown).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$/);
      expect(shown.replaceAll("-", "")).toBe(code);
      expect(normalizeManualCode(shown)).toBe(code);
    }
  });
});

describe("normalizeManualCode", () => {
  // A valid code holding 0 and 1 so that the O and I/L readings are exercised.
  const data = "01AB1O0L1I".replace(/O/g, "0").replace(/[IL]/g, "1");
  const code = data + referenceCheck(data);

  it("is forgiving about case, separators and look-alike letters", () => {
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
    const variants = [
      code.toLowerCase(),
      formatManualCode(code).toLowerCase(),
      ` ${code.slice(0, 3)} ${code.slice(3, 7)}\t${code.slice(7)} `,
      `${code.slice(0, 4)}‐${code.slice(4, 8)}‑${code.slice(8)}`,
      `${code.slice(0, 4)}–${code.slice(4, 8)}—${code.slice(8)}`,
      `${code.slice(0, 4)}_${code.slice(4, 8)}.${code.slice(8)}`,
      code.replace(/0/g, "O"),
      code.replace(/0/g, "o"),
      code.replace(/1/g, "I"),
      code.replace(/1/g, "i"),
      code.replace(/1/g, "L"),
      code.replace(/1/g, "l"),
    ];
    for (const v of variants) expect(normalizeManualCode(v)).toBe(code);
  });

  it("upper-cases ASCII only and refuses non-ASCII letters (no ß → SS, ı → I, ſ → S, ﬀ → FF)", () => {
    const withSS = `SS${"7K3M9Q2X".slice(0, 8)}`;
    const ssCode = withSS + referenceCheck(withSS);
    const withFF = `FF${"7K3M9Q2X".slice(0, 8)}`;
    const ffCode = withFF + referenceCheck(withFF);
    // Each of these is a valid code under Unicode toUpperCase, so only the ASCII rule refuses it.
    const cases = [
      `ß${ssCode.slice(2)}`,
      `ſs${ssCode.slice(2)}`,
      `ﬀ${ffCode.slice(2)}`,
      code.replace("1", "ı"),
    ];
    for (const text of cases) {
      expect(text.toUpperCase().replace(/[IL]/g, "1")).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
      expect(
        codeOf(() => normalizeManualCode(text)),
        text,
      ).toBe("bad-encoding");
    }
    expect(normalizeManualCode(ssCode.toLowerCase())).toBe(ssCode);
    // Non-ASCII separators stay forgiven (step 2 removes them before the ASCII check).
    expect(normalizeManualCode(`\u00a0${code.slice(0, 4)}\u3000${code.slice(4)}\u2014`)).toBe(code);
  });

  it("refuses the wrong number of characters", () => {
    for (const text of ["", code.slice(0, 10), `${code}0`, formatManualCode(code).slice(0, 12)]) {
      expect(codeOf(() => normalizeManualCode(text))).toBe("bad-encoding");
    }
  });

  it("refuses characters outside the alphabet", () => {
    for (const c of ["U", "u", "*", "#", "é", "０"]) {
      expect(codeOf(() => normalizeManualCode(c + code.slice(1)))).toBe("bad-encoding");
    }
  });

  it("refuses every single-character substitution (exhaustive over positions × alphabet)", () => {
    const codes = [code, ...samples.map(manualCodeFor)];
    let tried = 0;
    for (const c of codes) {
      for (let at = 0; at < 11; at++) {
        for (const ch of ALPHABET) {
          if (ch === c[at]) continue;
          const typo = c.slice(0, at) + ch + c.slice(at + 1);
          expect(codeOf(() => normalizeManualCode(typo))).toBe("bad-check-character");
          tried++;
        }
      }
    }
    expect(tried).toBe(codes.length * 11 * 31);
  });

  it("refuses every swap of two different neighbours except 0 ↔ Z (exhaustive)", () => {
    /** A valid code with a at `at` and b at `at + 1` (at = 9 puts b in the check position). */
    function codeWith(at: number, a: string, b: string): string {
      const chars = "7K3M9Q2X5R".split("");
      chars[at] = a;
      if (at < 9) {
        chars[at + 1] = b;
        const d = chars.join("");
        return d + referenceCheck(d);
      }
      // Choose the first character so that the check character comes out as b.
      for (const first of ALPHABET) {
        chars[0] = first;
        const d = chars.join("");
        if (referenceCheck(d) === b) return d + b;
      }
      throw new Error("unreachable: the first character reaches every check value");
    }

    const undetected: string[] = [];
    for (let at = 0; at < 10; at++) {
      for (const a of ALPHABET) {
        for (const b of ALPHABET) {
          if (a === b) continue;
          const valid = codeWith(at, a, b);
          expect(valid[at]).toBe(a);
          expect(valid[at + 1]).toBe(b);
          expect(normalizeManualCode(valid)).toBe(valid);
          const swapped = valid.slice(0, at) + b + a + valid.slice(at + 2);
          const ok = accepted(swapped);
          expect(ok).toBe(referenceValid(swapped));
          if (ok) undetected.push(`${at}:${a}${b}`);
        }
      }
    }
    // Luhn mod 32 maps a value v to v − (2v reduced mod 31), which is 0 for both 0 and 31, so
    // swapping 0 and Z leaves the sum unchanged — at every position, including the check
    // character. Every other pair is caught. (The module comment says so.)
    const expected: string[] = [];
    for (let at = 0; at < 10; at++) expected.push(`${at}:0Z`, `${at}:Z0`);
    expect(undetected).toEqual(expected);
  });

  it("raises nothing but ProtocolError on arbitrary input, and accepts only valid codes", () => {
    const lenient = fc.string({
      unit: fc.constantFrom(..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabz -_.‐—*é\t"),
      minLength: 9,
      maxLength: 14,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), lenient), (text) => {
        try {
          const out = normalizeManualCode(text);
          expect(out).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
          expect(referenceValid(out)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
