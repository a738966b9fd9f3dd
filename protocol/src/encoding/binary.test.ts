import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { codeOf } from "../testing/code-of.ts";
import { checkText, Reader, Writer } from "./binary.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => new Uint8Array(b);

// Text the encoder must accept: printable graphemes in NFC, within one u8 length.
const isForbidden = (cp: number) =>
  cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;
const hasForbidden = (s: string) => Array.from(s).some((c) => isForbidden(c.codePointAt(0)!));
const validText = fc
  .string({ unit: "grapheme", maxLength: 30 })
  .map((s) => s.normalize("NFC"))
  .filter((s) => !hasForbidden(s) && utf8(s).length <= 0xff);

type Field =
  | { kind: "u8"; v: number }
  | { kind: "u16"; v: number }
  | { kind: "u32"; v: number }
  | { kind: "u64"; v: bigint }
  | { kind: "fixed"; v: Uint8Array }
  | { kind: "bytes8"; v: Uint8Array }
  | { kind: "bytes16"; v: Uint8Array }
  | { kind: "text8"; v: string };

const field: fc.Arbitrary<Field> = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).map((v) => ({ kind: "u8", v }) as const),
  fc.integer({ min: 0, max: 0xffff }).map((v) => ({ kind: "u16", v }) as const),
  fc.integer({ min: 0, max: 0xffffffff }).map((v) => ({ kind: "u32", v }) as const),
  fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }).map((v) => ({ kind: "u64", v }) as const),
  fc.uint8Array({ maxLength: 40 }).map((v) => ({ kind: "fixed", v }) as const),
  fc.uint8Array({ maxLength: 0xff }).map((v) => ({ kind: "bytes8", v }) as const),
  fc.uint8Array({ maxLength: 600 }).map((v) => ({ kind: "bytes16", v }) as const),
  validText.map((v) => ({ kind: "text8", v }) as const),
);

function write(w: Writer, f: Field): void {
  switch (f.kind) {
    case "u8":
      w.u8(f.v);
      break;
    case "u16":
      w.u16(f.v);
      break;
    case "u32":
      w.u32(f.v);
      break;
    case "u64":
      w.u64(f.v);
      break;
    case "fixed":
      w.fixed(f.v, f.v.length);
      break;
    case "bytes8":
      w.bytes8(f.v);
      break;
    case "bytes16":
      w.bytes16(f.v);
      break;
    case "text8":
      w.text8(f.v, 0xff, "text");
      break;
  }
}

function read(r: Reader, f: Field): unknown {
  switch (f.kind) {
    case "u8":
      return r.u8();
    case "u16":
      return r.u16();
    case "u32":
      return r.u32();
    case "u64":
      return r.u64();
    case "fixed":
      return r.fixed(f.v.length);
    case "bytes8":
      return r.bytes8();
    case "bytes16":
      return r.bytes16();
    case "text8":
      return r.text8(0xff, "text");
  }
}

function encode(fields: readonly Field[]): Uint8Array {
  const w = new Writer();
  for (const f of fields) write(w, f);
  return w.finish();
}

/** Length of a field's encoding, computed from the spec rather than from the Writer. */
function encodedLength(f: Field): number {
  switch (f.kind) {
    case "u8":
      return 1;
    case "u16":
      return 2;
    case "u32":
      return 4;
    case "u64":
      return 8;
    case "fixed":
      return f.v.length;
    case "bytes8":
      return 1 + f.v.length;
    case "bytes16":
      return 2 + f.v.length;
    case "text8":
      return 1 + utf8(f.v).length;
  }
}

