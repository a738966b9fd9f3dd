/**
 * Verifies Lintel's test vectors against this implementation. Pure, so the same checks run in
 * Node (unit tests), in Chromium (bundled by the e2e test) and inside workerd (worker tests).
 * Without an AEAD (workerd cannot load libsodium), ciphertexts are checked through their KEM
 * half: U is recomputed from σ, and σ is recovered from the identity key by the pairing.
 */
import { verifyKioskSuffix, kioskSuffix } from "../src/codes/kiosk-code.ts";
import { formatManualCode, manualCodeFor, normalizeManualCode } from "../src/codes/manual-code.ts";
import { decodeVenueCode, signVenueCode, type VenueCode, venueCodeUrl, verifyVenueCode, type VenueCategory } from "../src/codes/venue-code.ts";
import { decodeBase32 } from "../src/encoding/base32.ts";
import { generateEd25519KeyPair } from "../src/keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey } from "../src/keys/verifier-key.ts";
import type { Aead } from "../src/record/aead.ts";
import { type CheckInRecord, decodeCheckInRecord, encodeCheckInRecord } from "../src/record/checkin-record.ts";
import { deletionTokenHash } from "../src/record/deletion-token.ts";
import { signReceipt, verifyReceipt } from "../src/statements/receipt.ts";
import { decodeRequestStatement, signRequest, verifyRequestStatement } from "../src/statements/signed-request.ts";
import { curves } from "../src/tibe/backend.ts";
import { generateEpochKey, verifyEpochStatement } from "../src/tibe/epoch-key.ts";
import { decryptWithIdentityKey, encryptToIdentity, expectedU, parseCiphertext, recoverSigma } from "../src/tibe/ibe.ts";
import { identityBytes, identityPoint } from "../src/tibe/identity.ts";
import { PreparedMasterKey } from "../src/tibe/master-key.ts";
import { combinePartialKeys, extractPartialKey, verifyPartialKey } from "../src/tibe/partial-key.ts";
import { assertProofOfPossession, generateTrusteeKey, verifyProofOfPossession } from "../src/tibe/trustee-key.ts";
import { ProtocolError } from "../src/errors.ts";
import { partialKeysHash, releaseHash } from "../src/exposure/release.ts";
import { queryScope } from "../src/exposure/scope.ts";
import { decodeEntry, validSigners } from "../src/log/entries/entry.ts";
import type { Vectors } from "./generate.ts";
import { plainBodyOf, signedLogEntry, signerOf } from "./log-entries.ts";
import { fromHex, toHex } from "./hex.ts";

export interface CheckResult {
  readonly checks: number;
  readonly failures: readonly string[];
  readonly skipped: readonly string[];
}

