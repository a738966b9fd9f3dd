/**
 * The D1 schema, in code. `npm run db:generate` turns changes here into a new SQL migration in
 * worker/migrations/ (drizzle-kit); wrangler applies migrations. Never edit an applied migration.
 *
 * Nothing here holds plaintext personal data. Venue and entrance names are a business's public
 * signage; keys are public keys; times are Unix seconds (UTC).
 */
import { sql } from "drizzle-orm";
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch())`);

/**
 * People who sign in: registry staff, venue operators and their staff, officers and auditors.
 * No names, e-mail addresses or passwords: an account is a role, a self-chosen label ("Reviewer 3",
 * "Front desk") and the device keys that sign its requests.
 */
export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    role: text("role", {
      enum: ["registry", "operator", "staff", "officer", "auditor"],
    }).notNull(),
    label: text("label").notNull(),
    /** Venue staff only: the venue whose operator enrolled them. */
    venueId: text("venue_id"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    disabledAt: integer("disabled_at", { mode: "number" }),
  },
  (t) => [
    index("accounts_venue").on(t.venueId),
    check("accounts_staff_venue", sql`(${t.role} = 'staff') = (${t.venueId} IS NOT NULL)`),
  ],
);

/**
 * Device keys: Ed25519 public keys that sign an account's requests (PROTOCOL.md §6.1). The
 * private half never leaves the device (a non-extractable WebCrypto key in browsers). A device
 * is a session: it expires when idle too long or past its absolute lifetime, and can be revoked.
 */
export const devices = sqliteTable(
  "devices",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    /** Raw Ed25519 public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** Hex of the 4-byte key id (§6.1) the statement names; not unique, only a lookup aid. */
    keyId: text("key_id").notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "number" }).notNull(),
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("devices_public_key").on(t.publicKey),
    index("devices_key_id").on(t.keyId),
    index("devices_account").on(t.accountId),
  ],
);

/** One-time enrolment codes: only their SHA-256 is stored; a code binds one new device. */
export const enrolmentCodes = sqliteTable("enrolment_codes", {
  codeHash: text("code_hash").primaryKey(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
  expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  usedAt: integer("used_at", { mode: "number" }),
});

/** Statement nonces seen within the ±300 s window (§6.1 step 4); older rows are swept. */
export const requestNonces = sqliteTable(
  "request_nonces",
  {
    deviceId: text("device_id").notNull(),
    nonce: text("nonce").notNull(),
    seenAt: integer("seen_at", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.nonce] }),
    index("request_nonces_seen").on(t.seenAt),
  ],
);

/** Parties identified by a public key: the registry, log, trustees, officers, auditors, witnesses. */
export const principals = sqliteTable(
  "principals",
  {
    id: text("id").primaryKey(),
    role: text("role", {
      enum: ["registry", "log", "trustee", "officer", "auditor", "witness"],
    }).notNull(),
    label: text("label").notNull(),
    /** base64url; Ed25519 (32 bytes) or, for trustees, compressed BLS12-381 G2 (96 bytes). */
    publicKey: text("public_key").notNull(),
    /** Trustees only: BLS proof of possession of `publicKey` (compressed G1, base64url). */
    proofOfPossession: text("proof_of_possession"),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("principals_public_key").on(t.publicKey),
    index("principals_role").on(t.role),
    check(
      "principals_pop_only_for_trustees",
      sql`(${t.role} = 'trustee') = (${t.proofOfPossession} IS NOT NULL)`,
    ),
  ],
);

export const venues = sqliteTable(
  "venues",
  {
    id: text("id").primaryKey(),
    nameEn: text("name_en").notNull(),
    nameZh: text("name_zh").notNull(),
    category: text("category").notNull(),
    status: text("status", {
      enum: ["draft", "submitted", "rejected", "approved", "suspended"],
    }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull().default(sql`(unixepoch())`),
    /** The operator account that applied; null only for venues seeded by the deployment. */
    operatorId: text("operator_id").references(() => accounts.id),
    /** The venue's public street address (signage, not personal data). */
    address: text("address").notNull().default(""),
    /**
     * The contact person and phone: personal data, so only as AES-GCM ciphertext under the
     * DATA_KEY secret (worker/src/crypto/at-rest.ts), readable by the operator and the registry.
     */
    contactSealed: text("contact_sealed"),
    /** Whether visitors must also give an ID number (set by the category, see venues/categories). */
    askIdNumber: integer("ask_id_number", { mode: "boolean" }).notNull().default(false),
    /** The registry's feedback on the latest rejection, shown to the operator until resubmission. */
    feedback: text("feedback"),
  },
  (t) => [index("venues_status").on(t.status), index("venues_operator").on(t.operatorId)],
);

export const entrances = sqliteTable(
  "entrances",
  {
    id: text("id").primaryKey(),
    venueId: text("venue_id")
      .notNull()
      .references(() => venues.id),
    labelEn: text("label_en").notNull(),
    labelZh: text("label_zh").notNull(),
    /** Bumped when a code is replaced; codes carrying an older version are refused. */
    codeVersion: integer("code_version").notNull().default(1),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /**
     * The entrance takes only its kiosk's rotating code (PROTOCOL.md §3.5): a photo of the
     * kiosk screen, or of a poster with the same code, no longer checks anyone in.
     */
    kioskRequired: integer("kiosk_required", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index("entrances_venue").on(t.venueId),
    check("entrances_version", sql`${t.codeVersion} >= 1`),
  ],
);

/** Public reports about a venue. No reporter identity and no free text: a kind and a time. */
export const reports = sqliteTable(
  "reports",
  {
    id: text("id").primaryKey(),
    venueId: text("venue_id")
      .notNull()
      .references(() => venues.id),
    entranceId: text("entrance_id").references(() => entrances.id),
    kind: text("kind", {
      enum: ["no-code-posted", "code-damaged", "staff-not-helping", "suspected-fake-code"],
    }).notNull(),
    status: text("status", { enum: ["open", "in-review", "closed"] })
      .notNull()
      .default("open"),
    /** Truncated to the hour: the exact second a person reported is nobody's business. */
    reportedHour: integer("reported_hour").notNull(),
    /** The registry account that last changed the status, and when. */
    handledBy: text("handled_by"),
    handledAt: integer("handled_at", { mode: "number" }),
  },
  (t) => [index("reports_venue").on(t.venueId), index("reports_status").on(t.status)],
);

/**
 * Witness role: the newest checkpoint this witness cosigned for each log it witnesses. The size is
 * a decimal string (u64) and every update is a compare-and-swap on it, so two concurrent
 * add-checkpoint requests can never both advance from the same old size.
 */
export const witnessedLogs = sqliteTable("witnessed_logs", {
  origin: text("origin").primaryKey(),
  size: text("size").notNull(),
  rootHash: blob("root_hash").notNull(),
  updatedAt: integer("updated_at", { mode: "number" }).notNull(),
});

/**
 * Every entrance code the registry has signed, one row per version. The newest version of an
 * entrance is the only one that checks in; older rows stay so that a scanned or typed old code
 * gets a precise "this code was replaced" answer instead of "unknown".
 */
export const entranceCodes = sqliteTable(
  "entrance_codes",
  {
    entranceId: text("entrance_id")
      .notNull()
      .references(() => entrances.id),
    version: integer("version").notNull(),
    /** payload ‖ Ed25519 signature, as in the code URL (PROTOCOL.md §3). */
    signed: blob("signed").notNull(),
    /** 11 Crockford characters derived from `signed` (PROTOCOL.md §3.4). */
    manualCode: text("manual_code").notNull(),
    issuedAt: createdAt(),
    replacedAt: integer("replaced_at", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.entranceId, t.version] }),
    uniqueIndex("entrance_codes_manual").on(t.manualCode),
  ],
);

/** Which entrances a venue staff account may check people in at. */
export const staffEntrances = sqliteTable(
  "staff_entrances",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    entranceId: text("entrance_id")
      .notNull()
      .references(() => entrances.id),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.entranceId] })],
);

/**
 * An application's documents (licence, floor plan). The bytes live in R2 as AES-GCM ciphertext
 * under DATA_KEY (a licence names its holder); this row says what they are. A new upload of the
 * same kind replaces the row; the venue's history keeps that it happened.
 */
export const venueDocuments = sqliteTable(
  "venue_documents",
  {
    venueId: text("venue_id")
      .notNull()
      .references(() => venues.id),
    kind: text("kind", { enum: ["licence", "floor-plan"] }).notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    /** SHA-256 of the plaintext, hex: lets a reviewer confirm which file they looked at. */
    sha256: text("sha256").notNull(),
    objectKey: text("object_key").notNull(),
    uploadedAt: createdAt(),
    uploadedBy: text("uploaded_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.kind] })],
);

/** Every step of a venue's life, with who and when: created, submitted, rejected, approved, … */
export const venueEvents = sqliteTable(
  "venue_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    venueId: text("venue_id")
      .notNull()
      .references(() => venues.id),
    action: text("action").notNull(),
    actorId: text("actor_id").notNull(),
    /** Registry feedback on a rejection, the reason of a code replacement; never personal data. */
    detail: text("detail"),
    at: integer("at", { mode: "number" }).notNull(),
  },
  (t) => [index("venue_events_venue").on(t.venueId, t.id)],
);

/**
 * Exposure queries filed by one officer and waiting for a second (PROTOCOL.md §11.2). The entry
 * holds the case reference only as its hash; legal basis and reason are public once logged.
 * `queryIndex` (decimal u64) is set when the approved entry is in the log.
 */
export const queryDrafts = sqliteTable(
  "query_drafts",
  {
    id: text("id").primaryKey(),
    /** The encoded exposure-query entry: as filed (one signature), then as logged (both). */
    entry: blob("entry", { mode: "buffer" }).notNull(),
    filedByAccount: text("filed_by_account")
      .notNull()
      .references(() => accounts.id),
    filedAt: createdAt(),
    status: text("status", { enum: ["awaiting-approval", "logged"] }).notNull(),
    approvedByAccount: text("approved_by_account").references(() => accounts.id),
    approvedAt: integer("approved_at", { mode: "number" }),
    queryIndex: text("query_index"),
  },
  (t) => [index("query_drafts_status").on(t.status, t.filedAt)],
);

/**
 * Trustee role: what this trustee last verified of the log (a lintel-audit-state/1 document,
 * PROTOCOL.md §10.6), advanced only by compare-and-swap on `size`. `halted` holds the
 * misbehaviour record once the log was caught forking or rolling back: from then on nothing is
 * released until an operator looks.
 */
export const trusteeLogState = sqliteTable("trustee_log_state", {
  origin: text("origin").primaryKey(),
  size: text("size").notNull(),
  state: text("state").notNull(),
  halted: text("halted"),
  updatedAt: integer("updated_at", { mode: "number" }).notNull(),
});

/** Trustee role: statement nonces of officers' release requests (officers have no device rows here). */
export const trusteeNonces = sqliteTable(
  "trustee_nonces",
  {
    keyId: text("key_id").notNull(),
    nonce: text("nonce").notNull(),
    seenAt: integer("seen_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.nonce] })],
);

/** Trustee role: the log index of this trustee's release entry for each query it released. */
export const trusteeReleases = sqliteTable("trustee_releases", {
  queryIndex: text("query_index").primaryKey(),
  releaseIndex: text("release_index").notNull(),
  releasedAt: integer("released_at", { mode: "number" }).notNull(),
});