describe("Writer and Reader round trips", () => {
  it("reads back any sequence of fields exactly, consuming every byte", () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 12 }), (fields) => {
        const encoded = encode(fields);
        expect(encoded.length).toBe(fields.reduce((n, f) => n + encodedLength(f), 0));
        const r = new Reader(encoded);
        for (const f of fields) expect(read(r, f)).toEqual(f.v);
        expect(r.remaining).toBe(0);
        expect(r.offset).toBe(encoded.length);
        r.end();
      }),
      { numRuns: 500 },
    );
  });

  it("reads correctly from a subarray that does not start at offset 0 of its buffer", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 7 }),
        fc.array(field, { maxLength: 6 }),
        (prefix, fields) => {
          const encoded = encode(fields);
          const backing = new Uint8Array(prefix.length + encoded.length + 3).fill(0xa5);
          backing.set(prefix);
          backing.set(encoded, prefix.length);
          const r = new Reader(backing.subarray(prefix.length, prefix.length + encoded.length));
          for (const f of fields) expect(read(r, f)).toEqual(f.v);
          r.end();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes integers big-endian and prefixes lengths, byte for byte", () => {
    const out = new Writer()
      .u8(0xab)
      .u16(0x1234)
      .u32(0x89abcdef)
      .u64(0x0102030405060708n)
      .bytes8(bytes(9, 8))
      .bytes16(bytes(7))
      .text8("é海", 10, "t")
      .fixed(bytes(1, 2, 3), 3)
      .finish();
    expect(Array.from(out)).toEqual([
      0xab, 0x12, 0x34, 0x89, 0xab, 0xcd, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 2, 9, 8, 0, 1, 7, 5, 0xc3,
      0xa9, 0xe6, 0xb5, 0xb7, 1, 2, 3,
    ]);
  });

  it("grows past its initial buffer without losing bytes", () => {
    const big = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    const w = new Writer().u8(1).bytes16(big).u32(0xdeadbeef).bytes16(big);
    const r = new Reader(w.finish());
    expect(r.u8()).toBe(1);
    expect(r.bytes16()).toEqual(big);
    expect(r.u32()).toBe(0xdeadbeef);
    expect(r.bytes16()).toEqual(big);
    r.end();
  });

  it("returns copies: finish() and fixed() do not alias the writer's or reader's buffer", () => {
    const w = new Writer().u8(1);
    const first = w.finish();
    w.u8(2);
    expect(Array.from(first)).toEqual([1]);
    const input = bytes(4, 5, 6);
    const got = new Reader(input).fixed(3);
    input[0] = 99;
    expect(Array.from(got)).toEqual([4, 5, 6]);
  });

  it("keeps a leading byte-order mark rather than stripping it (one encoding per value)", () => {
    const encoded = bytes(4, 0xef, 0xbb, 0xbf, 0x61);
    const text = new Reader(encoded).text8(10, "t");
    expect(text).toBe("\ufeffa");
    expect(new Writer().text8(text, 10, "t").finish()).toEqual(encoded);
  });
});

describe("Writer range checks", () => {
  it.each([
    ["u8", (w: Writer) => w.u8(0xff), (w: Writer) => w.u8(0x100)],
    ["u16", (w: Writer) => w.u16(0xffff), (w: Writer) => w.u16(0x10000)],
    ["u32", (w: Writer) => w.u32(0xffffffff), (w: Writer) => w.u32(0x100000000)],
    ["u64", (w: Writer) => w.u64(0xffffffffffffffffn), (w: Writer) => w.u64(0x10000000000000000n)],
  ])("%s accepts its maximum and refuses one more", (_, atMax, overMax) => {
    expect(codeOf(() => atMax(new Writer()))).toBe("no error");
    expect(codeOf(() => overMax(new Writer()))).toBe("bad-value");
  });

  it.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])("u8, u16 and u32 refuse %s", (v) => {
    expect(codeOf(() => new Writer().u8(v))).toBe("bad-value");
    expect(codeOf(() => new Writer().u16(v))).toBe("bad-value");
    expect(codeOf(() => new Writer().u32(v))).toBe("bad-value");
  });

  it("u64 refuses negatives", () => {
    expect(codeOf(() => new Writer().u64(-1n))).toBe("bad-value");
    expect(new Writer().u64(0n).finish()).toEqual(new Uint8Array(8));
  });

  it("refuses any out-of-range integer (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.bigInt({ min: 2n ** 32n, max: 2n ** 53n }).map(Number),
          fc.double({ noInteger: true }),
        ),
        (v) => {
          expect(codeOf(() => new Writer().u32(v))).toBe("bad-value");
          expect(codeOf(() => new Writer().u16(v))).toBe("bad-value");
          expect(codeOf(() => new Writer().u8(v))).toBe("bad-value");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fixed refuses a length other than declared", () => {
    expect(codeOf(() => new Writer().fixed(bytes(1, 2), 3))).toBe("bad-length");
    expect(codeOf(() => new Writer().fixed(bytes(1, 2, 3, 4), 3))).toBe("bad-length");
  });

  it("bytes8 / bytes16 refuse more than their limit or their length prefix can carry", () => {
    expect(codeOf(() => new Writer().bytes8(new Uint8Array(5), 4))).toBe("field-too-long");
    expect(codeOf(() => new Writer().bytes8(new Uint8Array(4), 4))).toBe("no error");
    expect(codeOf(() => new Writer().bytes8(new Uint8Array(256)))).toBe("field-too-long");
    expect(codeOf(() => new Writer().bytes8(new Uint8Array(256), 1000))).toBe("field-too-long");
    expect(codeOf(() => new Writer().bytes16(new Uint8Array(0x10000)))).toBe("field-too-long");
    expect(codeOf(() => new Writer().bytes16(new Uint8Array(11), 10))).toBe("field-too-long");
  });

  it("text8 limits are in UTF-8 bytes, not characters", () => {
    expect(codeOf(() => new Writer().text8("海海", 6, "t"))).toBe("no error");
    expect(codeOf(() => new Writer().text8("海海", 5, "t"))).toBe("field-too-long");
    expect(codeOf(() => new Writer().text8("x".repeat(256), 1000, "t"))).toBe("field-too-long");
  });
});

