/**
 * `LINTEL_BENCH_ONLY=sbs npm run bench`: Lintel against CrowdNotifier's reference library, in one
 * process, interleaved, CPU time (scripts/lib/interleave.ts). Each figure pairs one Lintel
 * adapter (sbs-lintel.ts) with the matching call of their library (scripts/lib/crowdnotifier.ts,
 * loaded from the clone LINTEL_CROWDNOTIFIER_DIR names; without it this part prints one line and
 * measures nothing).
 *
 *   sbs.decrypt_*          Lintel decryptWithIdentityKey from ciphertext bytes, identity key fixed,
 *                          on the backend an authority's Node threads use (native blst when its
 *                          addon is built, else mcl-wasm) ÷ their dec after deserializing c1 from
 *                          its 96 bytes (mcl-wasm 0.7's default deserialization, which skips the
 *                          G2 subgroup check; their FO check c1 = r·g2 comes after the pairing)
 *   sbs.decrypt_wasm_*     the same with Lintel on mcl-wasm, as the authority console decrypts in
 *                          a browser
 *   sbs.decrypt_checked_*  the same, with mcl's subgroup check of c1 switched on for their side
 *                          (verifyOrderG2): both sides then check what Lintel checks
 *   sbs.encrypt_*          (every encryption on mcl-wasm, as a phone's page runs it)
 *                          Lintel encryptToIdentity, e(Q, mpk) precomputed ÷ their enc, c1 then
 *                          serialized; their library has no precomputation to use
 *   sbs.encrypt_uncached_* Lintel on a verified master key with nothing cached ÷ their enc
 *   sbs.encrypt_cold_*     Lintel PreparedMasterKey.fromShares (3 proofs of possession) + one
 *                          encryption ÷ their mpk deserialized from bytes + enc
 *   sbs.encrypt_first_of_day_*  the same with the trustees' proofs remembered from an earlier
 *                          day (pages keep them across loads): only the new epoch key's proof
 *                          is checked before the encryption
 *
 * Both sides encrypt the same 240 random bytes (the length of a Lintel check-in record).
 * `_ratio` figures are Lintel ÷ CrowdNotifier: below 1, Lintel is faster.
 */

import { type CurveBackend, curves, useCurves } from "@lintel/protocol";
import {
  type CrowdNotifierIbe,
  loadCrowdNotifier,
  locateCrowdNotifier,
  type McLPoint,
} from "../lib/crowdnotifier.ts";
import { type Contestant, type InterleavedResult, interleave } from "../lib/interleave.ts";
import type { Figure } from "./protocol.ts";
import {
  type LintelFixture,
  lintelDecrypt,
  lintelEncrypt,
  lintelEncryptCold,
  lintelEncryptFirstOfDay,
  lintelEncryptUncached,
  lintelFirstOfDaySetup,
  lintelFreshMasterKey,
  prepareLintel,
} from "./sbs-lintel.ts";

interface CiphertextBytes {
  readonly c1: Uint8Array;
  readonly c2: Uint8Array;
  readonly c3: Uint8Array;
  readonly nonce: Uint8Array;
}

interface CrowdNotifierFixture {
  readonly mpk: McLPoint;
  readonly mpkBytes: Uint8Array;
  readonly skid: McLPoint;
  readonly id: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly ciphertexts: readonly CiphertextBytes[];
}

function toBytes(ct: ReturnType<CrowdNotifierIbe["enc"]>): CiphertextBytes {
  return { c1: ct.c1.serialize(), c2: ct.c2, c3: ct.c3, nonce: ct.nonce };
}

function crowdNotifierFixture(
  cn: CrowdNotifierIbe,
  plaintext: Uint8Array,
  count: number,
): CrowdNotifierFixture {
  const [mpk, msk] = cn.keyGen();
  // Their identities are SHA-256 outputs (genIdV3): 32 bytes.
  const id = crypto.getRandomValues(new Uint8Array(32));
  const ciphertexts = Array.from({ length: count }, () => toBytes(cn.enc(mpk, id, plaintext)));
  return { mpk, mpkBytes: mpk.serialize(), skid: cn.keyDer(msk, id), id, plaintext, ciphertexts };
}

