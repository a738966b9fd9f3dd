/**
 * Builds Lintel's test vectors from fixed seeds (PROTOCOL.md §8). Everything here is
 * deterministic: Ed25519 and BLS signatures are, key generation takes explicit seeds, and the
 * one random value of encryption (σ) is given. `npm run vectors` writes the result to
 * protocol/vectors/lintel-v1.json; the tests regenerate it and compare byte for byte, and
 * check.ts verifies the file in Node, in Chromium and in workerd.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { curves } from "../src/tibe/backend.ts";
import { kioskSuffix } from "../src/codes/kiosk-code.ts";
import { formatManualCode, manualCodeFor } from "../src/codes/manual-code.ts";
import { signVenueCode, type VenueCode, venueCodeUrl } from "../src/codes/venue-code.ts";
import { encodeBase32 } from "../src/encoding/base32.ts";
import { concatBytes, utf8 } from "../src/encoding/bytes.ts";
import { generateEd25519KeyPair } from "../src/keys/ed25519.ts";
import { ed25519KeyId, formatVerifierKey } from "../src/keys/verifier-key.ts";
import type { Aead } from "../src/record/aead.ts";
import { type CheckInRecord, encodeCheckInRecord } from "../src/record/checkin-record.ts";
import { deletionTokenHash } from "../src/record/deletion-token.ts";
import { hashCiphertexts, signReceipt } from "../src/statements/receipt.ts";
import { signRequest } from "../src/statements/signed-request.ts";
import { generateEpochKey, signEpochStatement } from "../src/tibe/epoch-key.ts";
import { encryptToIdentity } from "../src/tibe/ibe.ts";
import { identityBytes, identityPoint, type SlotIdentity } from "../src/tibe/identity.ts";
import { PreparedMasterKey } from "../src/tibe/master-key.ts";
import { combinePartialKeys, extractPartialKey } from "../src/tibe/partial-key.ts";
import { generateTrusteeKey } from "../src/tibe/trustee-key.ts";
import { keyCommitment, partialKeysHash } from "../src/exposure/release.ts";
import { releaseInfo } from "../src/exposure/sealed-release.ts";
import { hpkeKeyPair, hpkeSeal } from "../src/hpke/hpke.ts";
import { queryScope } from "../src/exposure/scope.ts";
import { toHex } from "./hex.ts";
import { logEntryVectors } from "./log-entries.ts";

/**
 * seed(label, n) = B_0 ‖ B_1 ‖ … truncated to n bytes, B_i = SHA-256("lintel test vector " ‖ label ‖
 * " " ‖ decimal(i)): one SHA-256 block per 32 bytes (PROTOCOL.md §8.2).
 */
export function seed(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 32) out.set(sha256(utf8(`lintel test vector ${label} ${i / 32}`)).subarray(0, Math.min(32, n - i)), i);
  return out;
}

export const NOW = "2026-11-21T10:20:00Z";

export interface RejectVector {
  readonly kind: string;
  readonly description: string;
  readonly input: string;
  readonly error: string;
}

