import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, type ProtocolErrorCode } from "../../errors.ts";
import { generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey, type VerifierKey } from "../../keys/verifier-key.ts";
import {
  cosignatureSigner,
  cosignCheckpoint,
  formatCosignatureVerifierKey,
  parseCosignatureVerifierKey,
} from "../note/cosignature.ts";
import { ed25519NoteSigner, ed25519NoteVerifier } from "../note/note.ts";
import { formatCheckpoint } from "./checkpoint.ts";
import {
  type CheckpointPolicy,
  openCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from "./signed-checkpoint.ts";

function errorOf(f: () => unknown): ProtocolError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  return undefined;
}
const codeOf = (f: () => unknown): ProtocolErrorCode | "no error" => errorOf(f)?.code ?? "no error";

const ORIGIN = "lintel.example/log";
const logSeed = new Uint8Array(32).fill(1);
const logSigner = ed25519NoteSigner(ORIGIN, logSeed);
const logKey = parseVerifierKey(
  formatVerifierKey(ORIGIN, generateEd25519KeyPair(logSeed).publicKey),
);

const witnesses = [1, 2, 3].map((i) => {
  const seed = new Uint8Array(32).fill(0x40 + i);
  const name = `witness.example/w${i}`;
  const key = parseCosignatureVerifierKey(
    formatCosignatureVerifierKey(name, generateEd25519KeyPair(seed).publicKey),
  );
  return { signing: { name, secretKey: seed }, key };
});
const witnessKeys: VerifierKey[] = witnesses.map((w) => w.key);

const checkpoint = { origin: ORIGIN, size: 1234n, rootHash: new Uint8Array(32).fill(9) };
const body = formatCheckpoint(checkpoint);
const logNote = signCheckpoint(checkpoint, [logSigner]);

function cosigned(note: string, ...who: [number, bigint][]): string {
  return note + who.map(([i, t]) => cosignCheckpoint(body, witnesses[i]!.signing, t)).join("");
}

const policy = (quorum: number, extra: Partial<CheckpointPolicy> = {}): CheckpointPolicy => ({
  logKey,
  witnesses: witnessKeys,
  quorum,
  ...extra,
});

describe("verifyCheckpoint: the log signature", () => {
  it("verifies a log-signed checkpoint with quorum 0", () => {
    const v = verifyCheckpoint(logNote, policy(0));
    expect(v.checkpoint.size).toBe(1234n);
    expect(v.text).toBe(body);
    expect(v.cosigners).toEqual([]);
    expect(v.timestamps).toEqual([]);
  });

  it("requires the log's own signature even when witnesses cosigned", () => {
    const onlyWitnesses = `${body}\n${cosignCheckpoint(body, witnesses[0]!.signing, 1n)}`;
    const e = errorOf(() => verifyCheckpoint(onlyWitnesses, policy(1)));
    expect(e?.code).toBe("unknown-key");
    expect(e?.message).toContain("not signed by the log key lintel.example/log");
    // Signed by another log key only.
    const other = signCheckpoint(checkpoint, [
      ed25519NoteSigner(ORIGIN, new Uint8Array(32).fill(5)),
    ]);
    expect(codeOf(() => verifyCheckpoint(other, policy(0)))).toBe("unknown-key");
  });

  it("refuses a bad log signature, and a bad cosignature by a trusted witness", () => {
    const sigStart = logNote.indexOf("— ") + ORIGIN.length + 3;
    const flipped =
      logNote.slice(0, sigStart + 10) +
      (logNote[sigStart + 10] === "A" ? "B" : "A") +
      logNote.slice(sigStart + 11);
    expect(codeOf(() => verifyCheckpoint(flipped, policy(0)))).toBe("bad-signature");
    const otherBody = formatCheckpoint({ ...checkpoint, size: 1235n });
    const wrong = logNote + cosignCheckpoint(otherBody, witnesses[0]!.signing, 1n);
    expect(codeOf(() => verifyCheckpoint(wrong, policy(0)))).toBe("bad-signature");
  });

  it("pins the origin when asked", () => {
    expect(verifyCheckpoint(logNote, policy(0, { origin: ORIGIN })).checkpoint.origin).toBe(ORIGIN);
    const e = errorOf(() => verifyCheckpoint(logNote, policy(0, { origin: "other.example/log" })));
    expect(e?.code).toBe("bad-value");
    expect(e?.message).toContain('not "other.example/log"');
  });

  it("verifies a real sum.golang.org tree note (log key only)", () => {
    const sumdb = parseVerifierKey(
      "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
    );
    const note =
      "go.sum database tree\n65209736\n5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n\n" +
      "— sum.golang.org Az3grnbssgK7ubgFX36gVETtNv0U23qxyAhAMai2QUfeGa3nB/akvkMdlUErfcZz7l/R3cVtYspg3dxXABkGZZKdsQ8=\n";
    const v = verifyCheckpoint(note, { logKey: sumdb, witnesses: [], quorum: 0 });
    expect(v.checkpoint.origin).toBe("go.sum database tree");
    expect(v.checkpoint.size).toBe(65209736n);
  });
});

