import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { codeOf } from "../../testing/code-of.ts";
import { signCheckpoint } from "../checkpoint/signed-checkpoint.ts";
import { ed25519NoteSigner } from "../note/note.ts";
import {
  formatAddCheckpointRequest,
  formatLatestSize,
  MAX_CONSISTENCY_PROOF_LINES,
  parseAddCheckpointRequest,
  parseLatestSize,
} from "./witness.ts";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

// The c2sp.org/tlog-witness add-checkpoint example request body, verbatim.
const proofLines = [
  "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=",
  "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=",
  "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=",
  "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=",
];
const specCheckpoint =
  "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
  "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n" +
  "— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";
const specRequest = `old 20852014\n${proofLines.join("\n")}\n\n${specCheckpoint}`;

const signed = signCheckpoint(
  { origin: "log.example", size: 100n, rootHash: new Uint8Array(32).fill(4) },
  [ed25519NoteSigner("log.example", new Uint8Array(32).fill(1))],
);

describe("the c2sp.org/tlog-witness example request", () => {
  it("parses it: old size, four proof hashes, a checkpoint with two signatures", () => {
    const r = parseAddCheckpointRequest(specRequest);
    expect(r.oldSize).toBe(20852014n);
    expect(r.proof.map(b64)).toEqual(proofLines);
    expect(r.signedCheckpoint).toBe(specCheckpoint);
    expect(r.checkpoint.size).toBe(20852163n);
    expect(formatAddCheckpointRequest(r)).toBe(specRequest);
  });
});

describe("add-checkpoint requests", () => {
  it("formats old size 0 with an empty proof", () => {
    const text = formatAddCheckpointRequest({ oldSize: 0n, proof: [], signedCheckpoint: signed });
    expect(text).toBe(`old 0\n\n${signed}`);
    expect(parseAddCheckpointRequest(text).oldSize).toBe(0n);
  });

  it("enforces the client's MUSTs when formatting", () => {
    const h = new Uint8Array(32);
    const base = { oldSize: 50n, proof: [h], signedCheckpoint: signed };
    expect(codeOf(() => formatAddCheckpointRequest({ ...base, oldSize: 101n }))).toBe("bad-value");
    expect(codeOf(() => formatAddCheckpointRequest({ ...base, oldSize: 0n }))).toBe("bad-value");
    expect(
      codeOf(() =>
        formatAddCheckpointRequest({ ...base, proof: Array.from({ length: 64 }, () => h) }),
      ),
    ).toBe("field-too-long");
    expect(codeOf(() => formatAddCheckpointRequest({ ...base, proof: [new Uint8Array(31)] }))).toBe(
      "bad-length",
    );
    expect(codeOf(() => formatAddCheckpointRequest({ ...base, oldSize: -1n }))).toBe("bad-value");
    expect(
      codeOf(() => formatAddCheckpointRequest({ ...base, signedCheckpoint: "log.example\n1\n" })),
    ).toBe("bad-encoding");
  });

  it("accepts 63 proof lines and refuses 64", () => {
    const req = (n: number) => `old 1\n${`${b64(new Uint8Array(32))}\n`.repeat(n)}\n${signed}`;
    expect(parseAddCheckpointRequest(req(MAX_CONSISTENCY_PROOF_LINES)).proof).toHaveLength(63);
    expect(codeOf(() => parseAddCheckpointRequest(req(64)))).toBe("field-too-long");
  });

  it("leaves a non-empty proof for old size 0 to proof verification (a 422, not a 400)", () => {
    const text = `old 0\n${b64(new Uint8Array(32))}\n\n${signed}`;
    expect(parseAddCheckpointRequest(text).proof).toHaveLength(1);
  });

  const ok = `old 5\n${b64(new Uint8Array(32))}\n\n${signed}`;
  it.each([
    ["no old line", ok.slice(ok.indexOf("\n") + 1), "bad-encoding"],
    ["'old' without a size", ok.replace("old 5", "old "), "bad-encoding"],
    ["a leading zero", ok.replace("old 5", "old 05"), "bad-encoding"],
    ["a sign", ok.replace("old 5", "old +5"), "bad-encoding"],
    ["two spaces", ok.replace("old 5", "old  5"), "bad-encoding"],
    ["an upper-case OLD", ok.replace("old 5", "OLD 5"), "bad-encoding"],
    ["an old size past the checkpoint", ok.replace("old 5", "old 101"), "bad-value"],
    ["an old size past 2^64", ok.replace("old 5", "old 18446744073709551616"), "bad-value"],
    ["a short hash", ok.replace(b64(new Uint8Array(32)), b64(new Uint8Array(16))), "bad-length"],
    [
      "an unpadded hash",
      ok.replace(b64(new Uint8Array(32)), b64(new Uint8Array(32)).slice(0, -1)),
      "bad-encoding",
    ],
    ["no empty line", ok.replace(`\n\n${signed}`, `\n${signed}`), "bad-encoding"],
    ["no checkpoint", ok.slice(0, ok.indexOf(signed)), "bad-encoding"],
    [
      "an unsigned checkpoint",
      ok.replace(signed, "log.example\n100\nBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=\n"),
      "bad-encoding",
    ],
    ["a control character", ok.replace("old 5", "old 5\u0000"), "bad-text"],
    ["nothing", "", "bad-encoding"],
  ])("refuses %s", (_, text, code) => {
    expect(codeOf(() => parseAddCheckpointRequest(text))).toBe(code);
  });

  it("round-trips (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 100n }),
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 63 }),
        (oldSize, proof) => {
          const text = formatAddCheckpointRequest({ oldSize, proof, signedCheckpoint: signed });
          const r = parseAddCheckpointRequest(new Uint8Array(Buffer.from(text)));
          expect(r.oldSize).toBe(oldSize);
          expect(r.proof).toEqual(proof);
          expect(r.signedCheckpoint).toBe(signed);
          expect(formatAddCheckpointRequest(r)).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("throws only ProtocolError on random input and mutations", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          fc
            .tuple(fc.nat(specRequest.length), fc.nat(5), fc.string({ maxLength: 4 }))
            .map(([at, cut, s]) => specRequest.slice(0, at) + s + specRequest.slice(at + cut)),
        ),
        (input) => {
          try {
            const r = parseAddCheckpointRequest(input);
            expect(r.oldSize <= r.checkpoint.size).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("the 409 tree size body", () => {
  it("formats and parses sizes", () => {
    expect(formatLatestSize(20852014n)).toBe("20852014\n");
    expect(parseLatestSize("20852014\n")).toBe(20852014n);
    expect(parseLatestSize("18446744073709551615\n")).toBe((1n << 64n) - 1n);
  });

  it.each([["20852014"], ["020\n"], ["\n"], ["1\n\n"], ["-1\n"], ["18446744073709551616\n"]])(
    "refuses %j",
    (text) => {
      expect(codeOf(() => parseLatestSize(text))).not.toBe("no error");
    },
  );

  it("throws only ProtocolError on random input", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 30 }), fc.uint8Array({ maxLength: 30 })),
        (input) => {
          try {
            const n = parseLatestSize(input);
            expect(formatLatestSize(n)).toBe(
              typeof input === "string" ? input : Buffer.from(input).toString(),
            );
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
