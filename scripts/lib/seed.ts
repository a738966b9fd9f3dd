/**
 * The demo deployment's rows as SQL. Every statement is INSERT OR IGNORE keyed by a fixed id, so
 * seeding again changes nothing that exists and never touches data added since.
 */
import {
  decodeBase64url,
  deviceKeyId,
  enrolmentCodeHash,
  manualCodeFor,
  newVenueCode,
  signVenueCode,
  toHex,
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

/**
 * The demo registry reviewer: its account, its device (renewed on every run so that it never
 * expires while the demo is used), and a fresh one-time enrolment code for signing in from a
 * browser, printed by `npm run dev`.
 */
export function registryStaffSql(
  ids: DemoIdentities,
  enrolmentCode: string,
  now = new Date(),
): string {
  const at = Math.floor(now.getTime() / 1000);
  const staff = ids.registryStaff;
  const publicKey = decodeBase64url(staff.devicePublicKey, 32);
  return [
    insert("accounts", {
      id: staff.accountId,
      role: "registry",
      label: staff.label,
      created_at: at,
    }),
    `INSERT INTO devices (id, account_id, public_key, key_id, created_at, last_used_at, expires_at)
       VALUES (${quote("d-registry-demo")}, ${quote(staff.accountId)}, ${quote(staff.devicePublicKey)},
               ${quote(toHex(deviceKeyId("demo", publicKey)))}, ${at}, ${at}, ${at + 30 * 86_400})
       ON CONFLICT (id) DO UPDATE SET last_used_at = excluded.last_used_at,
         expires_at = excluded.expires_at, revoked_at = NULL;`,
    insert("enrolment_codes", {
      code_hash: enrolmentCodeHash(enrolmentCode),
      account_id: staff.accountId,
      created_by: staff.accountId,
      created_at: at,
      expires_at: at + 3 * 86_400,
    }),
    "",
  ].join("\n");
}

/**
 * The demo officers' accounts, each with one device whose key is the officer's demo key — the key
 * the demo log enrols (seed-log.ts) and `lintel-authority --officer officer-a` signs with. Renewed
 * on every run, like the registry reviewer's device.
 */
export function officerAccountsSql(ids: DemoIdentities, now = new Date()): string {
  const at = Math.floor(now.getTime() / 1000);
  return [
    ...ids.officers.flatMap((o) => [
      insert("accounts", { id: `a-demo-${o.id}`, role: "officer", label: o.label, created_at: at }),
      `INSERT INTO devices (id, account_id, public_key, key_id, created_at, last_used_at, expires_at)
         VALUES (${quote(`d-demo-${o.id}`)}, ${quote(`a-demo-${o.id}`)}, ${quote(o.publicKey)},
                 ${quote(toHex(deviceKeyId("demo", decodeBase64url(o.publicKey, 32))))}, ${at}, ${at}, ${at + 30 * 86_400})
         ON CONFLICT (id) DO UPDATE SET last_used_at = excluded.last_used_at,
           expires_at = excluded.expires_at, revoked_at = NULL;`,
    ]),
    "",
  ].join("\n");
}