describe("Reader refusals", () => {
  it("end() refuses trailing bytes", () => {
    const r = new Reader(bytes(1, 2, 3));
    r.u16();
    expect(codeOf(() => r.end())).toBe("trailing-bytes");
    r.u8();
    expect(codeOf(() => r.end())).toBe("no error");
  });

  it("every strict prefix of an encoding reads as truncated (property)", () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), (fields) => {
        const encoded = encode(fields);
        for (let cut = 0; cut < encoded.length; cut++) {
          const r = new Reader(encoded.subarray(0, cut));
          const outcome = codeOf(() => {
            for (const f of fields) read(r, f);
          });
          // Never "bad-text" or "field-too-long": the cut is noticed before a body is decoded.
          expect(outcome).toBe("truncated");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("each primitive refuses a short input", () => {
    expect(codeOf(() => new Reader(bytes()).u8())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(1)).u16())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(1, 2, 3)).u32())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(1, 2, 3, 4, 5, 6, 7)).u64())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(1, 2)).fixed(3))).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(3, 1, 2)).bytes8())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(0)).bytes16())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(0, 2, 1)).bytes16())).toBe("truncated");
    expect(codeOf(() => new Reader(bytes(2, 0x61)).text8(10, "t"))).toBe("truncated");
  });

  it("refuses a length prefix above the field's limit before reading the body", () => {
    expect(codeOf(() => new Reader(bytes(5, 1, 2, 3, 4, 5)).bytes8(4))).toBe("field-too-long");
    expect(codeOf(() => new Reader(bytes(0, 11, ...new Uint8Array(11))).bytes16(10))).toBe(
      "field-too-long",
    );
    // The body is missing too, but the limit is what is reported.
    expect(codeOf(() => new Reader(bytes(200)).text8(60, "t"))).toBe("field-too-long");
    expect(codeOf(() => new Reader(bytes(6, ...utf8("海海"))).text8(5, "t"))).toBe(
      "field-too-long",
    );
  });

  it.each([
    ["an overlong '/' (C0 AF)", [0xc0, 0xaf]],
    ["an overlong NUL (C0 80)", [0xc0, 0x80]],
    ["a three-byte overlong (E0 80 AF)", [0xe0, 0x80, 0xaf]],
    ["a four-byte overlong (F0 80 80 AF)", [0xf0, 0x80, 0x80, 0xaf]],
    ["a UTF-8-encoded high surrogate (ED A0 80)", [0xed, 0xa0, 0x80]],
    ["a UTF-8-encoded low surrogate (ED BF BF)", [0xed, 0xbf, 0xbf]],
    ["a code point above U+10FFFF (F4 90 80 80)", [0xf4, 0x90, 0x80, 0x80]],
    ["a lone continuation byte", [0x61, 0x80]],
    ["a truncated three-byte sequence", [0xe6, 0xb5]],
    ["a truncated sequence followed by ASCII", [0xe6, 0x61]],
    ["the byte FF", [0xff]],
    ["the byte FE", [0xfe]],
    ["CESU-8 for U+1F600", [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
  ])("text8 refuses %s", (_, raw) => {
    expect(codeOf(() => new Reader(bytes(raw.length, ...raw)).text8(60, "t"))).toBe("bad-text");
  });

  it("text8 accepts well-formed multi-byte UTF-8 up to four bytes", () => {
    const text = "é海😀";
    const encoded = utf8(text);
    expect(encoded.length).toBe(9);
    expect(new Reader(bytes(9, ...encoded)).text8(9, "t")).toBe(text);
  });
});

