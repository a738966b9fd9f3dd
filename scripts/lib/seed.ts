/**
 * The demo deployment's rows as SQL. Every statement is INSERT OR IGNORE keyed by a fixed id, so
 * seeding again changes nothing that exists and never touches data added since.
 */
import type { DemoIdentities } from "./demo-identities.ts";

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function insert(table: string, row: Record<string, string | number | null>): string {
  const columns = Object.keys(row);
  const values = Object.values(row).map((v) =>
    v === null ? "NULL" : typeof v === "number" ? String(v) : quote(v),
  );
  return `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${values.join(", ")});`;
}

export function seedSql(ids: DemoIdentities): string {
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
  ];
  return `${statements.join("\n")}\n`;
}
