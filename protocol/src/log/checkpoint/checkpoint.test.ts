import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import { formatCheckpoint, MAX_CHECKPOINT_BYTES, parseCheckpoint } from "./checkpoint.ts";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const U64_MAX = (1n << 64n) - 1n;
const root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
const example = `example.com/behind-the-sofa\n20852163\n${root}\n`;

describe("published checkpoints", () => {
  it("parses the c2sp.org/tlog-checkpoint example and formats it back", () => {
    const c = parseCheckpoint(example);
    expect(c.origin).toBe("example.com/behind-the-sofa");
    expect(c.size).toBe(20852163n);
    expect(b64(c.rootHash)).toBe(root);
    expect(c.extensions).toEqual([]);
    expect(formatCheckpoint(c)).toBe(example);
  });

  it("matches golang.org/x/mod/sumdb/tlog TestFormatTree (record hash of 'hello world')", () => {
    // RFC 6962 leaf hash SHA-256(0x00 ‖ data), computed independently.
    const leaf = createHash("sha256")
      .update(Buffer.from([0]))
      .update("hello world")
      .digest();
    const golden =
      "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";
    const body = formatCheckpoint({
      origin: "go.sum database tree",
      size: 123456789012n,
      rootHash: new Uint8Array(leaf),
    });
    expect(body).toBe(golden);
    const c = parseCheckpoint(golden);
    expect(c.size).toBe(123456789012n);
    expect(Buffer.from(c.rootHash).equals(leaf)).toBe(true);
  });

  it.each([
    [
      "a 0x size (TestParseTree)",
      "go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
      "bad-encoding",
    ],
    [
      "a bad hash (TestParseTree)",
      "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",
      "bad-encoding",
    ],
    [
      "a negative size (tessera)",
      `original.example.com\n-42\n${"qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs="}\n`,
      "bad-encoding",
    ],
    ["a bad hash (tessera)", "original.example.com\n42\nthisisnotright\n", "bad-encoding"],
    [
      "an empty origin (tessera accepts; the spec says MUST be non-empty)",
      "\n42\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n",
      "bad-encoding",
    ],
    ["no origin (tessera)", "42\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n", "bad-encoding"],
    [
      "junk without newline after it (Go ignores it; here it is an unterminated extension line)",
      `${example}JOE`,
      "bad-encoding",
    ],
  ])("refuses %s", (_, body, code) => {
    expect(codeOf(() => parseCheckpoint(body))).toBe(code);
  });

  it("reads what Go's ParseTree ignores after the tree as extension lines", () => {
    expect(parseCheckpoint(`${example}JOE\n`).extensions).toEqual(["JOE"]);
    expect(parseCheckpoint(`${example}${"JOE\n".repeat(1000)}`).extensions).toHaveLength(1000);
  });
});

