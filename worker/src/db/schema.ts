/**
 * What is left of drizzle: the `principals` table as `routes/deployment.ts` still reads it,
 * through `client.ts`, until that route moves to `config/principals-store.ts` (worker/README.md,
 * Storage). It mirrors worker/migrations, which alone define the D1 schema; then this file goes.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const principals = sqliteTable("principals", {
  id: text("id").primaryKey(),
  role: text("role", {
    enum: ["registry", "log", "trustee", "officer", "auditor", "witness"],
  }).notNull(),
  label: text("label").notNull(),
  /** base64url; Ed25519 (32 bytes) or, for trustees, compressed BLS12-381 G2 (96 bytes). */
  publicKey: text("public_key").notNull(),
  /** Trustees only: BLS proof of possession of `publicKey` (compressed G1, base64url). */
  proofOfPossession: text("proof_of_possession"),
  createdAt: integer("created_at", { mode: "number" }).notNull(),
  revokedAt: integer("revoked_at", { mode: "number" }),
});
