/**
 * The demo deployment's rows as SQL. Every statement is INSERT OR IGNORE keyed by a fixed id, so
 * seeding again changes nothing that exists and never touches data added since.
 */
import {
  decodeBase64url,
  manualCodeFor,
  newVenueCode,
  signVenueCode,
  type VenueCategory,
} from "@lintel/protocol";
import type { DemoIdentities } from "./demo-identities.ts";

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function insert(table: string, row: Record<string, string | number | Uint8Array | null>): string {
  const columns = Object.keys(row);
  const values = Object.values(row).map((v) =>
    v === null
      ? "NULL"
      : typeof v === "number"
        ? String(v)
        : v instanceof Uint8Array
          ? `X'${Buffer.from(v).toString("hex")}'`
          : quote(v),
  );
  return `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${values.join(", ")});`;
}

/**
 * Version 1 of each demo entrance's code, signed here with the demo registry key as a registry
 * would sign it on approval. INSERT OR IGNORE keeps the first run's codes (and their posters).
 */
function entranceCodeRows(ids: DemoIdentities, now: Date): string[] {
  const registry = decodeBase64url(ids.registry.secretKey, 32);
  return ids.venue.entrances.map((e) => {
    const signed = signVenueCode(
      newVenueCode({
        deployment: "demo",
        venueId: ids.venue.id,
        entranceId: e.id,
        version: 1,
        venueName: ids.venue.nameZh,
        entranceName: `${e.labelZh} ${e.labelEn}`,
        category: ids.venue.category as VenueCategory,
        askIdNumber: false,
        registryPublicKey: decodeBase64url(ids.registry.publicKey, 32),
        now,
      }),
      registry,
    );
    return insert("entrance_codes", {
      entrance_id: e.id,
      version: 1,
      signed,
      manual_code: manualCodeFor(signed),
    });
  });
}

export function seedSql(ids: DemoIdentities, now = new Date()): string {
  const principal = (
    role: string,
    p: { id: string; label: string; publicKey: string },
    pop: string | null = null,
  ) =>
    insert("principals", {
      id: p.id,
      role,
      label: p.label,
      public_key: p.publicKey,
      proof_of_possession: pop,
    });
  const statements = [
    principal("registry", ids.registry),
    principal("log", ids.log),
    ...ids.trustees.map((t) => principal("trustee", t, t.proofOfPossession)),
    ...ids.officers.map((o) => principal("officer", o)),
    principal("auditor", ids.auditor),
    insert("venues", {
      id: ids.venue.id,
      name_en: ids.venue.nameEn,
      name_zh: ids.venue.nameZh,
      category: ids.venue.category,
      status: "approved",
    }),
    ...ids.venue.entrances.map((e) =>
      insert("entrances", {
        id: e.id,
        venue_id: ids.venue.id,
        label_en: e.labelEn,
        label_zh: e.labelZh,
      }),
    ),
    ...entranceCodeRows(ids, now),
  ];
  return `${statements.join("\n")}\n`;
}
