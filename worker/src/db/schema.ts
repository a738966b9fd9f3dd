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
    status: text("status", { enum: ["submitted", "rejected", "approved", "suspended"] }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull().default(sql`(unixepoch())`),
  },
  (t) => [index("venues_status").on(t.status)],
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
