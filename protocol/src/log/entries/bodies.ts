/**
 * Entry bodies, one layout per kind (PROTOCOL.md §10.3). The kind byte on the wire is the
 * position in ENTRY_KINDS plus one; new kinds are appended, never inserted.
 */
import { Reader, Writer } from "../../encoding/binary.ts";
import { ProtocolError } from "../../errors.ts";
import { PROOF_OF_POSSESSION_BYTES, SHARE_KEY_BYTES } from "../../tibe/curve.ts";

export const ENTRY_KINDS = [
  "deployment",
  "officer-enrolment",
  "officer-removal",
  "trustee-enrolment",
  "trustee-removal",
  "witness-enrolment",
  "witness-removal",
  "epoch-key",
  "exposure-query",
  "trustee-release",
  "exposure-warning",
  "retention-receipt",
  "code-replacement",
  "entrance-issued",
  "venue-suspension",
  "venue-reinstatement",
  "entrance-retired",
  "venue-request",
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Wire value = position; appended to, never reordered (`amended`: a name or place changed). */
export const CODE_REPLACEMENT_REASONS = [
  "damaged",
  "leaked",
  "photographed",
  "other",
  "amended",
] as const;

/**
 * Why the registry suspended a venue (wire value = position; appended to, never reordered). A
 * category, never free text: the log is public and a reason names no person.
 */
export const SUSPENSION_REASONS = [
  "inspection-failed",
  "rectification-overdue",
  "false-registration",
  "closed",
  "other",
] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/**
 * Why a venue asked the authority for its own records (wire value = position; appended to, never
 * reordered). A category, never free text: the log is public.
 */
export const VENUE_REQUEST_REASONS = [
  "guest-case",
  "staff-case",
  "authority-notice",
  "other",
] as const;
export type VenueRequestReason = (typeof VENUE_REQUEST_REASONS)[number];

/**
 * What an approved venue request gives the venue (wire: a bit set, bit i = position i; unknown
 * bits refused). `warning`: everyone whose diary holds a visit to a named entrance inside the
 * window is warned on their own device; `counts`: the venue sees its check-ins per hour in the
 * window; `contacts`: the trustees and the log release the partial keys of the request's scope,
 * sealed to the venue's device key (the entry's `releaseKey`), so the venue reads the contact
 * data of the visits in scope — never a citizen card, which stays sealed to the authority.
 */
export const VENUE_REQUEST_GRANTS = ["warning", "counts", "contacts"] as const;
export type VenueRequestGrant = (typeof VENUE_REQUEST_GRANTS)[number];

/** The numbers every query obeys, fixed by the deployment entry (entry 0). */
export interface DeploymentLimits {
  readonly retentionDays: number;
  readonly approvalsRequired: number;
  readonly maxWindowHours: number;
  readonly maxEntrancesPerQuery: number;
  /** Entrance-hours (entrances × hours) a query may cover with `approvalsRequired` officers. */
  readonly maxEntranceHoursPerQuery: number;
  /** Distinct officers a query above that budget needs (more than `approvalsRequired`). */
  readonly wideQueryApprovals: number;
  /** Entrance-hours no query may exceed, however many officers sign it. */
  readonly maxEntranceHoursWide: number;
  /** Entrance-hours all queries of one case reference (hash) may cover together. */
  readonly maxEntranceHoursPerCase: number;
  /** Queries one case reference (hash) may have. */
  readonly maxQueriesPerCase: number;
  /** How long a filed query may wait for its approvals: its issuedAt may lag the log by this. */
  readonly draftLifetimeSeconds: number;
}

/** Exactly the limits of `d`, without whatever else it carries. */
export function deploymentLimits(d: DeploymentLimits): DeploymentLimits {
  return {
    retentionDays: d.retentionDays,
    approvalsRequired: d.approvalsRequired,
    maxWindowHours: d.maxWindowHours,
    maxEntrancesPerQuery: d.maxEntrancesPerQuery,
    maxEntranceHoursPerQuery: d.maxEntranceHoursPerQuery,
    wideQueryApprovals: d.wideQueryApprovals,
    maxEntranceHoursWide: d.maxEntranceHoursWide,
    maxEntranceHoursPerCase: d.maxEntranceHoursPerCase,
    maxQueriesPerCase: d.maxQueriesPerCase,
    draftLifetimeSeconds: d.draftLifetimeSeconds,
  };
}

export type EntryBody =
  | ({
      /** The first entry: who the registry and the log are, and the policy every query obeys. */
      readonly kind: "deployment";
      readonly registryKey: Uint8Array;
      readonly logKey: Uint8Array;
    } & DeploymentLimits)
  | { readonly kind: "officer-enrolment"; readonly publicKey: Uint8Array; readonly label: string }
  | { readonly kind: "officer-removal"; readonly publicKey: Uint8Array }
  | {
      readonly kind: "trustee-enrolment";
      readonly trusteeId: string;
      readonly url: string;
      /** BLS12-381 key share (G1, 48 bytes) and its proof of possession (G2, 96 bytes). */
      readonly shareKey: Uint8Array;
      readonly proofOfPossession: Uint8Array;
      /** Ed25519 key the trustee signs its release entries with. */
      readonly signingKey: Uint8Array;
    }
  | { readonly kind: "trustee-removal"; readonly trusteeId: string }
  | { readonly kind: "witness-enrolment"; readonly name: string; readonly publicKey: Uint8Array }
  | { readonly kind: "witness-removal"; readonly name: string }
  | {
      readonly kind: "epoch-key";
      readonly day: number;
      readonly publicKey: Uint8Array;
      readonly proofOfPossession: Uint8Array;
    }
  | {
      readonly kind: "exposure-query";
      /** SHA-256 of the case reference: public, but not the reference itself. */
      readonly caseReferenceHash: Uint8Array;
      readonly legalBasis: string;
      readonly legalDocumentHash: Uint8Array;
      readonly entrances: readonly string[];
      /** Unix seconds, slot-aligned; the window is [start, end). */
      readonly windowStart: number;
      readonly windowEnd: number;
      readonly reason: string;
      /**
       * X25519 public key (32 bytes, not all zero) that every partial key of this query is
       * sealed to (HPKE, §11.3); its secret half stays with the authority that filed it.
       */
      readonly releaseKey: Uint8Array;
    }
  | {
      readonly kind: "trustee-release";
      readonly queryIndex: bigint;
      readonly trusteeId: string;
      readonly identityCount: number;
      /** SHA-256 of the released partial keys, in scope order. */
      readonly partialKeysHash: Uint8Array;
    }
  | {
      readonly kind: "exposure-warning";
      readonly queryIndex: bigint;
      readonly entranceId: string;
      readonly windowStart: number;
      readonly windowEnd: number;
    }
  | {
      readonly kind: "retention-receipt";
      readonly cutoff: number;
      readonly ciphertextsDeleted: bigint;
      readonly epochDaysDestroyed: readonly number[];
    }
  | {
      readonly kind: "code-replacement";
      readonly venueId: string;
      readonly entranceId: string;
      readonly newVersion: number;
      readonly reason: (typeof CODE_REPLACEMENT_REASONS)[number];
    }
  | {
      /** The registry approved this entrance and signed its first code: queries may name it. */
      readonly kind: "entrance-issued";
      readonly venueId: string;
      readonly entranceId: string;
    }
  | {
      /** The registry suspended the venue: its codes are refused until it is reinstated. */
      readonly kind: "venue-suspension";
      readonly venueId: string;
      readonly reason: SuspensionReason;
    }
  | { readonly kind: "venue-reinstatement"; readonly venueId: string }
  | {
      /**
       * The registry retired an entrance after an amendment: its codes are refused, pointing to
       * `replacedBy` (another entrance of the venue) or to none (empty).
       */
      readonly kind: "entrance-retired";
      readonly venueId: string;
      readonly entranceId: string;
      readonly replacedBy: string;
    }
  | {
      /**
       * An officer approved a venue's request for its own records: the venue's entrances and
       * window, why (a category), and what the deployment's policy gives the venue.
       */
      readonly kind: "venue-request";
      readonly venueId: string;
      readonly entrances: readonly string[];
      /** Unix seconds, slot-aligned; the window is [start, end). */
      readonly windowStart: number;
      readonly windowEnd: number;
      readonly reason: VenueRequestReason;
      /** Distinct grants, in VENUE_REQUEST_GRANTS order. */
      readonly grants: readonly VenueRequestGrant[];
      /**
       * X25519 public key made on the venue's device: the releases of a `contacts` request are
       * sealed to it (§11.3). All zeros exactly when the grants do not include `contacts`.
       */
      readonly releaseKey: Uint8Array;
    };

/** A release key of all zeros would seal to nobody's key: refused on both sides. */
function checkReleaseKey(key: Uint8Array): Uint8Array {
  if (key.length === 32 && key.every((b) => b === 0))
    throw new ProtocolError("bad-value", "a query's release key is not all zeros");
  return key;
}

/**
 * A venue request's release key is all zeros unless it grants `contacts`, and then it is not:
 * a key where nothing is released, or contacts sealed to nobody, are refused on both sides.
 */
function checkVenueReleaseKey(key: Uint8Array, grants: readonly VenueRequestGrant[]): Uint8Array {
  const zero = key.length === 32 && key.every((b) => b === 0);
  if (grants.includes("contacts") === zero) {
    throw new ProtocolError(
      "bad-value",
      zero
        ? "a venue request granting contacts names a release key"
        : "a venue request's release key is all zeros unless it grants contacts",
    );
  }
  return key;
}

/** 32 zero bytes: the release key of a venue request that releases nothing. */
export const NO_RELEASE_KEY: Uint8Array = new Uint8Array(32);

/**
 * The key a release for this entry is sealed to (§11.3): an exposure query's, or a venue
 * request's that grants `contacts`. Undefined for every entry no key is released for.
 */
export function releaseKeyOf(body: EntryBody): Uint8Array | undefined {
  if (body.kind === "exposure-query") return body.releaseKey;
  if (body.kind === "venue-request" && body.grants.includes("contacts")) return body.releaseKey;
  return undefined;
}

const seconds = (w: Writer, t: number, what: string) => {
  if (!Number.isSafeInteger(t) || t < 0)
    throw new ProtocolError("bad-value", `${what} is Unix seconds`);
  return w.u64(BigInt(t));
};

const readSeconds = (r: Reader, what: string): number => {
  const v = r.u64();
  if (v > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProtocolError("bad-value", `${what} out of range`);
  return Number(v);
};

export function encodeEntryBody(body: EntryBody): Uint8Array {
  const w = new Writer();
  switch (body.kind) {
    case "deployment":
      return w
        .fixed(body.registryKey, 32)
        .fixed(body.logKey, 32)
        .u16(body.retentionDays)
        .u8(body.approvalsRequired)
        .u16(body.maxWindowHours)
        .u16(body.maxEntrancesPerQuery)
        .u16(body.maxEntranceHoursPerQuery)
        .u8(body.wideQueryApprovals)
        .u16(body.maxEntranceHoursWide)
        .u16(body.maxEntranceHoursPerCase)
        .u8(body.maxQueriesPerCase)
        .u32(body.draftLifetimeSeconds)
        .finish();
    case "officer-enrolment":
      return w.fixed(body.publicKey, 32).text8(body.label, 64, "label").finish();
    case "officer-removal":
      return w.fixed(body.publicKey, 32).finish();
    case "trustee-enrolment":
      return w
        .text8(body.trusteeId, 32, "trusteeId")
        .text8(body.url, 200, "url")
        .fixed(body.shareKey, SHARE_KEY_BYTES)
        .fixed(body.proofOfPossession, PROOF_OF_POSSESSION_BYTES)
        .fixed(body.signingKey, 32)
        .finish();
    case "trustee-removal":
      return w.text8(body.trusteeId, 32, "trusteeId").finish();
    case "witness-enrolment":
      return w.text8(body.name, 100, "name").fixed(body.publicKey, 32).finish();
    case "witness-removal":
      return w.text8(body.name, 100, "name").finish();
    case "epoch-key":
      return w
        .u16(body.day)
        .fixed(body.publicKey, SHARE_KEY_BYTES)
        .fixed(body.proofOfPossession, PROOF_OF_POSSESSION_BYTES)
        .finish();
    case "exposure-query": {
      if (body.entrances.length === 0 || body.entrances.length > 255)
        throw new ProtocolError("bad-value", "1–255 entrances");
      w.fixed(body.caseReferenceHash, 32)
        .text8(body.legalBasis, 120, "legalBasis")
        .fixed(body.legalDocumentHash, 32);
      w.u8(body.entrances.length);
      for (const e of body.entrances) w.text8(e, 32, "entrance");
      seconds(w, body.windowStart, "windowStart");
      seconds(w, body.windowEnd, "windowEnd");
      w.text8(body.reason, 200, "reason");
      return w.fixed(checkReleaseKey(body.releaseKey), 32).finish();
    }
    case "trustee-release":
      return w
        .u64(body.queryIndex)
        .text8(body.trusteeId, 32, "trusteeId")
        .u32(body.identityCount)
        .fixed(body.partialKeysHash, 32)
        .finish();
    case "exposure-warning":
      w.u64(body.queryIndex).text8(body.entranceId, 32, "entranceId");
      seconds(w, body.windowStart, "windowStart");
      return seconds(w, body.windowEnd, "windowEnd").finish();
    case "retention-receipt": {
      if (body.epochDaysDestroyed.length > 255)
        throw new ProtocolError("bad-value", "at most 255 days per receipt");
      seconds(w, body.cutoff, "cutoff")
        .u64(body.ciphertextsDeleted)
        .u8(body.epochDaysDestroyed.length);
      for (const d of body.epochDaysDestroyed) w.u16(d);
      return w.finish();
    }
    case "code-replacement":
      return w
        .text8(body.venueId, 32, "venueId")
        .text8(body.entranceId, 32, "entranceId")
        .u16(body.newVersion)
        .u8(CODE_REPLACEMENT_REASONS.indexOf(body.reason))
        .finish();
    case "entrance-issued":
      return w.text8(body.venueId, 32, "venueId").text8(body.entranceId, 32, "entranceId").finish();
    case "venue-suspension": {
      const reason = SUSPENSION_REASONS.indexOf(body.reason);
      if (reason < 0) throw new ProtocolError("bad-value", "unknown suspension reason");
      return w.text8(body.venueId, 32, "venueId").u8(reason).finish();
    }
    case "venue-reinstatement":
      return w.text8(body.venueId, 32, "venueId").finish();
    case "entrance-retired":
      return w
        .text8(body.venueId, 32, "venueId")
        .text8(body.entranceId, 32, "entranceId")
        .text8(body.replacedBy, 32, "replacedBy")
        .finish();
    case "venue-request": {
      if (body.entrances.length === 0 || body.entrances.length > 255)
        throw new ProtocolError("bad-value", "1–255 entrances");
      w.text8(body.venueId, 32, "venueId").u8(body.entrances.length);
      for (const e of body.entrances) w.text8(e, 32, "entrance");
      seconds(w, body.windowStart, "windowStart");
      seconds(w, body.windowEnd, "windowEnd");
      const reason = VENUE_REQUEST_REASONS.indexOf(body.reason);
      if (reason < 0) throw new ProtocolError("bad-value", "unknown venue request reason");
      return w
        .u8(reason)
        .u8(encodeGrants(body.grants))
        .fixed(checkVenueReleaseKey(body.releaseKey, body.grants), 32)
        .finish();
    }
  }
}

function encodeGrants(grants: readonly VenueRequestGrant[]): number {
  let bits = 0;
  for (const g of grants) {
    const i = VENUE_REQUEST_GRANTS.indexOf(g);
    if (i < 0) throw new ProtocolError("bad-value", "unknown venue request grant");
    if (bits & (1 << i)) throw new ProtocolError("bad-value", "a grant is named twice");
    bits |= 1 << i;
  }
  if (bits === 0) throw new ProtocolError("bad-value", "a venue request grants something");
  return bits;
}

function decodeGrants(bits: number): VenueRequestGrant[] {
  if (bits === 0 || bits >> VENUE_REQUEST_GRANTS.length !== 0)
    throw new ProtocolError("bad-value", "unknown or no venue request grants");
  return VENUE_REQUEST_GRANTS.filter((_, i) => bits & (1 << i));
}

export function decodeEntryBody(kind: EntryKind, bytes: Uint8Array): EntryBody {
  const r = new Reader(bytes);
  const body = readBody(kind, r);
  r.end();
  return body;
}

function readBody(kind: EntryKind, r: Reader): EntryBody {
  switch (kind) {
    case "deployment":
      return {
        kind,
        registryKey: r.fixed(32),
        logKey: r.fixed(32),
        retentionDays: r.u16(),
        approvalsRequired: r.u8(),
        maxWindowHours: r.u16(),
        maxEntrancesPerQuery: r.u16(),
        maxEntranceHoursPerQuery: r.u16(),
        wideQueryApprovals: r.u8(),
        maxEntranceHoursWide: r.u16(),
        maxEntranceHoursPerCase: r.u16(),
        maxQueriesPerCase: r.u8(),
        draftLifetimeSeconds: r.u32(),
      };
    case "officer-enrolment":
      return { kind, publicKey: r.fixed(32), label: r.text8(64, "label") };
    case "officer-removal":
      return { kind, publicKey: r.fixed(32) };
    case "trustee-enrolment":
      return {
        kind,
        trusteeId: r.text8(32, "trusteeId"),
        url: r.text8(200, "url"),
        shareKey: r.fixed(SHARE_KEY_BYTES),
        proofOfPossession: r.fixed(PROOF_OF_POSSESSION_BYTES),
        signingKey: r.fixed(32),
      };
    case "trustee-removal":
      return { kind, trusteeId: r.text8(32, "trusteeId") };
    case "witness-enrolment":
      return { kind, name: r.text8(100, "name"), publicKey: r.fixed(32) };
    case "witness-removal":
      return { kind, name: r.text8(100, "name") };
    case "epoch-key":
      return {
        kind,
        day: r.u16(),
        publicKey: r.fixed(SHARE_KEY_BYTES),
        proofOfPossession: r.fixed(PROOF_OF_POSSESSION_BYTES),
      };
    case "exposure-query": {
      const caseReferenceHash = r.fixed(32);
      const legalBasis = r.text8(120, "legalBasis");
      const legalDocumentHash = r.fixed(32);
      const n = r.u8();
      if (n === 0) throw new ProtocolError("bad-value", "a query names at least one entrance");
      const entrances = Array.from({ length: n }, () => r.text8(32, "entrance"));
      return {
        kind,
        caseReferenceHash,
        legalBasis,
        legalDocumentHash,
        entrances,
        windowStart: readSeconds(r, "windowStart"),
        windowEnd: readSeconds(r, "windowEnd"),
        reason: r.text8(200, "reason"),
        releaseKey: checkReleaseKey(r.fixed(32)),
      };
    }
    case "trustee-release":
      return {
        kind,
        queryIndex: r.u64(),
        trusteeId: r.text8(32, "trusteeId"),
        identityCount: r.u32(),
        partialKeysHash: r.fixed(32),
      };
    case "exposure-warning":
      return {
        kind,
        queryIndex: r.u64(),
        entranceId: r.text8(32, "entranceId"),
        windowStart: readSeconds(r, "windowStart"),
        windowEnd: readSeconds(r, "windowEnd"),
      };
    case "retention-receipt": {
      const cutoff = readSeconds(r, "cutoff");
      const ciphertextsDeleted = r.u64();
      const n = r.u8();
      return {
        kind,
        cutoff,
        ciphertextsDeleted,
        epochDaysDestroyed: Array.from({ length: n }, () => r.u16()),
      };
    }
    case "code-replacement": {
      const venueId = r.text8(32, "venueId");
      const entranceId = r.text8(32, "entranceId");
      const newVersion = r.u16();
      const reason = CODE_REPLACEMENT_REASONS[r.u8()];
      if (reason === undefined) throw new ProtocolError("bad-value", "unknown replacement reason");
      return { kind, venueId, entranceId, newVersion, reason };
    }
    case "entrance-issued":
      return { kind, venueId: r.text8(32, "venueId"), entranceId: r.text8(32, "entranceId") };
    case "venue-suspension": {
      const venueId = r.text8(32, "venueId");
      const reason = SUSPENSION_REASONS[r.u8()];
      if (reason === undefined) throw new ProtocolError("bad-value", "unknown suspension reason");
      return { kind, venueId, reason };
    }
    case "venue-reinstatement":
      return { kind, venueId: r.text8(32, "venueId") };
    case "entrance-retired":
      return {
        kind,
        venueId: r.text8(32, "venueId"),
        entranceId: r.text8(32, "entranceId"),
        replacedBy: r.text8(32, "replacedBy"),
      };
    case "venue-request": {
      const venueId = r.text8(32, "venueId");
      const n = r.u8();
      if (n === 0) throw new ProtocolError("bad-value", "a venue request names an entrance");
      const entrances = Array.from({ length: n }, () => r.text8(32, "entrance"));
      const windowStart = readSeconds(r, "windowStart");
      const windowEnd = readSeconds(r, "windowEnd");
      const reason = VENUE_REQUEST_REASONS[r.u8()];
      if (reason === undefined)
        throw new ProtocolError("bad-value", "unknown venue request reason");
      const grants = decodeGrants(r.u8());
      return {
        kind,
        venueId,
        entrances,
        windowStart,
        windowEnd,
        reason,
        grants,
        releaseKey: checkVenueReleaseKey(r.fixed(32), grants),
      };
    }
  }
}