function cnDecrypt(cn: CrowdNotifierIbe, f: CrowdNotifierFixture, ct: CiphertextBytes) {
  const c1 = cn.newG2();
  c1.deserialize(ct.c1);
  return cn.dec(f.id, f.skid, { c1, c2: ct.c2, c3: ct.c3, nonce: ct.nonce });
}

function cnEncryptCold(cn: CrowdNotifierIbe, f: CrowdNotifierFixture): CiphertextBytes {
  const mpk = cn.newG2();
  mpk.deserialize(f.mpkBytes);
  return toBytes(cn.enc(mpk, f.id, f.plaintext));
}

const same = (a: Uint8Array | undefined, b: Uint8Array) =>
  a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** Both sides must round-trip before anything is timed: a broken side would time an error path. */
function checkRoundTrips(cn: CrowdNotifierIbe, l: LintelFixture, c: CrowdNotifierFixture): void {
  const lintelOk =
    same(lintelDecrypt(l, l.ciphertexts[0]!), l.plaintext) &&
    same(lintelDecrypt(l, lintelEncryptCold(l)), l.plaintext) &&
    same(lintelDecrypt(l, lintelEncryptUncached(l, lintelFreshMasterKey(l))), l.plaintext);
  const cnOk =
    same(cnDecrypt(cn, c, c.ciphertexts[0]!), c.plaintext) &&
    same(cnDecrypt(cn, c, cnEncryptCold(cn, c)), c.plaintext);
  if (!lintelOk || !cnOk) {
    throw new Error(`side-by-side: ${lintelOk ? "CrowdNotifier" : "Lintel"} does not round-trip`);
  }
}

/** A contestant cycling through a fixed list of inputs. */
function cycling<T>(name: string, batch: number, inputs: readonly T[], run: (x: T) => unknown) {
  let i = 0;
  return {
    name,
    batch,
    setup: () => inputs[i++ % inputs.length]!,
    run,
  } satisfies Contestant<T>;
}

const nothing = () => undefined;

/** `run` on `backend`, the thread's backend put back after. */
function onCurves<T>(backend: CurveBackend, run: () => T): T {
  const before = curves();
  useCurves(backend);
  try {
    return run();
  } finally {
    useCurves(before);
  }
}

export function sbsRounds(env: Readonly<Record<string, string | undefined>>): number {
  const rounds = Number(env.LINTEL_SBS_ROUNDS ?? 9);
  if (!Number.isInteger(rounds) || rounds < 5) {
    throw new Error("LINTEL_SBS_ROUNDS must be a whole number of at least 5");
  }
  return rounds;
}