describe("text rules", () => {
  const controls = [
    "\u0000",
    "\u0009",
    "\u000a",
    "\u000d",
    "\u001b",
    "\u001f",
    "\u007f",
    "\u0080",
    "\u0085",
    "\u009f",
    "\u2028",
    "\u2029",
  ];

  it.each(controls.map((c) => [`U+${c.codePointAt(0)!.toString(16).padStart(4, "0")}`, c]))(
    "refuses %s in text, on both sides",
    (_, c) => {
      const value = `Main${c}door`;
      expect(codeOf(() => new Writer().text8(value, 60, "t"))).toBe("bad-text");
      const raw = utf8(value);
      expect(codeOf(() => new Reader(bytes(raw.length, ...raw)).text8(60, "t"))).toBe("bad-text");
    },
  );

  it.each([" ", "~", "\u00a0", "\u00a1", "\u2027", "\u3000"])(
    "accepts the neighbouring character %j",
    (c) => {
      const encoded = new Writer().text8(`a${c}b`, 60, "t").finish();
      expect(new Reader(encoded).text8(60, "t")).toBe(`a${c}b`);
    },
  );

  it("refuses text that is not in NFC, on both sides", () => {
    for (const value of ["e\u0301", "Cafe\u0301", "\u212b", "\u1100\u1161"]) {
      expect(value.normalize("NFC")).not.toBe(value);
      expect(codeOf(() => new Writer().text8(value, 60, "t"))).toBe("bad-text");
      const raw = utf8(value);
      expect(codeOf(() => new Reader(bytes(raw.length, ...raw)).text8(60, "t"))).toBe("bad-text");
      // ... while the NFC form is fine.
      const nfc = value.normalize("NFC");
      expect(new Reader(new Writer().text8(nfc, 60, "t").finish()).text8(60, "t")).toBe(nfc);
    }
  });

  it("refuses lone surrogates instead of writing U+FFFD in their place", () => {
    for (const value of ["a\ud800", "\udc00b", "x\udbff\udbffy", "\ud83d"]) {
      expect(codeOf(() => new Writer().text8(value, 60, "t"))).toBe("bad-text");
      expect(codeOf(() => checkText(value, 60, "t"))).toBe("bad-text");
    }
    // A surrogate pair is one code point and fine.
    expect(new Reader(new Writer().text8("😀", 60, "t").finish()).text8(60, "t")).toBe("😀");
  });

  it("whatever text8 accepts reads back as the same string (property over UTF-16 code units)", () => {
    const codeUnits = fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
      maxLength: 12,
    });
    fc.assert(
      fc.property(codeUnits, (value) => {
        let encoded: Uint8Array;
        try {
          encoded = new Writer().text8(value, 0xff, "t").finish();
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          return;
        }
        expect(new Reader(encoded).text8(0xff, "t")).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("Reader fuzzing", () => {
  const op = fc.constantFrom(
    "u8",
    "u16",
    "u32",
    "u64",
    "fixed",
    "bytes8",
    "bytes16",
    "text8",
    "end",
  );

  it("raises nothing but ProtocolError on arbitrary bytes and reads", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.array(fc.tuple(op, fc.nat(40)), { maxLength: 10 }),
        (input, ops) => {
          const r = new Reader(input);
          try {
            for (const [name, n] of ops) {
              if (name === "fixed") r.fixed(n);
              else if (name === "bytes8") r.bytes8(n);
              else if (name === "bytes16") r.bytes16(n * 100);
              else if (name === "text8") {
                const s = r.text8(n, "t");
                // Whatever is accepted obeys the text rules.
                expect(s.normalize("NFC")).toBe(s);
                expect(hasForbidden(s)).toBe(false);
              } else if (name === "end") r.end();
              else r[name]();
              expect(r.offset + r.remaining).toBe(input.length);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("raises nothing but ProtocolError on mutated valid encodings", () => {
    fc.assert(
      fc.property(
        fc.array(field, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        (fields, flips) => {
          const encoded = encode(fields);
          for (const [at, mask] of flips) {
            if (encoded.length > 0) encoded[at % encoded.length]! ^= mask;
          }
          const r = new Reader(encoded);
          try {
            for (const f of fields) read(r, f);
            r.end();
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
