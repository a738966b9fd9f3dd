import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import { signCheckpoint } from "../checkpoint/signed-checkpoint.ts";
import { cosignatureSigner } from "../note/cosignature.ts";
import { ed25519NoteSigner } from "../note/note.ts";
import { formatTlogProof, MAX_INCLUSION_PROOF_HASHES, parseTlogProof } from "./tlog-proof.ts";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

// The c2sp.org/tlog-proof example; its signature lines are elided there ("hI2DJw[...]1roloI="),
// so the checkpoint is re-signed here with test keys under the same names.
const header =
  "c2sp.org/tlog-proof@v1\n" +
  "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ\n" +
  "index 73894\n" +
  "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n" +
  "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n" +
  "EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\n" +
  "RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\n" +
  "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n" +
  "\n";
const specCheckpoint =
  "example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n";
const elided =
  `${specCheckpoint}\n` +
  "— example.com/fancylog hI2DJw[...]1roloI=\n" +
  "— witness1.example mJirIklj[...]qY9v2B/5bg==\n";
const rootHash = new Uint8Array(
  Buffer.from("sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=", "base64"),
);
const signed = signCheckpoint({ origin: "example.com/fancylog", size: 109482n, rootHash }, [
  ed25519NoteSigner("example.com/fancylog", new Uint8Array(32).fill(1)),
  cosignatureSigner(
    { name: "witness1.example", secretKey: new Uint8Array(32).fill(2) },
    1700000000n,
  ),
]);