export async function sideBySideBenchmarks(
  log: (line: string) => void,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Record<string, Figure>> {
  const located = locateCrowdNotifier(env);
  if (!located.found) {
    log(located.message);
    return {};
  }
  const rounds = sbsRounds(env);
  const cn = await loadCrowdNotifier(located.dir);
  const lintel = await prepareLintel();
  const theirs = crowdNotifierFixture(cn, lintel.plaintext, lintel.ciphertexts.length);
  checkRoundTrips(cn, lintel, theirs);
  const note = `${lintel.describe} vs ${cn.describe}; interleaved, CPU time, median of ${rounds} rounds`;
  log(`bench: side by side: ${note}`);

  const results: Record<string, InterleavedResult> = {};
  const authority = lintel.authorityCurves;
  const decryptOn = (backend: CurveBackend) => (ct: Uint8Array) =>
    onCurves(backend, () => lintelDecrypt(lintel, ct));
  log(`bench: side by side: decrypt one record from bytes (Lintel on ${authority.name})…`);
  results.decrypt = interleave(
    cycling("lintel", 8, lintel.ciphertexts, decryptOn(authority)),
    cycling("crowdnotifier", 8, theirs.ciphertexts, (ct) => cnDecrypt(cn, theirs, ct)),
    { rounds },
  );
  log("bench: side by side: decrypt one record from bytes (Lintel on mcl-wasm)…");
  results.decrypt_wasm = interleave(
    cycling("lintel", 8, lintel.ciphertexts, decryptOn(curves())),
    cycling("crowdnotifier", 8, theirs.ciphertexts, (ct) => cnDecrypt(cn, theirs, ct)),
    { rounds },
  );
  log("bench: side by side: decrypt one record, their c1 subgroup-checked as Lintel checks U…");
  cn.verifyOrderG2(true);
  try {
    checkRoundTrips(cn, lintel, theirs);
    results.decrypt_checked = interleave(
      cycling("lintel", 8, lintel.ciphertexts, decryptOn(authority)),
      cycling("crowdnotifier", 8, theirs.ciphertexts, (ct) => cnDecrypt(cn, theirs, ct)),
      { rounds },
    );
  } finally {
    cn.verifyOrderG2(false);
  }
  log("bench: side by side: encrypt one slot, identity precomputed…");
  results.encrypt = interleave(
    { name: "lintel", batch: 10, setup: nothing, run: () => lintelEncrypt(lintel) },
    {
      name: "crowdnotifier",
      batch: 10,
      setup: nothing,
      run: () => toBytes(cn.enc(theirs.mpk, theirs.id, theirs.plaintext)),
    },
    { rounds },
  );
  log("bench: side by side: encrypt one slot, nothing cached…");
  results.encrypt_uncached = interleave(
    {
      name: "lintel",
      batch: 8,
      setup: () => lintelFreshMasterKey(lintel),
      run: (mpk) => lintelEncryptUncached(lintel, mpk),
    },
    {
      name: "crowdnotifier",
      batch: 10,
      setup: nothing,
      run: () => toBytes(cn.enc(theirs.mpk, theirs.id, theirs.plaintext)),
    },
    { rounds },
  );
  log("bench: side by side: encrypt cold, from the day's key shares…");
  results.encrypt_cold = interleave(
    { name: "lintel", batch: 3, setup: nothing, run: () => lintelEncryptCold(lintel) },
    { name: "crowdnotifier", batch: 10, setup: nothing, run: () => cnEncryptCold(cn, theirs) },
    { rounds, warmup: 1 },
  );
  log("bench: side by side: encrypt the first check-in of a day…");
  results.encrypt_first_of_day = interleave(
    {
      name: "lintel",
      batch: 5,
      setup: () => lintelFirstOfDaySetup(lintel),
      run: (shares) => lintelEncryptFirstOfDay(lintel, shares),
    },
    { name: "crowdnotifier", batch: 10, setup: nothing, run: () => cnEncryptCold(cn, theirs) },
    { rounds, warmup: 1 },
  );

  const figures: Record<string, Figure> = {};
  const round3 = (n: number) => Math.round(n * 1000) / 1000;
  for (const [op, r] of Object.entries(results)) {
    figures[`sbs.${op}_ratio`] = {
      value: round3(r.ratio),
      unit: "× (Lintel ÷ CrowdNotifier)",
      note,
    };
    figures[`sbs.${op}_lintel_ms`] = { value: round3(r.aMedianMs), unit: "ms CPU", note };
    figures[`sbs.${op}_crowdnotifier_ms`] = { value: round3(r.bMedianMs), unit: "ms CPU", note };
  }
  const c = theirs.ciphertexts[0]!;
  figures["sbs.plaintext_bytes"] = { value: lintel.plaintext.length, unit: "bytes", note };
  figures["sbs.ciphertext_lintel_bytes"] = {
    value: lintel.ciphertexts[0]!.length,
    unit: "bytes",
    note,
  };
  figures["sbs.ciphertext_crowdnotifier_bytes"] = {
    value: c.c1.length + c.c2.length + c.c3.length + c.nonce.length,
    unit: "bytes (c1 ‖ c2 ‖ c3 ‖ nonce, before their protobuf framing)",
    note,
  };
  figures["sbs.rounds"] = { value: rounds, unit: "rounds", note };
  return figures;
}