export function generateVectors(aead: Aead) {
  const registry = generateEd25519KeyPair(seed("registry", 32));
  const registryName = "demo/registry";
  const log = generateEd25519KeyPair(seed("log", 32));
  const server = generateEd25519KeyPair(seed("server", 32));
  const officer = generateEd25519KeyPair(seed("officer-a", 32));
  const now = new Date(NOW);
  const today = Math.floor(now.getTime() / 86_400_000);

  const code: VenueCode = {
    deployment: "demo",
    venueId: "hbr-lib",
    entranceId: "hbr-main",
    codeVersion: 3,
    venueName: { zh: "海港公共图书馆", en: "Harbour Public Library" },
    entranceName: { zh: "正门", en: "Main entrance" },
    category: "library",
    defaultStayMinutes: 90,
    contactFields: { name: true, phone: true, idNumber: false },
    validFromDay: today - 10,
    validUntilDay: today + 355,
    registryKeyId: ed25519KeyId(registryName, registry.publicKey),
  };
  const signed = signVenueCode(code, registry.secretKey);
  const kioskSecret = seed("kiosk", 32);

  const trustees = ["trustee-a", "trustee-b"].map((name) => ({ name, seed: seed(name, 48), key: generateTrusteeKey(seed(name, 48)) }));
  const epochSeed = seed("epoch", 48);
  const epoch = generateEpochKey(today, epochSeed);
  const shares = [...trustees.map((t) => t.key), epoch];
  const mpk = PreparedMasterKey.fromShares(shares);
  const slot = Math.floor(now.getTime() / 3_600_000) * 3600;
  const identities: SlotIdentity[] = [
    { deployment: "demo", entranceId: "hbr-main", slotStart: slot, slotSeconds: 3600 },
    { deployment: "demo", entranceId: "hbr-main", slotStart: slot + 3600, slotSeconds: 3600 },
    { deployment: "demo", entranceId: "hbr-east", slotStart: slot, slotSeconds: 3600 },
  ];
  const idBytes = identities.map(identityBytes);

  const record: CheckInRecord = {
    recordedBy: "self",
    companions: 1,
    arrival: slot + 1200,
    expectedDeparture: slot + 1200 + 5400,
    contactKind: "contact",
    contact: { name: "王小明", phone: "+86 138 0013 8000", idNumber: "" },
  };
  const recordBytes = encodeCheckInRecord(record);
  // A distinct σ per ciphertext, as real encryption draws: one σ must never key two messages.
  const sigmas = [seed("sigma 0", 32), seed("sigma 1", 32)];
  const ciphertexts = idBytes
    .slice(0, 2)
    .map((id, i) => encryptToIdentity(aead, mpk, id, recordBytes, { sigma: sigmas[i]! }));

  const deletionSecret = seed("deletion", 32);
  const receipt = {
    deployment: "demo",
    entranceId: "hbr-main",
    firstSlot: slot,
    slotCount: 2,
    ciphertextsHash: hashCiphertexts(ciphertexts),
    storedAt: Math.floor(now.getTime() / 1000),
  };
  const body = utf8('{"caseReference":"C-2026-0042"}');
  const statement = signRequest(
    {
      deployment: "demo",
      keyId: ed25519KeyId("demo/officer-a", officer.publicKey),
      method: "POST",
      path: "/api/queries",
      body,
      now,
      nonce: seed("nonce", 16),
    },
    officer.secretKey,
  );

  const flip = (b: Uint8Array, i: number) => {
    const c = b.slice();
    c[i]! ^= 1;
    return c;
  };
  const reject: RejectVector[] = [
    { kind: "venue-code", description: "flipped signature byte", input: toHex(flip(signed, signed.length - 1)), error: "bad-signature" },
    { kind: "venue-code", description: "flipped venue-name byte", input: toHex(flip(signed, 30)), error: "bad-signature" },
    { kind: "venue-code", description: "unknown version", input: toHex(concatBytes(new Uint8Array([0x43, 3]), signed.subarray(2))), error: "unknown-version" },
    { kind: "venue-code", description: "withdrawn version 1 (one name per field)", input: toHex(concatBytes(new Uint8Array([0x43, 1]), signed.subarray(2))), error: "unknown-version" },
    { kind: "venue-code", description: "trailing byte", input: toHex(concatBytes(signed, new Uint8Array([0]))), error: "trailing-bytes" },
    { kind: "venue-code", description: "truncated signature", input: toHex(signed.subarray(0, signed.length - 1)), error: "truncated" },
    { kind: "base32", description: "padding", input: toHex(utf8(`${encodeBase32(signed.subarray(0, 4))}====`)), error: "bad-encoding" },
    { kind: "manual-code", description: "one character changed", input: toHex(utf8(mutateManual(manualCodeFor(signed)))), error: "bad-check-character" },
    { kind: "kiosk", description: "two steps old", input: toHex(kioskSuffix(kioskSecret, signed, now.getTime() - 60_000)), error: "expired" },
    { kind: "kiosk", description: "MAC from another secret", input: toHex(kioskSuffix(seed("other kiosk", 32), signed, now.getTime())), error: "bad-mac" },
    { kind: "partial-key", description: "trustee A's key for the next slot, offered for this one", input: toHex(extractPartialKey(trustees[0]!.key.secretShare, idBytes[1]!)), error: "bad-signature" },
    { kind: "ciphertext", description: "flipped byte in U", input: toHex(flip(ciphertexts[0]!, 10)), error: "decryption-failed" },
    { kind: "ciphertext", description: "flipped byte in V", input: toHex(flip(ciphertexts[0]!, 60)), error: "decryption-failed" },
    { kind: "ciphertext", description: "flipped byte in W", input: toHex(flip(ciphertexts[0]!, 200)), error: "decryption-failed" },
    { kind: "ciphertext", description: "another slot's ciphertext", input: toHex(ciphertexts[1]!), error: "decryption-failed" },
    { kind: "g1-point", description: "on the curve, outside the prime-order subgroup", input: "a0" + "00".repeat(46) + "05", error: "bad-point" },
    // x = 1 is the smallest x ≥ 1 for which x³ + 4 = 5 has no square root mod p.
    { kind: "g1-point", description: "x not on the curve", input: "80" + "00".repeat(46) + "01", error: "bad-point" },
    { kind: "g1-point", description: "infinity", input: "c0" + "00".repeat(47), error: "bad-point" },
    { kind: "g2-point", description: "G2 point on the curve, outside the prime-order subgroup", input: toHex(nonSubgroupG2()), error: "bad-point" },
    { kind: "g2-point", description: "G2 point at infinity", input: "c0" + "00".repeat(95), error: "bad-point" },
    { kind: "g2-point", description: "G2 x coordinate not below p", input: "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab" + "00".repeat(47) + "01", error: "bad-point" },
    { kind: "trustee-key", description: "proof of possession of another key", input: toHex(concatBytes(trustees[0]!.key.publicKey, trustees[1]!.key.proofOfPossession)), error: "bad-proof-of-possession" },
  ];

  return {
    format: "lintel-test-vectors/1",
    description:
      "Lintel protocol v1 test vectors. Byte strings are lower-case hex. Seeds: seed(label, n) = SHA-256(\"lintel test vector \" ‖ label ‖ \" \" ‖ i) blocks; see PROTOCOL.md §8.",
    now: NOW,
    keys: {
      registry: { seed: toHex(seed("registry", 32)), publicKey: toHex(registry.publicKey), name: registryName, verifierKey: formatVerifierKey(registryName, registry.publicKey) },
      log: { seed: toHex(seed("log", 32)), publicKey: toHex(log.publicKey) },
      server: { seed: toHex(seed("server", 32)), publicKey: toHex(server.publicKey) },
      officer: { seed: toHex(seed("officer-a", 32)), publicKey: toHex(officer.publicKey), name: "demo/officer-a" },
    },
    venueCode: {
      fields: { ...code, registryKeyId: toHex(code.registryKeyId) },
      signed: toHex(signed),
      url: venueCodeUrl("https://checkin.example.org", signed),
      manualCode: formatManualCode(manualCodeFor(signed)),
      kiosk: { secret: toHex(kioskSecret), nowMs: now.getTime(), suffix: toHex(kioskSuffix(kioskSecret, signed, now.getTime())) },
    },
    trustees: trustees.map((t) => ({
      name: t.name,
      seed: toHex(t.seed),
      secretShare: toHex(t.key.secretShare),
      publicKey: toHex(t.key.publicKey),
      proofOfPossession: toHex(t.key.proofOfPossession),
    })),
    epoch: {
      day: today,
      seed: toHex(epochSeed),
      secretShare: toHex(epoch.secretShare),
      publicKey: toHex(epoch.publicKey),
      proofOfPossession: toHex(epoch.proofOfPossession),
      statement: toHex(signEpochStatement({ deployment: "demo", day: today, publicKey: epoch.publicKey, proofOfPossession: epoch.proofOfPossession }, log.secretKey)),
    },
    masterPublicKey: toHex(mpk.bytes),
    identities: identities.map((identity, i) => {
      const partials = shares.map((s) => extractPartialKey(s.secretShare, idBytes[i]!));
      return {
        ...identity,
        idBytes: toHex(idBytes[i]!),
        point: toHex(curves().g2ToBytes(identityPoint(idBytes[i]!))),
        partialKeys: partials.map(toHex),
        identityKey: toHex(combinePartialKeys(mpk, idBytes[i]!, partials)),
      };
    }),
    record: { fields: record, bytes: toHex(recordBytes) },
    ciphertexts: ciphertexts.map((ct, i) => ({ identity: i, sigma: toHex(sigmas[i]!), ciphertext: toHex(ct) })),
    deletion: { secret: toHex(deletionSecret), hash: toHex(deletionTokenHash(deletionSecret)) },
    receipt: { fields: { ...receipt, ciphertextsHash: toHex(receipt.ciphertextsHash) }, signed: toHex(signReceipt(receipt, server.secretKey)) },
    statement: { body: toHex(body), signed: toHex(statement) },
    exposure: exposureVectors(slot, trustees[0]!.key.secretShare, epoch.secretShare),
    reject,
    logEntries: logEntryVectors(now.getTime() / 1000, { registry: registry.secretKey, officer: officer.secretKey }),
  };
}