describe("the c2sp.org/tlog-proof example", () => {
  it("parses the example's lines with a signed checkpoint", () => {
    const p = parseTlogProof(header + signed);
    expect(Buffer.from(p.extra!).subarray(0, 30).toString("latin1")).toBe(
      "age-v1.2.1-darwin-arm64.tar.gz",
    );
    expect(p.index).toBe(73894n);
    expect(p.proof.map(b64)).toEqual(header.split("\n").slice(3, 8));
    expect(p.signedCheckpoint).toBe(signed);
    expect(p.checkpoint.origin).toBe("example.com/fancylog");
    expect(p.checkpoint.size).toBe(109482n);
    expect(formatTlogProof(p)).toBe(header + signed);
  });

  it("refuses the verbatim example, whose signatures are elided with [...]", () => {
    expect(codeOf(() => parseTlogProof(header + elided))).toBe("bad-encoding");
  });

  it("omits the extra line when there is no extra data", () => {
    const text = formatTlogProof({ index: 0n, proof: [], signedCheckpoint: signed });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${signed}`);
    const p = parseTlogProof(text);
    expect("extra" in p).toBe(false);
    expect(p.proof).toEqual([]);
  });
});

describe("strict parsing", () => {
  const ok = `c2sp.org/tlog-proof@v1\nindex 5\n${b64(new Uint8Array(32))}\n\n${signed}`;

  it("accepts the baseline", () => {
    expect(parseTlogProof(ok).index).toBe(5n);
  });

  it.each([
    ["another version", ok.replace("@v1", "@v2"), "bad-encoding"],
    ["no header", ok.slice(ok.indexOf("\n") + 1), "bad-encoding"],
    ["an index with a leading zero", ok.replace("index 5", "index 05"), "bad-encoding"],
    ["a negative index", ok.replace("index 5", "index -5"), "bad-encoding"],
    ["an index at the tree size", ok.replace("index 5", "index 109482"), "bad-value"],
    ["an index past 2^64", ok.replace("index 5", "index 18446744073709551616"), "bad-value"],
    ["no index line", ok.replace("index 5\n", ""), "bad-encoding"],
    ["'index' without a space", ok.replace("index 5", "index5"), "bad-encoding"],
    ["an empty extra line", ok.replace("index 5", "extra \nindex 5"), "bad-encoding"],
    ["extra data that is not base64", ok.replace("index 5", "extra !!\nindex 5"), "bad-encoding"],
    ["extra after the index", ok.replace("index 5", "index 5\nextra AA=="), "bad-encoding"],
    ["two extra lines", ok.replace("index 5", "extra AA==\nextra AA==\nindex 5"), "bad-encoding"],
    [
      "a 31-byte proof hash",
      ok.replace(b64(new Uint8Array(32)), b64(new Uint8Array(31))),
      "bad-length",
    ],
    ["a hex proof hash", ok.replace(b64(new Uint8Array(32)), "00".repeat(32)), "bad-length"],
    [
      "no blank line before the checkpoint",
      ok.replace(`\n\n${signed}`, `\n${signed}`),
      "bad-encoding",
    ],
    ["no checkpoint", ok.slice(0, ok.indexOf(signed)), "bad-encoding"],
    ["an unsigned checkpoint", ok.replace(signed, specCheckpoint), "bad-encoding"],
    ["a carriage return", ok.replace("index 5\n", "index 5\r\n"), "bad-text"],
    ["a truncated header", "c2sp.org/tlog-proof@v1", "bad-encoding"],
    ["nothing", "", "bad-encoding"],
  ])("refuses %s", (_, text, code) => {
    expect(codeOf(() => parseTlogProof(text))).toBe(code);
  });

  it("accepts 64 proof hashes and refuses 65", () => {
    const lines = (n: number) => `${b64(new Uint8Array(32).fill(3))}\n`.repeat(n);
    const proof = (n: number) => `c2sp.org/tlog-proof@v1\nindex 5\n${lines(n)}\n${signed}`;
    expect(parseTlogProof(proof(MAX_INCLUSION_PROOF_HASHES)).proof).toHaveLength(64);
    expect(codeOf(() => parseTlogProof(proof(65)))).toBe("field-too-long");
  });

  it("formatTlogProof refuses what parse would refuse", () => {
    const base = { index: 5n, proof: [], signedCheckpoint: signed };
    expect(codeOf(() => formatTlogProof({ ...base, extra: new Uint8Array(0) }))).toBe("bad-value");
    expect(codeOf(() => formatTlogProof({ ...base, index: 109482n }))).toBe("bad-value");
    expect(codeOf(() => formatTlogProof({ ...base, index: -1n }))).toBe("bad-value");
    expect(codeOf(() => formatTlogProof({ ...base, proof: [new Uint8Array(33)] }))).toBe(
      "bad-length",
    );
    expect(
      codeOf(() =>
        formatTlogProof({ ...base, proof: Array.from({ length: 65 }, () => new Uint8Array(32)) }),
      ),
    ).toBe("field-too-long");
    expect(codeOf(() => formatTlogProof({ ...base, signedCheckpoint: specCheckpoint }))).toBe(
      "bad-encoding",
    );
  });
});

describe("tlog-proof round trips and fuzzing", () => {
  it("round-trips (property)", () => {
    fc.assert(
      fc.property(
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined }),
        fc.bigInt({ min: 0n, max: 109481n }),
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 20 }),
        (extra, index, proof) => {
          const fields =
            extra === undefined
              ? { index, proof, signedCheckpoint: signed }
              : { extra, index, proof, signedCheckpoint: signed };
          const text = formatTlogProof(fields);
          const p = parseTlogProof(new Uint8Array(Buffer.from(text)));
          expect(p.index).toBe(index);
          expect(p.proof).toEqual(proof);
          expect(p.extra).toEqual(extra);
          expect(formatTlogProof(p)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("throws only ProtocolError on random input and mutations", () => {
    const valid = header + signed;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          fc
            .tuple(fc.nat(valid.length), fc.nat(5), fc.string({ maxLength: 4 }))
            .map(([at, cut, s]) => valid.slice(0, at) + s + valid.slice(at + cut)),
        ),
        (input) => {
          try {
            const p = parseTlogProof(input);
            expect(p.index < p.checkpoint.size).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
