/**
 * The auditor verifies a page of Lintel entries' signatures at once (WebCrypto) before replaying
 * the policy: it must refuse exactly what the entry-by-entry synchronous replay refuses, with the
 * same reason, and accept exactly what it accepts.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { ed25519Verify, generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { ed25519VerifyExplained } from "../../keys/ed25519-async.ts";
import { contextMessage } from "../../keys/signing-context.ts";
import { VerifiedSignatures } from "../../keys/verified-signatures.ts";
import { formatVerifierKey, parseVerifierKey } from "../../keys/verifier-key.ts";
import { TEST_LIMITS } from "../../testing/deployment-limits.ts";
import type { EntryBody } from "../entries/bodies.ts";
import {
  decodeEntry,
  encodeEntry,
  entrySignedPart,
  signEntry,
  type UnsignedEntry,
} from "../entries/entry.ts";
import { entrySignatureItems, LogPolicy } from "../entries/policy.ts";
import { auditLog } from "./audit.ts";
import { memoryLogReader } from "./memory-log.ts";
import { sourceFromReader } from "./source.ts";

const origin = "lintel.example/demo/log";
const registry = generateEd25519KeyPair(new Uint8Array(32).fill(7));
const log = generateEd25519KeyPair(new Uint8Array(32).fill(8));
const logKey = parseVerifierKey(formatVerifierKey(origin, log.publicKey));
const T0 = 1_763_700_000;

const deployment: EntryBody = {
  kind: "deployment",
  registryKey: registry.publicKey,
  logKey: log.publicKey,
  ...TEST_LIMITS,
};

const enrolment = (i: number): UnsignedEntry => ({
  deployment: "demo",
  issuedAt: T0,
  body: {
    kind: "officer-enrolment",
    publicKey: generateEd25519KeyPair(
      Uint8Array.from({ length: 32 }, (_, j) => (j === 0 ? i & 255 : j === 1 ? i >> 8 : 0x5a)),
    ).publicKey,
    label: `O${i}`,
  },
});

const built = new Map<number, Uint8Array[]>();
/** Entry 0 and `n` registry-signed enrolments (spans several of the auditor's pages); a fresh array. */
function lintelLog(n: number): Uint8Array[] {
  if (!built.has(n)) built.set(n, signedLog(n));
  return [...built.get(n)!];
}

function signedLog(n: number): Uint8Array[] {
  return [
    encodeEntry(
      signEntry({ deployment: "demo", issuedAt: T0, body: deployment }, [registry.secretKey]),
    ),
    ...Array.from({ length: n }, (_, i) =>
      encodeEntry(signEntry(enrolment(i), [registry.secretKey])),
    ),
  ];
}

const audit = (entries: Uint8Array[]) =>
  auditLog({
    source: sourceFromReader("memory", memoryLogReader(entries, origin, log.secretKey)),
    logKey,
    entries: "lintel",
    registryKey: registry.publicKey,
  });

/** What the entry-by-entry synchronous replay says (the audit's reason, as it words it). */
function syncVerdict(entries: Uint8Array[]): string | undefined {
  const policy = new LogPolicy(registry.publicKey);
  for (const [i, e] of entries.entries()) {
    try {
      policy.apply(e);
    } catch (err) {
      return `entry ${i} breaks the Lintel log policy: ${(err as Error).message}`;
    }
  }
  return undefined;
}

const reasonOf = (outcome: Awaited<ReturnType<typeof auditLog>>) =>
  outcome.ok ? undefined : outcome.reason;

