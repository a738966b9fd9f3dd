import { createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { formatVerifierKey, isValidKeyName, parseVerifierKey } from "../../keys/verifier-key.ts";
import { codeOf } from "../../testing/code-of.ts";
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatNote,
  formatSignatureLine,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseNote,
  parseSignatureLines,
  signNote,
} from "./note.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

// ---- Published vectors: golang.org/x/mod/sumdb/note (note.go package doc, note_test.go) ----
const peterKey = parseVerifierKey(
  "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
);
const enochKey = parseVerifierKey(
  "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
);
// PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz: 0x01 ‖ seed.
const peterSeed = new Uint8Array(
  Buffer.from("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "base64").subarray(1),
);
const text =
  "If you think cryptography is the answer to your problem,\n" +
  "then you don't know what your problem is.\n";
const peterSig =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const enochSig =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
const peter = ed25519NoteVerifier(peterKey);
const enoch = ed25519NoteVerifier(enochKey);

// sum.golang.org's key (the Go default GOSUMDB key) and two tree notes it really signed: one
// from trillian-tessera's internal/parse/checkpoint_test.go (published there without the final
// newline), one from a Go checksum-database lookup.
const sumdbKey = parseVerifierKey(
  "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
);
const sumdbNoteTessera =
  "go.sum database tree\n31700353\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n\n— sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=";
const sumdbNoteLookup =
  "go.sum database tree\n65209736\n5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n\n" +
  "— sum.golang.org Az3grnbssgK7ubgFX36gVETtNv0U23qxyAhAMai2QUfeGa3nB/akvkMdlUErfcZz7l/R3cVtYspg3dxXABkGZZKdsQ8=\n";

describe("golang.org/x/mod/sumdb/note vectors", () => {
  it("signs Peter Neumann's note exactly as Go's TestSign does", () => {
    const signer = ed25519NoteSigner("PeterNeumann", peterSeed);
    expect(hex(signer.keyId)).toBe("c74f20a3");
    expect(signNote(text, [signer])).toBe(`${text}\n${peterSig}`);
  });

  it("opens the note: one verified by Peter, Enoch's unknown (TestOpen)", () => {
    const n = openNote(bytes(`${text}\n${peterSig}${enochSig}`), [peter]);
    expect(n.text).toBe(text);
    expect(n.verified.map((s) => [s.name, hex(s.keyId)])).toEqual([["PeterNeumann", "c74f20a3"]]);
    expect(n.verified[0]!.verifier).toBe(peter);
    expect(n.unknown.map((s) => [s.name, hex(s.keyId)])).toEqual([["EnochRoot", "af0cfe78"]]);
  });

  it("verifies both signatures when both keys are known", () => {
    const n = openNote(`${text}\n${peterSig}${enochSig}`, [peter, enoch]);
    expect(n.verified.map((s) => s.name)).toEqual(["PeterNeumann", "EnochRoot"]);
    expect(n.unknown).toEqual([]);
  });

  it("refuses a note with no known signer (UnverifiedNoteError) with unknown-key", () => {
    expect(codeOf(() => openNote(`${text}\n${peterSig}${enochSig}`, []))).toBe("unknown-key");
    const parsed = parseNote(`${text}\n${peterSig}${enochSig}`);
    expect(parsed.signatures.map((s) => s.name)).toEqual(["PeterNeumann", "EnochRoot"]);
  });

  it("drops duplicates: verified once, identical unknown lines once, distinct unknown kept", () => {
    const enochABCD = `${enochSig.slice(0, 60)}ABCD${enochSig.slice(60)}`;
    const n = openNote(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${enochABCD}`, [
      peter,
    ]);
    expect(n.verified).toHaveLength(1);
    expect(n.unknown).toHaveLength(2);
    expect(formatSignatureLine(n.unknown[0]!)).toBe(enochSig);
    expect(formatSignatureLine(n.unknown[1]!)).toBe(enochABCD);
  });

  it("refuses a bad signature by a known key (InvalidSignatureError)", () => {
    const bad = `${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    expect(codeOf(() => openNote(`${text}\n${bad}`, [peter]))).toBe("bad-signature");
    // ... even beside a good one: the forged line is never silently dropped.
    expect(codeOf(() => openNote(`${text}\n${peterSig}${bad}`, [peter]))).toBe("bad-signature");
  });

  it("refuses 101 signatures, known or not (too many signatures)", () => {
    const many = `${text}\n${peterSig.repeat(101)}`;
    expect(codeOf(() => openNote(many, [peter]))).toBe("field-too-long");
    expect(codeOf(() => openNote(many, []))).toBe("field-too-long");
    expect(openNote(`${text}\n${peterSig.repeat(100)}`, [peter]).verified).toHaveLength(1);
  });

  it.each([
    ["the text alone", text],
    ["the text and a blank line", `${text}\n`],
    ["a last line without newline", `${text}\n${peterSig.slice(0, -1)}`],
    ["a control character", `\x01${text}\n${peterSig}`],
    [
      "a name with a space",
      `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    ],
    ["a line that is not a signature", `${text}\n${peterSig}Unexpected line.\n`],
  ])("refuses a malformed note: %s", (_, note) => {
    expect(codeOf(() => openNote(note, [peter]))).not.toBe("no error");
    expect(codeOf(() => parseNote(note))).not.toBe("no error");
  });

  it("refuses a note that is not UTF-8 (\\xff) with bad-text", () => {
    const note = new Uint8Array([0xff, ...bytes(`${text}\n${peterSig}`)]);
    expect(codeOf(() => openNote(note, [peter]))).toBe("bad-text");
  });

  it("treats a matching ID under another name, or the name with another ID, as unknown", () => {
    const misnamed = peterSig.replace("PeterNeumann", "CarmenSandiego");
    const wrongHash = peterSig.replace("x08g", "xxxx");
    for (const sig of [misnamed, wrongHash]) {
      expect(codeOf(() => openNote(`${text}\n${sig}`, [peter]))).toBe("unknown-key");
      const n = openNote(`${text}\n${sig}${peterSig}`, [peter]);
      expect(n.unknown).toHaveLength(1);
      expect(n.verified).toHaveLength(1);
    }
  });

  it("refuses two verifiers with one (name, key ID) (the ambiguous-key case)", () => {
    const twin: NoteVerifier = { name: "EnochRoot", keyId: enoch.keyId, verify: () => true };
    expect(codeOf(() => openNote(`${text}\n${peterSig}`, [enoch, peter, twin]))).toBe("bad-value");
  });
});

describe("sum.golang.org tree notes (real signatures)", () => {
  const sumdb = ed25519NoteVerifier(sumdbKey);

  it("verifies a tree note from a Go lookup", () => {
    const n = openNote(sumdbNoteLookup, [sumdb]);
    expect(n.text).toBe(
      "go.sum database tree\n65209736\n5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n",
    );
    expect(hex(n.verified[0]!.keyId)).toBe("033de0ae");
  });

  it("refuses tessera's copy as published (no final newline) and verifies it with one", () => {
    expect(codeOf(() => openNote(sumdbNoteTessera, [sumdb]))).toBe("bad-encoding");
    expect(openNote(`${sumdbNoteTessera}\n`, [sumdb]).verified).toHaveLength(1);
  });

  it("checks the signature independently with node:crypto", () => {
    const { text: body, signatures } = parseNote(sumdbNoteLookup);
    const spki = Buffer.concat([
      Buffer.from("302a300506032b6570032100", "hex"),
      sumdbKey.publicKey,
    ]);
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    expect(nodeVerify(null, Buffer.from(body), key, signatures[0]!.signature)).toBe(true);
  });

  it("treats the C2SP checkpoint example's signature (sum.golang.org's key ID, another name) as unknown", () => {
    // c2sp.org/tlog-checkpoint example: its signature line carries key ID 033de0ae under the
    // name example.com/behind-the-sofa, which is not sum.golang.org's (name, ID) pair.
    const example =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
      "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
    expect(hex(parseNote(example).signatures[0]!.keyId)).toBe("033de0ae");
    expect(codeOf(() => openNote(example, [sumdb]))).toBe("unknown-key");
    // A key known by both that name and that ID must verify the signature: it does not.
    const sameNameAndId: NoteVerifier = {
      name: "example.com/behind-the-sofa",
      keyId: sumdb.keyId,
      verify: sumdb.verify,
    };
    expect(codeOf(() => openNote(example, [sameNameAndId]))).toBe("bad-signature");
  });
});

describe("C2SP signed-note example", () => {
  const poem =
    "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n";
  const note = `${poem}\n— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n`;

  it("splits at the last empty line: the text keeps its own empty line", () => {
    const n = parseNote(note);
    expect(n.text).toBe(poem);
    expect(n.signatures).toHaveLength(1);
    expect(n.signatures[0]!.name).toBe("quasimodo.example/salvatore");
    expect(n.signatures[0]!.signature).toHaveLength(64);
    expect(formatNote(n.text, n.signatures)).toBe(note);
  });

  it("is refused by a client that does not know the key", () => {
    expect(codeOf(() => openNote(note, [peter]))).toBe("unknown-key");
  });
});

// ---- Properties ----

/** Removes the ASCII control characters (below U+0020), which notes may not contain. */
const stripControls = (s: string) => [...s].filter((c) => c.charCodeAt(0) >= 0x20).join("");

const keyName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
  .filter((s) => isValidKeyName(s) && stripControls(s) === s);
const noteText = fc
  .array(fc.string({ unit: "grapheme", maxLength: 30 }).map(stripControls), {
    minLength: 1,
    maxLength: 6,
  })
  .map((lines) => `${lines.join("\n")}\n`);
const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe("signNote / openNote", () => {
  it("round-trips any valid text with 1–3 Ed25519 signers (property)", () => {
    fc.assert(
      fc.property(
        noteText,
        fc.uniqueArray(fc.tuple(keyName, seed), {
          minLength: 1,
          maxLength: 3,
          selector: ([n]) => n,
        }),
        (body, keys) => {
          const signers = keys.map(([name, s]) => ed25519NoteSigner(name, s));
          const verifiers = keys.map(([name, s]) =>
            ed25519NoteVerifier(
              parseVerifierKey(formatVerifierKey(name, generateEd25519KeyPair(s).publicKey)),
            ),
          );
          const note = signNote(body, signers);
          const opened = openNote(bytes(note), verifiers);
          expect(opened.text).toBe(body);
          expect(opened.verified.map((v) => v.name)).toEqual(keys.map(([n]) => n));
          const parsed = parseNote(note);
          expect(formatNote(parsed.text, parsed.signatures)).toBe(note);
          // Only the first key known: the others are reported unknown, not failures.
          const one = openNote(note, [verifiers[0]!]);
          expect(one.verified).toHaveLength(1);
          expect(one.unknown).toHaveLength(keys.length - 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each([
    ["no final newline", "hello"],
    ["empty", ""],
    ["a carriage return", "a\r\n"],
    ["a tab", "a\tb\n"],
    ["a NUL", "a\u0000\n"],
    ["a lone surrogate", "a\ud800\n"],
  ])("refuses to sign text with %s", (_, body) => {
    const signer = ed25519NoteSigner("a", peterSeed);
    expect(codeOf(() => signNote(body, [signer]))).toMatch(/bad-text|bad-encoding/);
  });

  it("allows DEL, C1 controls and a BOM (only ASCII controls below U+0020 are forbidden)", () => {
    const signer = ed25519NoteSigner("a", peterSeed);
    const v = ed25519NoteVerifier(
      parseVerifierKey(formatVerifierKey("a", generateEd25519KeyPair(peterSeed).publicKey)),
    );
    const body = "\ufeffa\u007f\u0085b\n\n";
    expect(openNote(signNote(body, [signer]), [v]).text).toBe(body);
  });

  it("refuses no signers, duplicate signers and signers with bad names or key IDs", () => {
    const s = ed25519NoteSigner("a", peterSeed);
    expect(codeOf(() => signNote(text, []))).toBe("bad-value");
    expect(codeOf(() => signNote(text, [s, s]))).toBe("bad-value");
    const badName: NoteSigner = { ...s, name: "a b" };
    expect(codeOf(() => signNote(text, [badName]))).toBe("bad-value");
    const badId: NoteSigner = { ...s, keyId: new Uint8Array(3) };
    expect(codeOf(() => signNote(text, [badId]))).toBe("bad-length");
  });

  it("accepts key names with U+FEFF (not a Unicode space) and refuses U+3000 and U+0085", () => {
    expect(isValidKeyName("a\ufeffb")).toBe(true);
    expect(isValidKeyName("a\u3000b")).toBe(false);
    expect(isValidKeyName("a\u0085b")).toBe(false);
    const s = ed25519NoteSigner("log\ufeff", peterSeed);
    const v = ed25519NoteVerifier(
      parseVerifierKey(formatVerifierKey("log\ufeff", generateEd25519KeyPair(peterSeed).publicKey)),
    );
    expect(openNote(signNote(text, [s]), [v]).verified[0]!.name).toBe("log\ufeff");
  });

  it("honours the size and count limits, and refuses limits below the spec's minimum of 16", () => {
    const note = `${text}\n${peterSig}`;
    expect(codeOf(() => openNote(note, [peter], { maxBytes: 100 }))).toBe("field-too-long");
    expect(codeOf(() => openNote(note, [peter], { maxSignatures: 15 }))).toBe("bad-value");
    expect(
      openNote(`${text}\n${peterSig.repeat(16)}`, [peter], { maxSignatures: 16 }).verified,
    ).toHaveLength(1);
    expect(
      codeOf(() => openNote(`${text}\n${peterSig.repeat(17)}`, [peter], { maxSignatures: 16 })),
    ).toBe("field-too-long");
  });

  it("computes Ed25519 key IDs as SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]", () => {
    const pub = generateEd25519KeyPair(peterSeed).publicKey;
    const want = createHash("sha256")
      .update("a/b\n")
      .update(Buffer.from([1]))
      .update(pub)
      .digest();
    expect(hex(ed25519NoteSigner("a/b", peterSeed).keyId)).toBe(
      want.subarray(0, 4).toString("hex"),
    );
  });

  it("refuses a VerifierKey whose key ID is not the Ed25519 one", () => {
    expect(codeOf(() => ed25519NoteVerifier({ ...peterKey, keyId: new Uint8Array(4) }))).toBe(
      "bad-value",
    );
    expect(codeOf(() => ed25519NoteVerifier({ ...peterKey, publicKey: new Uint8Array(31) }))).toBe(
      "bad-length",
    );
  });
});

describe("signature lines", () => {
  it("parses a tlog-witness response body (three cosignature lines)", () => {
    const body =
      "— witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==\n" +
      "— witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==\n" +
      "— witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==\n";
    const sigs = parseSignatureLines(body);
    expect(sigs.map((s) => s.name)).toEqual([
      "witness.example/w1",
      "witness.example/w1",
      "witness.example/w2",
    ]);
    expect(sigs.every((s) => s.signature.length === 72)).toBe(true);
    expect(sigs.map(formatSignatureLine).join("")).toBe(body);
  });

  it.each([
    ["a hyphen for the em dash", "- a AAAAAAA=\n"],
    ["no space after the dash", "—a AAAAAAA=\n"],
    ["no signature", "— a\n"],
    ["an empty signature", "— a \n"],
    ["two spaces", "— a  AAAAAAA=\n"],
    ["a 4-byte signature (key ID only)", "— a AAAAAA==\n"],
    ["unpadded base64", "— a AAAAAAA\n"],
    ["URL-safe base64", "— a AAAAAA-_\n"],
    ["a '+' in the name", "— a+b AAAAAAA=\n"],
    ["a trailing space", "— a AAAAAAA= \n"],
    ["no final newline", "— a AAAAAAA="],
    ["an empty line", "— a AAAAAAA=\n\n"],
    ["nothing", ""],
  ])("refuses %s", (_, body) => {
    expect(codeOf(() => parseSignatureLines(body))).toBe("bad-encoding");
  });
});

// ---- Fuzzing: nothing but ProtocolError ----

function onlyProtocolErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
  }
}

const valid = `${text}\n${peterSig}${enochSig}`;
const mutations = fc.oneof(
  fc
    .tuple(fc.nat(valid.length), fc.nat(8), fc.string({ maxLength: 6 }))
    .map(([at, cut, ins]) => valid.slice(0, at) + ins + valid.slice(at + cut)),
  fc
    .tuple(fc.nat(valid.length - 1), fc.constantFrom("\n", " ", "—", "+", "=", "\u0000", "A", "\r"))
    .map(([at, ch]) => valid.slice(0, at) + ch + valid.slice(at + 1)),
);

describe("note parsers under fuzzing", () => {
  it("parseNote/openNote/parseSignatureLines throw only ProtocolError on random text and bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          fc
            .array(fc.constantFrom("— ", "a ", "\n", "\n\n", "AAAA", "=", "x08go/", text), {
              maxLength: 20,
            })
            .map((a) => a.join("")),
        ),
        (input) => {
          onlyProtocolErrors(() => parseNote(input));
          onlyProtocolErrors(() => openNote(input, [peter, enoch]));
          onlyProtocolErrors(() => parseSignatureLines(input));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("mutations of a valid note either open to a verified note or throw ProtocolError", () => {
    fc.assert(
      fc.property(mutations, (note) => {
        try {
          const n = openNote(note, [peter, enoch]);
          expect(n.verified.length).toBeGreaterThan(0);
          expect(n.text.endsWith("\n")).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
