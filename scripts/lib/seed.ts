/**
 * The demo deployment's rows that no API makes: the public keys the service publishes (the same
 * `principals.sql` as `npm run bootstrap -- genesis` writes for a real deployment, plus the demo
 * officers' and auditor's keys), and the demo venue, approved, with its entrances and their
 * registry-signed codes. Every statement is INSERT OR IGNORE keyed by a fixed id, so seeding again
 * changes nothing that exists and never touches data added since. Accounts are not here: the
 * demo makes them through the service as a real deployment does (seed-accounts.ts).
 */
import {
  decodeBase64url,
  manualCodeFor,
  newVenueCode,
  signVenueCode,
  type VenueCategory,
} from "@lintel/protocol";
import { serviceKeys, type TrusteePublic } from "./bootstrap/keys.ts";
import { principalsSql } from "./bootstrap/principals.ts";
import type { DemoIdentities } from "./demo-identities.ts";
import { insertOrIgnore as insert, quote } from "./sql.ts";

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
        venueName: { zh: ids.venue.nameZh, en: ids.venue.nameEn },
        entranceName: { zh: e.labelZh, en: e.labelEn },
        category: ids.venue.category as VenueCategory,
        askIdNumber: false,
        registryPublicKey: decodeBase64url(ids.registry.publicKey, 32),
        now,
      }),
      registry,
    );
    const row = { entrance_id: e.id, version: 1, signed, manual_code: manualCodeFor(signed) };
    return [insert("entrance_codes", row), replaceWithdrawnCode(row)].join("\n");
  });
}

/**
 * A demo state kept from before venue codes carried each name in both languages holds codes of
 * the withdrawn version 1 (byte 1 of the signed code), which every device now refuses: those are
 * replaced by this run's. Nothing else is touched.
 */
function replaceWithdrawnCode(row: {
  entrance_id: string;
  version: number;
  signed: Uint8Array;
  manual_code: string;
}): string {
  return `UPDATE entrance_codes SET signed = X'${Buffer.from(row.signed).toString("hex")}', manual_code = ${quote(row.manual_code)} WHERE entrance_id = ${quote(row.entrance_id)} AND version = ${row.version} AND substr(signed, 2, 1) = X'01';`;
}

/** The trustees' public material as each handed it over (`npm run bootstrap -- trustee`). */
export function demoTrusteesPublic(
  ids: DemoIdentities,
  trusteeUrls: Readonly<Record<string, string>>,
): TrusteePublic[] {
  return ids.trustees.map((t) => ({
    format: "lintel-trustee-public/1",
    id: t.id,
    url: trusteeUrls[t.id] ?? `http://127.0.0.1/trustee/${t.id}`,
    shareKey: t.publicKey,
    proofOfPossession: t.proofOfPossession,
    signingKey: t.signingPublicKey,
  }));
}

export function seedSql(ids: DemoIdentities, logOrigin: string, now = new Date()): string {
  const service = serviceKeys("demo", logOrigin, {
    registry: ids.registry,
    log: ids.log,
    receipt: ids.receipt,
    dataKey: ids.dataKey,
  }).public;
  const principal = (role: string, p: { id: string; label: string; publicKey: string }) =>
    insert("principals", {
      id: p.id,
      role,
      label: p.label,
      public_key: p.publicKey,
      proof_of_possession: null,
    });
  const statements = [
    principalsSql({
      service,
      trustees: demoTrusteesPublic(ids, {}),
      trusteeNames: Object.fromEntries(ids.trustees.map((t) => [t.id, t.label])),
    }).trimEnd(),
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