describe("verifyCheckpoint: witness quorum", () => {
  it("accepts k of n: two of three witnesses with quorum 2, in policy order", () => {
    const note = cosigned(logNote, [2, 300n], [0, 100n]);
    const v = verifyCheckpoint(note, policy(2));
    expect(v.cosigners.map((w) => w.name)).toEqual(["witness.example/w1", "witness.example/w3"]);
    expect(v.timestamps).toEqual([100n, 300n]);
  });

  it("refuses fewer than the quorum with a readable message", () => {
    const note = cosigned(logNote, [0, 100n]);
    const e = errorOf(() => verifyCheckpoint(note, policy(2)));
    expect(e?.code).toBe("no-quorum");
    expect(e?.message).toBe(
      "only 1 of the 2 required witness cosignatures are present (3 witnesses are trusted); cosigned by: witness.example/w1; missing: witness.example/w2, witness.example/w3",
    );
    expect(errorOf(() => verifyCheckpoint(logNote, policy(1)))?.message).toContain(
      "no trusted witness cosigned",
    );
  });

  it("counts duplicate cosignatures from one witness once, reporting the latest time", () => {
    const note = cosigned(logNote, [0, 100n], [0, 200n], [0, 100n]);
    expect(codeOf(() => verifyCheckpoint(note, policy(2)))).toBe("no-quorum");
    const v = verifyCheckpoint(note, policy(1));
    expect(v.cosigners).toHaveLength(1);
    expect(v.timestamps).toEqual([200n]);
  });

  it("ignores cosignatures by unknown witnesses", () => {
    const stranger = { name: "stranger.example", secretKey: new Uint8Array(32).fill(0x77) };
    // A stranger claiming a trusted witness's name: its key ID differs, so it is unknown too.
    const impostor = { name: "witness.example/w2", secretKey: new Uint8Array(32).fill(0x78) };
    const note =
      logNote + cosignCheckpoint(body, stranger, 1n) + cosignCheckpoint(body, impostor, 1n);
    const e = errorOf(() => verifyCheckpoint(note, policy(1)));
    expect(e?.code).toBe("no-quorum");
    expect(verifyCheckpoint(note, policy(0)).cosigners).toEqual([]);
  });

  it("does not count the log's own Ed25519 signature as a cosignature, even by a witness key", () => {
    const w = witnesses[0]!;
    const plain = signCheckpoint(checkpoint, [
      logSigner,
      ed25519NoteSigner(w.signing.name, w.signing.secretKey),
    ]);
    expect(codeOf(() => verifyCheckpoint(plain, policy(1)))).toBe("no-quorum");
  });

  it("does not count cosignatures dated too far in the future when `now` is given", () => {
    const note = cosigned(logNote, [0, 1_000n], [1, 5_000n]);
    expect(verifyCheckpoint(note, policy(2)).cosigners).toHaveLength(2);
    expect(verifyCheckpoint(note, policy(2, { now: 4_800n })).cosigners).toHaveLength(2);
    const e = errorOf(() => verifyCheckpoint(note, policy(2, { now: 4_000n })));
    expect(e?.code).toBe("no-quorum");
    expect(e?.message).toContain(
      "dated in the future: witness.example/w2 (dated 5000, after 4300)",
    );
    expect(
      verifyCheckpoint(note, policy(1, { now: 4_000n, maxClockSkewSeconds: 0n })).cosigners,
    ).toHaveLength(1);
  });

  it("accepts witness keys given as type-0x01 verifier keys (name and key identify a witness)", () => {
    const asEd25519 = witnesses.map((w) =>
      parseVerifierKey(formatVerifierKey(w.key.name, w.key.publicKey)),
    );
    const note = cosigned(logNote, [0, 1n], [1, 2n]);
    expect(verifyCheckpoint(note, { logKey, witnesses: asEd25519, quorum: 2 }).cosigners).toEqual([
      asEd25519[0],
      asEd25519[1],
    ]);
  });

  it("checks every k of n (property)", () => {
    fc.assert(
      fc.property(
        fc.subarray([0, 1, 2]),
        fc.array(fc.constantFrom(0, 1, 2), { maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (signers, repeats, quorum) => {
          const who = [...signers, ...repeats.filter((r) => signers.includes(r))].map(
            (i, n) => [i, BigInt(n)] as [number, bigint],
          );
          const note = cosigned(logNote, ...who);
          const distinct = new Set(signers).size;
          if (distinct >= quorum) {
            expect(verifyCheckpoint(note, policy(quorum)).cosigners).toHaveLength(distinct);
          } else {
            expect(codeOf(() => verifyCheckpoint(note, policy(quorum)))).toBe("no-quorum");
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("verifyCheckpoint: policy errors", () => {
  it.each([
    ["a quorum above the witness count", 4],
    ["a negative quorum", -1],
    ["a fractional quorum", 1.5],
    ["NaN", Number.NaN],
  ])("refuses %s", (_, quorum) => {
    expect(codeOf(() => verifyCheckpoint(logNote, policy(quorum)))).toBe("bad-value");
  });

  it("refuses a witness listed twice, or two witnesses sharing one public key", () => {
    const twice = [witnessKeys[0]!, witnessKeys[1]!, witnessKeys[0]!];
    expect(codeOf(() => verifyCheckpoint(logNote, { logKey, witnesses: twice, quorum: 0 }))).toBe(
      "bad-value",
    );
    // cosignature/v1 does not sign the witness name: w1's cosignature, relabelled, would count
    // for a second name with the same key.
    const alias = parseCosignatureVerifierKey(
      formatCosignatureVerifierKey("alias.example", witnessKeys[0]!.publicKey),
    );
    const e = errorOf(() =>
      verifyCheckpoint(logNote, { logKey, witnesses: [witnessKeys[0]!, alias], quorum: 0 }),
    );
    expect(e?.code).toBe("bad-value");
    expect(e?.message).toContain("share one public key");
  });

  it("refuses a log key whose key ID is not its Ed25519 one", () => {
    const bad = { ...logKey, keyId: new Uint8Array(4) };
    expect(codeOf(() => verifyCheckpoint(logNote, { ...policy(0), logKey: bad }))).toBe(
      "bad-value",
    );
  });
});

describe("signCheckpoint / openCheckpoint", () => {
  it("round-trips 64-bit sizes up to 2^64 − 1 with cosignatures (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
        (size, rootHash, time) => {
          const cp = { origin: ORIGIN, size, rootHash };
          const note = signCheckpoint(cp, [
            logSigner,
            cosignatureSigner(witnesses[1]!.signing, time),
          ]);
          const v = verifyCheckpoint(note, policy(1));
          expect(v.checkpoint).toEqual({ ...cp, extensions: [] });
          expect(v.timestamps).toEqual([time]);
          const opened = openCheckpoint(note, [ed25519NoteVerifier(logKey)]);
          expect(opened.checkpoint.size).toBe(size);
          expect(opened.note.unknown).toHaveLength(1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses a signed note whose text is not a checkpoint", () => {
    const notCheckpoint = `hello\n\n— ${ORIGIN} ${Buffer.from([...logSigner.keyId, ...logSigner.sign(new Uint8Array(Buffer.from("hello\n")))]).toString("base64")}\n`;
    expect(codeOf(() => openCheckpoint(notCheckpoint, [ed25519NoteVerifier(logKey)]))).toBe(
      "bad-encoding",
    );
  });
});

describe("verifyCheckpoint under fuzzing", () => {
  const full = cosigned(logNote, [0, 10n], [1, 20n]);

  it("throws only ProtocolError on random input and on mutations of a cosigned checkpoint", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          fc
            .tuple(fc.nat(full.length), fc.nat(6), fc.string({ maxLength: 5 }))
            .map(([at, cut, s]) => full.slice(0, at) + s + full.slice(at + cut)),
        ),
        (input) => {
          try {
            const v = verifyCheckpoint(input, policy(2));
            expect(v.cosigners).toHaveLength(2);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