describe("strict parsing", () => {
  const withSize = (s: string) => `o\n${s}\n${root}\n`;

  it("accepts sizes 0 and 2^64 − 1", () => {
    expect(parseCheckpoint(withSize("0")).size).toBe(0n);
    expect(parseCheckpoint(withSize(U64_MAX.toString())).size).toBe(U64_MAX);
  });

  it.each([
    ["00", "bad-encoding"],
    ["01", "bad-encoding"],
    ["+1", "bad-encoding"],
    ["-0", "bad-encoding"],
    [" 1", "bad-encoding"],
    ["1 ", "bad-encoding"],
    ["1e3", "bad-encoding"],
    ["１", "bad-encoding"],
    ["", "bad-encoding"],
    ["18446744073709551616", "bad-value"],
    ["99999999999999999999", "bad-value"],
    ["100000000000000000000", "bad-encoding"],
  ])("refuses the size %j", (size, code) => {
    expect(codeOf(() => parseCheckpoint(withSize(size)))).toBe(code);
  });

  it.each([
    ["31 bytes", b64(new Uint8Array(31)), "bad-length"],
    ["33 bytes", b64(new Uint8Array(33)), "bad-length"],
    ["no padding", root.slice(0, -1), "bad-encoding"],
    ["non-zero padding bits", `${root.slice(0, -2)}3=`, "bad-encoding"],
    ["URL-safe alphabet", b64(new Uint8Array(32).fill(0xfb)).replace(/\+/g, "-"), "bad-encoding"],
    ["a trailing space", `${root} `, "bad-encoding"],
    ["hex", "00".repeat(32), "bad-length"],
  ])("refuses a root hash with %s", (_, hash, code) => {
    expect(codeOf(() => parseCheckpoint(`o\n1\n${hash}\n`))).toBe(code);
  });

  it.each([
    ["no final newline", `o\n1\n${root}`, "bad-encoding"],
    ["two lines", "o\n1\n", "bad-encoding"],
    ["an empty extension line", `o\n1\n${root}\n\n`, "bad-encoding"],
    ["an empty line between extensions", `o\n1\n${root}\na\n\nb\n`, "bad-encoding"],
    ["a carriage return", `o\r\n1\n${root}\n`, "bad-text"],
    ["a tab in the origin", `o\tx\n1\n${root}\n`, "bad-text"],
    ["nothing", "", "bad-encoding"],
  ])("refuses a body with %s", (_, body, code) => {
    expect(codeOf(() => parseCheckpoint(body))).toBe(code);
  });

  it("refuses invalid UTF-8 and oversized bodies", () => {
    const bytes = new Uint8Array([...Buffer.from(example), 0xc3]);
    expect(codeOf(() => parseCheckpoint(bytes))).toBe("bad-text");
    const huge = `${example}${"x".repeat(MAX_CHECKPOINT_BYTES)}\n`;
    expect(codeOf(() => parseCheckpoint(huge))).toBe("field-too-long");
  });

  it("accepts origins that are not URLs (clients MUST NOT assume the format)", () => {
    for (const origin of ["go.sum database tree", "a+b", "海港 log", "\u00a0"]) {
      expect(parseCheckpoint(`${origin}\n1\n${root}\n`).origin).toBe(origin);
    }
  });
});

describe("formatCheckpoint", () => {
  const rootHash = new Uint8Array(32).fill(7);

  it.each([
    ["an empty origin", { origin: "", size: 1n, rootHash }, "bad-value"],
    ["a newline in the origin", { origin: "a\nb", size: 1n, rootHash }, "bad-value"],
    ["a control character", { origin: "a\u0001", size: 1n, rootHash }, "bad-text"],
    ["a negative size", { origin: "a", size: -1n, rootHash }, "bad-value"],
    ["a size of 2^64", { origin: "a", size: 1n << 64n, rootHash }, "bad-value"],
    ["a 31-byte hash", { origin: "a", size: 1n, rootHash: new Uint8Array(31) }, "bad-length"],
    ["an empty extension", { origin: "a", size: 1n, rootHash, extensions: [""] }, "bad-value"],
    [
      "a two-line extension",
      { origin: "a", size: 1n, rootHash, extensions: ["x\ny"] },
      "bad-value",
    ],
  ])("refuses %s", (_, fields, code) => {
    expect(codeOf(() => formatCheckpoint(fields))).toBe(code);
  });

  it("round-trips every checkpoint (property)", () => {
    const line = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 30 })
      .map((s) => [...s].map((c) => (c.charCodeAt(0) < 0x20 ? "_" : c)).join(""));
    fc.assert(
      fc.property(
        line,
        fc.bigInt({ min: 0n, max: U64_MAX }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, size, rootHash, extensions) => {
          const body = formatCheckpoint({ origin, size, rootHash, extensions });
          const c = parseCheckpoint(body);
          expect(c).toEqual({ origin, size, rootHash, extensions });
          expect(parseCheckpoint(new Uint8Array(Buffer.from(body)))).toEqual(c);
          expect(formatCheckpoint(c)).toBe(body);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("parseCheckpoint under fuzzing", () => {
  it("throws only ProtocolError on random input and mutations, and round-trips what it accepts", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.uint8Array({ maxLength: 120 }),
          fc
            .tuple(fc.nat(example.length), fc.nat(4), fc.string({ maxLength: 4 }))
            .map(([at, cut, s]) => example.slice(0, at) + s + example.slice(at + cut)),
        ),
        (input) => {
          try {
            const c = parseCheckpoint(input);
            const text = typeof input === "string" ? input : Buffer.from(input).toString("utf8");
            expect(formatCheckpoint(c)).toBe(text);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