describe("the auditor's batched signature checks", () => {
  it("accepts a valid log of several pages", async () => {
    const entries = lintelLog(700);
    const outcome = await audit(entries);
    expect(reasonOf(outcome)).toBeUndefined();
    expect(outcome.ok && outcome.lintel?.policy.enrolledOfficers).toBe(700);
  });

  it.each([
    ["one bit of R", 300, 0],
    ["one bit of S", 300, 40],
    ["the first entry of a page", 256, 5],
    ["the last entry", 700, 63],
  ])(
    "a tampered signature (%s) in the middle of a batch fails the audit as the sync replay does",
    async (_, at, byte) => {
      const entries = lintelLog(700);
      const tampered = entries[at]!.slice();
      tampered[tampered.length - 64 + byte]! ^= 1;
      entries[at] = tampered;
      const expected = syncVerdict(entries);
      expect(expected).toBe(
        `entry ${at} breaks the Lintel log policy: entry ${at}: a signature does not verify`,
      );
      expect(reasonOf(await audit(entries))).toBe(expected);
    },
  );

  it("an entry that does not decode, in the middle of a page, fails the audit as the sync replay does", async () => {
    const entries = lintelLog(300);
    entries[200] = entries[200]!.subarray(0, entries[200]!.length - 1);
    expect(syncVerdict(entries)).toMatch(/^entry 200 breaks the Lintel log policy: /);
    expect(reasonOf(await audit(entries))).toBe(syncVerdict(entries));
  });

  it("S replaced by S + L (a second encoding of the same scalar) is refused like the sync replay refuses it", async () => {
    const entries = lintelLog(300);
    const tampered = entries[150]!.slice();
    const sOffset = tampered.length - 32;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(tampered[sOffset + i]!);
    s += ed25519.Point.Fn.ORDER;
    for (let i = 0; i < 32; i++) tampered[sOffset + i] = Number((s >> BigInt(8 * i)) & 255n);
    entries[150] = tampered;
    expect(reasonOf(await audit(entries))).toBe(syncVerdict(entries));
    expect(syncVerdict(entries)).toMatch(/entry 150: a signature does not verify/);
  });

  it("a signature valid only under the cofactored equation (R with a torsion component) is accepted, as the sync replay accepts it", async () => {
    // R = rB + T, T of order 8; S = r + k·a. [S]B − [k]A = rB ≠ R, so a cofactorless verifier
    // (OpenSSL behind WebCrypto) refuses it; [8]([S]B − [k]A − R) = 0, so noble accepts it.
    const P = ed25519.Point;
    const L = P.Fn.ORDER;
    const T = P.fromBytes(
      Uint8Array.from(
        Buffer.from("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "hex"),
      ),
    );
    const { scalar: a } = ed25519.utils.getExtendedPublicKey(registry.secretKey);
    const le = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
    const toLe = (n: bigint) =>
      Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));
    const unsigned = enrolment(9999);
    const message = contextMessage("log entry", entrySignedPart(unsigned));
    const r = 123456789n;
    const R = P.BASE.multiply(r).add(T).toBytes();
    const k = le(sha512(Uint8Array.from([...R, ...registry.publicKey, ...message]))) % L;
    const signature = Uint8Array.from([...R, ...toLe((r + k * a) % L)]);
    const verdict = await ed25519VerifyExplained(registry.publicKey, message, signature);
    expect(verdict).toEqual({ valid: true, by: "pure-js" });

    const entries = lintelLog(300);
    entries.splice(
      200,
      0,
      encodeEntry({ ...unsigned, signatures: [{ publicKey: registry.publicKey, signature }] }),
    );
    expect(syncVerdict(entries)).toBeUndefined();
    expect(reasonOf(await audit(entries))).toBeUndefined();
  });
});

describe("VerifiedSignatures", () => {
  const entries = lintelLog(3);
  const items = entries.flatMap((e) => entrySignatureItems(decodeEntry(e)));

  it("knows exactly the triples verified, nothing near them", async () => {
    const known = await VerifiedSignatures.verify(items);
    const { publicKey, message, signature } = items[1]!;
    expect(known.has(publicKey, message, signature)).toBe(true);
    const otherMessage = message.slice();
    otherMessage[message.length - 1]! ^= 1;
    expect(known.has(publicKey, otherMessage, signature)).toBe(false);
    expect(
      known.has(
        items[2]!.publicKey.map((x) => x ^ 1),
        message,
        signature,
      ),
    ).toBe(false);
    // The same first bytes of R (the same lookup bucket), one bit of S changed.
    const otherS = signature.slice();
    otherS[63]! ^= 1;
    expect(known.has(publicKey, message, otherS)).toBe(false);
    // Found only through the pure-JS check, which refuses it.
    expect(known.check(publicKey, otherMessage, signature)).toBe(false);
  });

  it("keeps no invalid signature, and checks anything it did not see itself", async () => {
    const bad = {
      ...items[1]!,
      signature: items[1]!.signature.map((x, i) => (i === 3 ? x ^ 1 : x)),
    };
    const known = await VerifiedSignatures.verify([bad]);
    expect(known.has(bad.publicKey, bad.message, bad.signature)).toBe(false);
    expect(known.check(bad.publicKey, bad.message, bad.signature)).toBe(false);
    const { publicKey, message, signature } = items[2]!;
    expect(known.check(publicKey, message, signature)).toBe(
      ed25519Verify(publicKey, message, signature),
    );
    expect(known.check(publicKey, message, signature)).toBe(true);
  });

  it("is not fooled by the caller changing its arrays after the check", async () => {
    const item = { ...items[1]!, message: items[1]!.message.slice() };
    const known = await VerifiedSignatures.verify([item]);
    item.message[0]! ^= 1;
    expect(known.has(item.publicKey, item.message, item.signature)).toBe(false);
  });
});
