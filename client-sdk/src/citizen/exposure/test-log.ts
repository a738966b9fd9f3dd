/**
 * Test helper: a small, valid Lintel log built with the protocol's own encoders and real keys —
 * a deployment, two officers, two trustees (real BLS key shares with proofs of possession), one
 * query signed by both officers for entrance "hbr-main" over [T - 3 h, T - 1 h), releases by one
 * trustee and by the log, and a warning for part of that window — plus visits to match it with.
 */
import {
  type Ed25519KeyPair,
  type EntryBody,
  encodeEntry,
  generateEd25519KeyPair,
  generateTrusteeKey,
  signEntry,
} from "@lintel/protocol";
import { TEST_DEPLOYMENT_LIMITS } from "../../authority/testing/deployment-limits.ts";
import type { Visit } from "../visit.ts";

/** An hour boundary: 2026-11-21T10:00:00Z. Queries may not look past T + 1 h. */
export const T = 1_795_255_200;
export const HOUR = 3600;

export interface LogKeys {
  readonly registry: Ed25519KeyPair;
  readonly log: Ed25519KeyPair;
}

export class TestLog {
  readonly entries: Uint8Array[] = [];
  readonly officerA = generateEd25519KeyPair();
  readonly officerB = generateEd25519KeyPair();
  readonly trusteeSigners = [generateEd25519KeyPair(), generateEd25519KeyPair()] as const;

  constructor(
    readonly keys: LogKeys = {
      registry: generateEd25519KeyPair(),
      log: generateEd25519KeyPair(),
    },
    readonly deployment = "demo",
  ) {}

  /** Appends an entry signed by `signers`; returns its index. */
  add(body: EntryBody, signers: readonly Ed25519KeyPair[], issuedAt = T): bigint {
    const entry = signEntry(
      { deployment: this.deployment, issuedAt, body },
      signers.map((s) => s.secretKey),
    );
    this.entries.push(encodeEntry(entry));
    return BigInt(this.entries.length - 1);
  }

  /** The deployment entry, the two officers and the two trustees ("trustee-a", "trustee-b"). */
  setUp(): this {
    const registry = [this.keys.registry];
    this.add(
      {
        kind: "deployment",
        registryKey: this.keys.registry.publicKey,
        logKey: this.keys.log.publicKey,
        ...TEST_DEPLOYMENT_LIMITS,
      },
      registry,
    );
    this.add(
      { kind: "officer-enrolment", publicKey: this.officerA.publicKey, label: "Officer Chan" },
      registry,
    );
    this.add(
      { kind: "officer-enrolment", publicKey: this.officerB.publicKey, label: "Officer Lee" },
      registry,
    );
    ["trustee-a", "trustee-b"].forEach((trusteeId, i) => {
      const share = generateTrusteeKey();
      this.add(
        {
          kind: "trustee-enrolment",
          trusteeId,
          url: `https://${trusteeId}.example/`,
          shareKey: share.publicKey,
          proofOfPossession: share.proofOfPossession,
          signingKey: this.trusteeSigners[i]!.publicKey,
        },
        registry,
      );
    });
    return this;
  }

  private readonly issued = new Set<string>();

  /** A query by both officers (the registry issues its entrances first, as the policy needs). */
  query(entrances: readonly string[], windowStart: number, windowEnd: number): bigint {
    for (const entranceId of entrances) {
      if (this.issued.has(entranceId)) continue;
      this.issued.add(entranceId);
      this.add({ kind: "entrance-issued", venueId: "hbr", entranceId }, [this.keys.registry]);
    }
    return this.add(
      {
        kind: "exposure-query",
        caseReferenceHash: new Uint8Array(32).fill(0xca),
        legalBasis: "Prevention and Control of Disease Ordinance s.10",
        legalDocumentHash: new Uint8Array(32).fill(0xdc),
        entrances,
        windowStart,
        windowEnd,
        releaseKey: new Uint8Array(32).fill(0x09),
        reason: "confirmed case visited in the morning",
      },
      [this.officerA, this.officerB],
    );
  }

  /** A release for `queryIndex` by trustee "trustee-a"/"trustee-b", or by the log ("log"). */
  release(queryIndex: bigint, trusteeId: string, identityCount: number): bigint {
    const signer =
      trusteeId === "log" ? this.keys.log : this.trusteeSigners[trusteeId === "trustee-a" ? 0 : 1];
    return this.add(
      {
        kind: "trustee-release",
        queryIndex,
        trusteeId,
        identityCount,
        partialKeysHash: new Uint8Array(32).fill(7),
      },
      [signer],
    );
  }

  /** A warning by officer A. */
  warning(queryIndex: bigint, entranceId: string, windowStart: number, windowEnd: number): bigint {
    return this.add({ kind: "exposure-warning", queryIndex, entranceId, windowStart, windowEnd }, [
      this.officerA,
    ]);
  }

  /** Registry-signed filler (code replacements), e.g. to fill whole tiles. */
  filler(count: number): void {
    for (let i = 0; i < count; i++) {
      this.add(
        {
          kind: "code-replacement",
          venueId: "hbr",
          entranceId: "hbr-main",
          newVersion: (i % 60_000) + 2,
          reason: "damaged",
        },
        [this.keys.registry],
      );
    }
  }
}

/** A diary visit with just what matching reads; the rest is filler. */
export function visit(
  id: string,
  entranceId: string,
  arrival: number,
  expectedDeparture: number,
  checkedOutAt?: number,
  deployment = "demo",
): Visit {
  const slots: number[] = [];
  for (let s = arrival - (arrival % HOUR); s < expectedDeparture; s += HOUR) slots.push(s);
  return {
    id,
    deployment,
    venueId: "hbr",
    venueName: { zh: "海港图书馆", en: "Harbour Library" },
    entranceId,
    entranceName: { zh: entranceId, en: entranceId },
    arrival,
    expectedDeparture,
    slotSeconds: HOUR,
    slots,
    headCount: 1,
    companions: [],
    idempotencyKey: `${id}-key`,
    deletionSecret: `${id}-secret`,
    receipt: new Uint8Array(1),
    storedAt: arrival,
    ...(checkedOutAt === undefined ? {} : { checkedOutAt }),
  };
}
