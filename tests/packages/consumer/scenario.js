// What an application does with the installed packages, the same in Node and in a browser: sign
// and open a C2SP note, then encrypt a check-in to two trustees plus a day's epoch key and let
// the SDK's decryption pool combine the partial keys and decrypt it (in threads or Web Workers).
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  encodeCheckInRecord,
  encryptCheckIn,
  epochDay,
  extractPartialKey,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateEpochKey,
  generateTrusteeKey,
  identityBytes,
  openNote,
  PreparedMasterKey,
  parseVerifierKey,
  signNote,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";

const DEPLOYMENT = "demo";
const ENTRANCE = "hbr-main";
const SLOT_SECONDS = 3600;
/** 2026-11-22T09:10Z, for 45 minutes: one hour slot. */
const ARRIVAL = 1795338600;

/** @param {import("@lintel/client-sdk").DecryptPool} pool */
export async function runScenario(pool) {
  await ready();
  const signer = generateEd25519KeyPair();
  const verifierKey = formatVerifierKey("example.test/log", signer.publicKey);
  const note = signNote("example.test/log\n1\nroot\n", [
    ed25519NoteSigner("example.test/log", signer.secretKey),
  ]);
  const opened = openNote(note, [ed25519NoteVerifier(parseVerifierKey(verifierKey))]);

  const shares = [generateTrusteeKey(), generateTrusteeKey(), generateEpochKey(epochDay(ARRIVAL))];
  const masterKey = PreparedMasterKey.fromShares(shares);
  const contact = { name: "陳大文 Chan Tai Man", phone: "+852 5123 4567", idNumber: "" };
  const [slot, ...more] = encryptCheckIn(xchacha20poly1305, {
    deployment: DEPLOYMENT,
    entranceId: ENTRANCE,
    slotSeconds: SLOT_SECONDS,
    arrival: ARRIVAL,
    departure: ARRIVAL + 45 * 60,
    record: encodeCheckInRecord({
      recordedBy: "self",
      contactKind: "contact",
      contact,
      companions: 1,
      arrival: ARRIVAL,
      expectedDeparture: ARRIVAL + 45 * 60,
    }),
    masterKeyForDay: () => masterKey,
  });
  const idBytes = identityBytes({
    deployment: DEPLOYMENT,
    entranceId: ENTRANCE,
    slotStart: slot.slotStart,
    slotSeconds: SLOT_SECONDS,
  });
  const publicShares = shares.map((s) => ({
    publicKey: s.publicKey,
    proofOfPossession: s.proofOfPossession,
  }));
  const partials = shares.map((s) => extractPartialKey(s.secretShare, idBytes));
  try {
    const [combined] = await pool.combine({
      shares: publicShares,
      identities: [{ idBytes, partials }],
    });
    if (!combined.ok) throw new Error(`partial key of holder ${combined.holder} refused`);
    const tampered = slot.ciphertext.slice();
    tampered[tampered.length - 1] ^= 1;
    const outcomes = await pool.decrypt({
      identityKey: combined.identityKey,
      idBytes,
      ciphertexts: [slot.ciphertext, tampered],
    });
    return {
      note: { text: opened.text, verified: opened.verified.length },
      slots: 1 + more.length,
      threads: pool.threads,
      outcomes: outcomes.map((o) =>
        o.ok
          ? {
              ok: true,
              name: o.record.contact.name,
              phone: o.record.contact.phone,
              companions: o.record.companions,
            }
          : { ok: false, code: o.code },
      ),
    };
  } finally {
    await pool.close();
  }
}
