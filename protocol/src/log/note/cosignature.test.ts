import { createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey, type VerifierKey } from "../../keys/verifier-key.ts";
import { codeOf } from "../../testing/code-of.ts";
import {
  COSIGNATURE_V1_ALGORITHM,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureSigner,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignCheckpoint,
  formatCosignatureVerifierKey,
  MAX_COSIGNATURE_TIMESTAMP,
  parseCosignatureVerifierKey,
  verifyCosignature,
} from "./cosignature.ts";
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  openNote,
  parseNote,
  parseSignatureLines,
  signNote,
} from "./note.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

// c2sp.org/tlog-cosignature example checkpoint and its witness line.
const body =
  "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const specLine =
  "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

const witnessSeed = new Uint8Array(32).fill(0x11);
const witnessPair = generateEd25519KeyPair(witnessSeed);
const witness = { name: "witness.example/w1", secretKey: witnessSeed };
const witnessKey: VerifierKey = parseCosignatureVerifierKey(
  formatCosignatureVerifierKey(witness.name, witnessPair.publicKey),
);

function nodeEd25519Verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), pub]);
  return nodeVerify(null, msg, createPublicKey({ key: spki, format: "der", type: "spki" }), sig);
}

describe("published cosignature facts", () => {
  it("the spec's example line: key ID then timestamp 1679315147 then a 64-byte signature", () => {
    const [sig] = parseSignatureLines(specLine);
    expect(hex(sig!.keyId)).toBe("8d66cf3f");
    expect(sig!.signature).toHaveLength(72);
    expect(cosignatureTimestamp(sig!.signature)).toBe(1679315147n);
  });

  it("signs the message the spec shows for that timestamp", () => {
    expect(Buffer.from(cosignatureMessage(body, 1679315147n)).toString()).toBe(
      "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    );
  });

  it("reads transparency-dev/formats' CoSigV1Timestamp vector (1727964367)", () => {
    const raw = Buffer.from(
      "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==",
      "base64",
    );
    expect(cosignatureTimestamp(new Uint8Array(raw.subarray(4)))).toBe(1727964367n);
    // Its "wrong type of signature" vector is a plain 64-byte Ed25519 note signature.
    const plain = Buffer.from(
      "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=",
      "base64",
    );
    expect(codeOf(() => cosignatureTimestamp(new Uint8Array(plain.subarray(4))))).toBe(
      "bad-length",
    );
  });

  it("parses a published type-0x04 witness key (transparency-dev/formats: remora.n621.de)", () => {
    const text = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
    const key = parseCosignatureVerifierKey(text);
    expect(key.name).toBe("remora.n621.de");
    expect(hex(key.keyId)).toBe("da77ade7");
    expect(formatCosignatureVerifierKey(key.name, key.publicKey)).toBe(text);
    const want = createHash("sha256")
      .update("remora.n621.de\n")
      .update(Buffer.from([COSIGNATURE_V1_ALGORITHM]))
      .update(key.publicKey)
      .digest()
      .subarray(0, 4);
    expect(hex(cosignatureKeyId(key.name, key.publicKey))).toBe(want.toString("hex"));
    // The same bytes are not an Ed25519 (0x01) verifier key.
    expect(codeOf(() => parseVerifierKey(text))).toBe("bad-value");
  });

  it("refuses a type-0x01 key as a cosignature key (transparency-dev/formats: TEST key)", () => {
    const text = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
    expect(parseVerifierKey(text).name).toBe("TEST");
    expect(codeOf(() => parseCosignatureVerifierKey(text))).toBe("bad-value");
  });

  it.each([
    ["no separators", "remora"],
    ["an upper-case hash", "remora.n621.de+DA77ADE7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"],
    ["a wrong hash", "remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"],
    ["another name", "remora.n621.dd+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"],
    ["a short key", "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw="],
  ])("refuses a cosignature verifier key with %s", (_, text) => {
    expect(codeOf(() => parseCosignatureVerifierKey(text))).not.toBe("no error");
  });
});

describe("cosignCheckpoint / verifyCosignature", () => {
  it("round-trips, and node:crypto verifies the signature over the spec's message", () => {
    const line = cosignCheckpoint(body, witness, 1679315147n);
    expect(line.startsWith("— witness.example/w1 ")).toBe(true);
    expect(verifyCosignature(body, line, witnessKey)).toBe(1679315147n);
    const [sig] = parseSignatureLines(line);
    expect(hex(sig!.keyId)).toBe(hex(cosignatureKeyId(witness.name, witnessPair.publicKey)));
    expect(
      nodeEd25519Verify(
        witnessPair.publicKey,
        cosignatureMessage(body, 1679315147n),
        sig!.signature.subarray(8),
      ),
    ).toBe(true);
  });

  it("accepts the witness as a type-0x01 VerifierKey too (same name and key)", () => {
    const asEd25519 = parseVerifierKey(formatVerifierKey(witness.name, witnessPair.publicKey));
    const line = cosignCheckpoint(body, witness, 5n);
    expect(verifyCosignature(body, line, asEd25519)).toBe(5n);
    expect(
      codeOf(() => verifyCosignature(body, line, { ...asEd25519, keyId: new Uint8Array(4) })),
    ).toBe("bad-value");
  });

  it("covers extension lines and the timestamp", () => {
    const ext = `${body}extension\n`;
    const line = cosignCheckpoint(ext, witness, 7n);
    expect(verifyCosignature(ext, line, witnessKey)).toBe(7n);
    expect(codeOf(() => verifyCosignature(`${body}extensioN\n`, line, witnessKey))).toBe(
      "bad-signature",
    );
    const [sig] = parseSignatureLines(line);
    const moved = sig!.signature.slice();
    moved[7] = 8; // timestamp 8
    expect(codeOf(() => verifyCosignature(ext, { ...sig!, signature: moved }, witnessKey))).toBe(
      "bad-signature",
    );
  });

  it("reports a cosignature by another witness as unknown-key, not a failure", () => {
    const other = { name: "witness.example/w2", secretKey: new Uint8Array(32).fill(2) };
    const line = cosignCheckpoint(body, other, 1n);
    expect(codeOf(() => verifyCosignature(body, line, witnessKey))).toBe("unknown-key");
    expect(codeOf(() => verifyCosignature(body, specLine, witnessKey))).toBe("unknown-key");
  });

  it("does not take a plain Ed25519 note signature by the witness key as a cosignature", () => {
    const plain = signNote(body, [ed25519NoteSigner(witness.name, witnessSeed)]);
    const [sig] = parseNote(plain).signatures;
    expect(codeOf(() => verifyCosignature(body, sig!, witnessKey))).toBe("unknown-key");
    expect(codeOf(() => openNote(plain, [cosignatureVerifier(witnessKey)]))).toBe("unknown-key");
  });

  it("timestamps run from 0 to 2^63 − 1; 2^63 and above are refused", () => {
    for (const t of [0n, 1n, MAX_COSIGNATURE_TIMESTAMP]) {
      expect(verifyCosignature(body, cosignCheckpoint(body, witness, t), witnessKey)).toBe(t);
    }
    expect(codeOf(() => cosignCheckpoint(body, witness, MAX_COSIGNATURE_TIMESTAMP + 1n))).toBe(
      "bad-value",
    );
    expect(codeOf(() => cosignCheckpoint(body, witness, -1n))).toBe("bad-value");
    // A line forged with timestamp 2^63 (signed as if allowed) is refused by the verifier.
    const pair = generateEd25519KeyPair(witnessSeed);
    const ts = new Uint8Array(8);
    new DataView(ts.buffer).setBigUint64(0, 1n << 63n);
    const message = Buffer.from(`cosignature/v1\ntime ${1n << 63n}\n${body}`);
    const { sign } = ed25519NoteSigner("x", witnessSeed);
    const signature = new Uint8Array([...ts, ...sign(new Uint8Array(message))]);
    expect(pair.publicKey).toEqual(witnessKey.publicKey);
    expect(
      codeOf(() =>
        verifyCosignature(
          body,
          { name: witness.name, keyId: witnessKey.keyId, signature },
          witnessKey,
        ),
      ),
    ).toBe("bad-signature");
  });

  it("honours notAfter (cosignatures from the future) in the note verifier", () => {
    const note = signNote(body, [cosignatureSigner(witness, 1000n)]);
    expect(openNote(note, [cosignatureVerifier(witnessKey, 1000n)]).verified).toHaveLength(1);
    expect(codeOf(() => openNote(note, [cosignatureVerifier(witnessKey, 999n)]))).toBe(
      "bad-signature",
    );
  });

  it("refuses to cosign anything but a well-formed checkpoint", () => {
    for (const bad of [
      "hello\n",
      "a\n1\n",
      "a\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    ]) {
      expect(codeOf(() => cosignCheckpoint(bad, witness, 1n))).not.toBe("no error");
    }
  });

  it("round-trips any timestamp and witness (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_COSIGNATURE_TIMESTAMP }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (t, seed) => {
          const w = { name: "w.example", secretKey: seed };
          const key = parseCosignatureVerifierKey(
            formatCosignatureVerifierKey(w.name, generateEd25519KeyPair(seed).publicKey),
          );
          const line = cosignCheckpoint(body, w, t);
          expect(verifyCosignature(body, line, key)).toBe(t);
          const note = `${body}\n${line}`;
          const opened = openNote(note, [
            cosignatureVerifier(key),
            ed25519NoteVerifier(parseVerifierKey(formatVerifierKey(w.name, key.publicKey))),
          ]);
          expect(opened.verified).toHaveLength(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("cosignature parsers under fuzzing", () => {
  it("verifyCosignature and parseCosignatureVerifierKey throw only ProtocolError", () => {
    const good = cosignCheckpoint(body, witness, 42n);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 150 }),
          fc
            .tuple(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
            .map(([at, s]) => good.slice(0, at) + s + good.slice(at + 1)),
        ),
        (input) => {
          try {
            expect(verifyCosignature(body, input, witnessKey)).toBe(42n);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
          try {
            parseCosignatureVerifierKey(input);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