/**
 * §11: the scope of a two-entrance, two-hour query in scope order, trustee A's release for it,
 * and the log's release with the last identity's epoch secret gone (null), with their hashes.
 */
function exposureVectors(slot: number, trusteeShare: Uint8Array, epochShare: Uint8Array) {
  const query = { entrances: ["hbr-main", "hbr-east"], windowStart: slot, windowEnd: slot + 7200 };
  const scope = queryScope("demo", query);
  const trusteeKeys = scope.map((id) => extractPartialKey(trusteeShare, id.idBytes));
  const logKeys = scope.map((id, i) => (i === scope.length - 1 ? null : extractPartialKey(epochShare, id.idBytes)));
  return {
    query,
    scope: scope.map((id) => ({ entranceId: id.entranceId, slotStart: id.slotStart, idBytes: toHex(id.idBytes) })),
    trusteeRelease: { partialKeys: trusteeKeys.map(toHex), partialKeysHash: toHex(partialKeysHash(trusteeKeys)) },
    // The same release asked again once its first identity's day has left retention: that key
    // withheld, its commitment given instead; it still hashes to the logged partialKeysHash.
    trusteeReleaseWithheld: {
      partialKeys: trusteeKeys.map((k, i) => (i === 0 ? null : toHex(k))),
      withheld: trusteeKeys.map((k, i) => (i === 0 ? toHex(keyCommitment(k)) : null)),
    },
    logRelease: {
      partialKeys: logKeys.map((k) => (k === null ? null : toHex(k))),
      partialKeysHash: toHex(partialKeysHash(logKeys)),
    },
  };
}

