/**
 * Test helper: a fake deployment with everything a citizen's device needs already fetched and
 * verified through the SDK's own calls, and the authority's side — decrypting one stored
 * ciphertext with every trustee's partial key and the epoch key's — to prove what was encrypted.
 */
import {
  type CheckInRecord,
  combinePartialKeys,
  decodeCheckInRecord,
  decryptWithIdentityKey,
  extractPartialKey,
  identityBytes,
  PreparedMasterKey,
} from "@lintel/protocol";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import { fetchDeployment } from "../../deployment/index.ts";
import type { ServiceOptions } from "../../http.ts";
import { type EncryptionKeys, loadEncryptionKeys } from "../keys.ts";
import { readCode, type ScannedCode } from "../scan.ts";
import type { CitizenDeployment } from "../trust.ts";
import { FakeService, type FakeServiceOptions, type IssuedCode, ORIGIN } from "./fake-service.ts";

/** 2026-11-21T10:20:00Z, the vectors' arrival. */
export const T0 = new Date("2026-11-21T10:20:00Z");

export interface Fixture {
  readonly fake: FakeService;
  readonly service: ServiceOptions;
  readonly deployment: CitizenDeployment;
  readonly keys: EncryptionKeys;
  readonly issued: IssuedCode;
  readonly code: ScannedCode;
  /** Moves both clocks (the service's and the one tests pass to the SDK). */
  setTime(at: Date): void;
  now(): Date;
}

export async function fixture(options: FakeServiceOptions & { readonly at?: Date } = {}) {
  let now = options.at ?? T0;
  // Two days of epoch keys are plenty here and keep the tests quick (each is verified).
  const fake = new FakeService({ aheadDays: 1, ...options, clock: () => now });
  const service: ServiceOptions = { baseUrl: ORIGIN, fetch: fake.fetch };
  const deployment = await fetchDeployment(service);
  const keys = await loadEncryptionKeys(service, deployment);
  const issued = fake.issueCode();
  const code = readCode(issued.url, {
    registryVerifierKey: fake.registryVerifierKey,
    deployment: fake.deployment,
    now,
  });
  const f: Fixture = {
    fake,
    service,
    deployment,
    keys,
    issued,
    code,
    setTime(at) {
      now = at;
    },
    now: () => now,
  };
  return f;
}

/**
 * What a health authority does after an authorised release: one partial key per share (each
 * trustee's, then the day's epoch key's), verified and combined, then the ciphertext decrypted
 * and the record decoded.
 */
export async function decryptStored(
  fake: FakeService,
  entranceId: string,
  slotStart: number,
  ciphertext: Uint8Array,
): Promise<CheckInRecord> {
  await ready();
  const id = identityBytes({
    deployment: fake.deployment,
    entranceId,
    slotStart,
    slotSeconds: fake.slotSeconds,
  });
  const epoch = fake.epochKeyForSlot(slotStart);
  const shares = [...fake.trustees, epoch];
  const mpk = PreparedMasterKey.fromShares(shares);
  const partials = shares.map((s) => extractPartialKey(s.secretShare, id));
  const identityKey = combinePartialKeys(mpk, id, partials);
  return decodeCheckInRecord(
    decryptWithIdentityKey(xchacha20poly1305, identityKey, id, ciphertext),
  );
}