export function checkVectors(v: Vectors, aead?: Aead): CheckResult {
  let checks = 0;
  const failures: string[] = [];
  const skipped: string[] = [];
  const eq = (name: string, actual: string, expected: string) => {
    checks++;
    if (actual !== expected) failures.push(`${name}: got ${actual.slice(0, 64)}, expected ${expected.slice(0, 64)}`);
  };
  const ok = (name: string, f: () => unknown) => {
    checks++;
    try {
      const r = f();
      if (r === false) failures.push(`${name}: false`);
    } catch (e) {
      failures.push(`${name}: threw ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const now = new Date(v.now);

  // Keys
  const registry = generateEd25519KeyPair(fromHex(v.keys.registry.seed));
  eq("registry public key", toHex(registry.publicKey), v.keys.registry.publicKey);
  eq("registry verifier key", formatVerifierKey(v.keys.registry.name, registry.publicKey), v.keys.registry.verifierKey);
  const registryKey = parseVerifierKey(v.keys.registry.verifierKey);
  const log = generateEd25519KeyPair(fromHex(v.keys.log.seed));
  eq("log public key", toHex(log.publicKey), v.keys.log.publicKey);
  const server = generateEd25519KeyPair(fromHex(v.keys.server.seed));
  const officer = generateEd25519KeyPair(fromHex(v.keys.officer.seed));

  // Venue code
  const fields = v.venueCode.fields;
  const code: VenueCode = { ...fields, category: fields.category as VenueCategory, registryKeyId: fromHex(fields.registryKeyId) };
  const signed = fromHex(v.venueCode.signed);
  eq("venue code signed bytes", toHex(signVenueCode(code, registry.secretKey)), v.venueCode.signed);
  ok("venue code verifies", () => verifyVenueCode(signed, { registry: registryKey, now, deployment: "demo" }));
  eq("venue code decodes", JSON.stringify({ ...decodeVenueCode(signed).code, registryKeyId: fields.registryKeyId }), JSON.stringify(fields));
  eq("venue code URL", venueCodeUrl("https://checkin.example.org", signed), v.venueCode.url);
  eq("manual code", formatManualCode(manualCodeFor(signed)), v.venueCode.manualCode);
  eq("manual code typed sloppily", normalizeManualCode(v.venueCode.manualCode.toLowerCase().replaceAll("-", " ")), manualCodeFor(signed));
  const kioskSecret = fromHex(v.venueCode.kiosk.secret);
  eq("kiosk suffix", toHex(kioskSuffix(kioskSecret, signed, v.venueCode.kiosk.nowMs)), v.venueCode.kiosk.suffix);
  ok("kiosk suffix verifies", () => verifyKioskSuffix(kioskSecret, signed, fromHex(v.venueCode.kiosk.suffix), v.venueCode.kiosk.nowMs + 20_000));

  // Trustee and epoch keys, master key
  const trustees = v.trustees.map((t) => {
    const key = generateTrusteeKey(fromHex(t.seed));
    eq(`${t.name} secret share`, toHex(key.secretShare), t.secretShare);
    eq(`${t.name} public key`, toHex(key.publicKey), t.publicKey);
    eq(`${t.name} proof of possession`, toHex(key.proofOfPossession), t.proofOfPossession);
    ok(`${t.name} proof verifies`, () => verifyProofOfPossession(key.publicKey, key.proofOfPossession));
    return key;
  });
  const epoch = generateEpochKey(v.epoch.day, fromHex(v.epoch.seed));
  eq("epoch public key", toHex(epoch.publicKey), v.epoch.publicKey);
  ok("epoch statement verifies", () => {
    const s = verifyEpochStatement(fromHex(v.epoch.statement), log.publicKey);
    return s.day === v.epoch.day && toHex(s.publicKey) === v.epoch.publicKey;
  });
  const shares = [...trustees, epoch];
  const mpk = PreparedMasterKey.fromShares(shares);
  eq("master public key", toHex(mpk.bytes), v.masterPublicKey);

  // Identities, partial keys, identity keys
  const idBytes = v.identities.map((ident, i) => {
    const bytes = identityBytes(ident);
    eq(`identity ${i} bytes`, toHex(bytes), ident.idBytes);
    eq(`identity ${i} point`, toHex(curves().g2ToBytes(identityPoint(bytes))), ident.point);
    const partials = shares.map((s, j) => {
      const p = extractPartialKey(s.secretShare, bytes);
      eq(`identity ${i} partial key ${j}`, toHex(p), ident.partialKeys[j]!);
      ok(`identity ${i} partial key ${j} verifies`, () => verifyPartialKey(s.publicKey, bytes, p));
      return p;
    });
    eq(`identity ${i} key`, toHex(combinePartialKeys(mpk, bytes, partials)), ident.identityKey);
    return bytes;
  });

  // Record and ciphertexts
  const record = v.record.fields as CheckInRecord;
  eq("record bytes", toHex(encodeCheckInRecord(record)), v.record.bytes);
  eq("record decodes", JSON.stringify(decodeCheckInRecord(fromHex(v.record.bytes))), JSON.stringify(record));
  for (const c of v.ciphertexts) {
    const ct = fromHex(c.ciphertext);
    const id = idBytes[c.identity]!;
    const key = fromHex(v.identities[c.identity]!.identityKey);
    eq(`ciphertext ${c.identity} U`, toHex(parseCiphertext(ct).u), toHex(expectedU(fromHex(c.sigma), id, fromHex(v.record.bytes))));
    eq(`ciphertext ${c.identity} σ recovered`, toHex(recoverSigma(key, ct)), c.sigma);
    if (aead) {
      eq(`ciphertext ${c.identity}`, toHex(encryptToIdentity(aead, mpk, id, fromHex(v.record.bytes), { sigma: fromHex(c.sigma) })), c.ciphertext);
      eq(`ciphertext ${c.identity} decrypts`, toHex(decryptWithIdentityKey(aead, key, id, ct)), v.record.bytes);
    } else {
      skipped.push(`ciphertext ${c.identity} AEAD part (no AEAD here)`);
    }
  }

  // Deletion token, receipt, request statement
  eq("deletion hash", toHex(deletionTokenHash(fromHex(v.deletion.secret))), v.deletion.hash);
  const receiptFields = { ...v.receipt.fields, ciphertextsHash: fromHex(v.receipt.fields.ciphertextsHash) };
  eq("receipt", toHex(signReceipt(receiptFields, server.secretKey)), v.receipt.signed);
  ok("receipt verifies", () => verifyReceipt(fromHex(v.receipt.signed), server.publicKey));
  const body = fromHex(v.statement.body);
  const decoded = decodeRequestStatement(fromHex(v.statement.signed));
  eq(
    "request statement",
    toHex(
      signRequest(
        { deployment: "demo", keyId: decoded.statement.keyId, method: "POST", path: "/api/queries", body, now, nonce: decoded.statement.nonce },
        officer.secretKey,
      ),
    ),
    v.statement.signed,
  );
  ok("request statement verifies", () =>
    verifyRequestStatement(decoded, { deployment: "demo", method: "POST", path: "/api/queries", body, now, publicKey: officer.publicKey }),
  );

  // Log entries about venues (the registry's, and officers' venue requests): rebuilt byte for
  // byte, and decoded back
  const entrySigners = { registry, officer };
  for (const [i, e] of v.logEntries.entries()) {
    const name = `log entry ${i} (${e.fields.kind})`;
    const secrets = { registry: registry.secretKey, officer: officer.secretKey };
    eq(name, toHex(signedLogEntry(e.fields, now.getTime() / 1000, secrets)), e.entry);
    eq(`${name} signer`, e.signer, signerOf(e.fields));
    const decodedEntry = decodeEntry(fromHex(e.entry));
    eq(`${name} decodes`, JSON.stringify(plainBodyOf(decodedEntry.entry.body)), JSON.stringify(e.fields));
    ok(`${name} signed by the ${e.signer}`, () =>
      validSigners(decodedEntry).map(toHex).join() === toHex(entrySigners[e.signer].publicKey),
    );
  }

  // Must-reject vectors
  for (const r of v.reject) {
    checks++;
    const input = fromHex(r.input);
    let got = "accepted";
    try {
      const ran = rejectCheck(r.kind, input, {
        signed,
        registryKey,
        now,
        kioskSecret,
        idBytes,
        shares,
        mpk,
        key: fromHex(v.identities[0]!.identityKey),
        aead,
      });
      if (!ran) got = "skipped";
    } catch (e) {
      got = e instanceof ProtocolError ? e.code : `non-protocol error: ${String(e)}`;
    }
    if (got === "skipped") {
      checks--;
      skipped.push(`reject ${r.kind}: ${r.description}`);
    } else if (got !== r.error) {
      failures.push(`reject ${r.kind} (${r.description}): got ${got}, expected ${r.error}`);
    }
  }
  // Exposure queries (§11): scope order, releases and their hashes.
  const scope = queryScope("demo", v.exposure.query);
  eq("exposure scope", JSON.stringify(scope.map((id) => [id.entranceId, id.slotStart, toHex(id.idBytes)])), JSON.stringify(v.exposure.scope.map((id) => [id.entranceId, id.slotStart, id.idBytes])));
  const trusteeKeys = scope.map((id) => extractPartialKey(trustees[0]!.secretShare, id.idBytes));
  eq("exposure trustee release", JSON.stringify(trusteeKeys.map(toHex)), JSON.stringify(v.exposure.trusteeRelease.partialKeys));
  eq("exposure trustee release hash", toHex(partialKeysHash(trusteeKeys)), v.exposure.trusteeRelease.partialKeysHash);
  const logKeys = v.exposure.logRelease.partialKeys.map((k) => (k === null ? null : fromHex(k)));
  ok("exposure log release keys verify", () =>
    logKeys.every((k, i) => k === null || verifyPartialKey(epoch.publicKey, scope[i]!.idBytes, k)),
  );
  eq("exposure log release hash (null as zeros)", toHex(partialKeysHash(logKeys)), v.exposure.logRelease.partialKeysHash);
  const withheld = v.exposure.trusteeReleaseWithheld;
  eq(
    "exposure withheld key: the release still matches the logged hash",
    toHex(
      releaseHash({
        trusteeId: "trustee-a",
        queryIndex: 0n,
        releaseIndex: 0n,
        partialKeys: withheld.partialKeys.map((k) => (k === null ? null : fromHex(k))),
        withheld: withheld.withheld.map((c) => (c === null ? null : fromHex(c))),
      }),
    ),
    v.exposure.trusteeRelease.partialKeysHash,
  );
  return { checks, failures, skipped };
}

interface RejectContext {
  signed: Uint8Array;
  registryKey: ReturnType<typeof parseVerifierKey>;
  now: Date;
  kioskSecret: Uint8Array;
  idBytes: Uint8Array[];
  shares: ReadonlyArray<{ publicKey: Uint8Array; proofOfPossession: Uint8Array; secretShare: Uint8Array }>;
  mpk: PreparedMasterKey;
  key: Uint8Array;
  aead: Aead | undefined;
}

/** Runs the operation a must-reject vector targets; false when it cannot run here. */
function rejectCheck(kind: string, input: Uint8Array, c: RejectContext): boolean {
  switch (kind) {
    case "venue-code":
      verifyVenueCode(input, { registry: c.registryKey, now: c.now });
      return true;
    case "base32":
      decodeBase32(new TextDecoder().decode(input));
      return true;
    case "manual-code":
      normalizeManualCode(new TextDecoder().decode(input));
      return true;
    case "kiosk":
      verifyKioskSuffix(c.kioskSecret, c.signed, input, c.now.getTime());
      return true;
    case "partial-key": {
      const partials = c.shares.map((s) => extractPartialKey(s.secretShare, c.idBytes[0]!));
      partials[0] = input;
      combinePartialKeys(c.mpk, c.idBytes[0]!, partials);
      return true;
    }
    case "ciphertext":
      if (!c.aead) return false;
      decryptWithIdentityKey(c.aead, c.key, c.idBytes[0]!, input);
      return true;
    case "g1-point":
      curves().g1FromBytes(input, "point");
      return true;
    case "g2-point":
      curves().g2FromBytes(input, "point");
      return true;
    case "trustee-key":
      assertProofOfPossession(input.subarray(0, 48), input.subarray(48));
      return true;
    default:
      throw new Error(`unknown reject kind ${kind}`);
  }
}