/**
 * The compressed encoding of a point on E2 outside the prime-order subgroup: the first x = c0 + 0·u
 * (c0 = 1, 2, …) on the curve whose point has the wrong order. Either root of y gives such a point,
 * so only the compression flag is set.
 */
function nonSubgroupG2(): Uint8Array {
  const { Fp2 } = bls12_381.fields;
  const b = Fp2.create({ c0: 4n, c1: 4n });
  for (let c0 = 1n; ; c0++) {
    const x = Fp2.create({ c0, c1: 0n });
    let y: ReturnType<typeof Fp2.sqrt>;
    try {
      y = Fp2.sqrt(Fp2.add(Fp2.mul(Fp2.sqr(x), x), b));
    } catch {
      continue;
    }
    if (bls12_381.G2.Point.fromAffine({ x, y }).isTorsionFree()) continue;
    const out = new Uint8Array(96);
    let v = c0;
    for (let i = 95; i >= 48; i--, v >>= 8n) out[i] = Number(v & 0xffn);
    out[0]! |= 0x80;
    return out;
  }
}

function mutateManual(code: string): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const c = code[3]!;
  const replacement = alphabet[(alphabet.indexOf(c) + 1) % 32]!;
  return code.slice(0, 3) + replacement + code.slice(4);
}

/**
 * §11.3 and §4.8: trustee A's release of the exposure vectors' query (entry 7) sealed with HPKE to
 * a release key, from fixed seeds (the ephemeral key by DeriveKeyPair of its seed), and the v2
 * request statement (§6.1) an officer sends trustee A for it. Async: the AEAD is WebCrypto's.
 */
export async function generateSealedReleaseVectors() {
  const now = new Date(NOW);
  const slot = Math.floor(now.getTime() / 3_600_000) * 3600;
  const trustee = generateTrusteeKey(seed("trustee-a", 48));
  const scope = queryScope("demo", { entrances: ["hbr-main", "hbr-east"], windowStart: slot, windowEnd: slot + 7200 });
  const partialKeys = scope.map((id) => extractPartialKey(trustee.secretShare, id.idBytes));
  const releaseKey = hpkeKeyPair(seed("release-key", 32));
  const release = { trusteeId: "trustee-a", queryIndex: 7n, releaseIndex: 9n, partialKeys };
  const info = releaseInfo("demo", 7n, "trustee-a");
  const plaintext = concatBytes(...partialKeys.map((k) => concatBytes(new Uint8Array([1]), k)));
  const sealed = await hpkeSeal(releaseKey.publicKey, info, new Uint8Array(0), plaintext, { ephemeralIkm: seed("release-ephemeral", 32) });
  const officer = generateEd25519KeyPair(seed("officer-a", 32));
  const body = utf8('{"proof":"c2sp.org/tlog-proof@v1\\n…"}');
  const statement = signRequest(
    {
      deployment: "demo",
      keyId: ed25519KeyId("demo/device", officer.publicKey),
      method: "POST",
      path: "/trustee/release",
      body,
      now,
      nonce: seed("nonce-v2", 16),
      audience: { id: "trustee-a", origin: "https://trustee-a.example" },
    },
    officer.secretKey,
  );
  return {
    releaseKey: { secretKey: toHex(releaseKey.secretKey), publicKey: toHex(releaseKey.publicKey) },
    ephemeralIkm: toHex(seed("release-ephemeral", 32)),
    release: { trusteeId: release.trusteeId, queryIndex: "7", releaseIndex: "9" },
    info: toHex(info),
    plaintext: toHex(plaintext),
    sealedKeys: toHex(sealed),
    partialKeysHash: toHex(partialKeysHash(partialKeys)),
    statementV2: { body: toHex(body), signed: toHex(statement) },
  };
}

export type Vectors = ReturnType<typeof generateVectors> & {
  readonly sealedRelease: Awaited<ReturnType<typeof generateSealedReleaseVectors>>;
};
