/**
 * Reading and writing applications in D1: the venue row, its entrances and its contact (sealed
 * at rest). Shared by the operator's and the registry's routes.
 */

import { newId } from "../accounts/ids.ts";
import { loadDeployment } from "../config/deployment.ts";
import { openAtRest, sealAtRest } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";
import type { ApplicationInput } from "./application-schema.ts";
import { categoryRules, type VenueCategory } from "./categories.ts";
import type { DocumentKind, DocumentMediaType } from "./documents.ts";
import { applicationKeys } from "./match-keys.ts";
import { LICENCE_TAKEN } from "./match-store.ts";
import { districtOf, sectorOf } from "./scope.ts";
import { type VenueRow, type VenueStatus, venueEvent, venueEventIfChanged } from "./store.ts";

const contactContext = (venueId: string) => `venue-contact:${venueId}`;
const licenceContext = (venueId: string) => `venue-licence:${venueId}`;

/**
 * Every write of an application is guarded by the venue's status at the moment it runs, not by
 * an earlier read: an edit that races a submission or an approval changes nothing (the caller
 * checks the venue row's `changes`). EDITABLE is for statements on the venue row itself;
 * EDITABLE_VENUE binds the venue id as its last parameter.
 */
export const EDITABLE = "status IN ('draft', 'rejected')";
export const EDITABLE_VENUE = "(SELECT status FROM venues WHERE id = ?) IN ('draft', 'rejected')";

export interface Contact {
  readonly person: string;
  readonly phone: string;
}

export async function sealContact(env: Env, venueId: string, contact: Contact): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(contact));
  const sealed = await sealAtRest(env, contactContext(venueId), json);
  let binary = "";
  for (const b of sealed) binary += String.fromCharCode(b);
  return btoa(binary);
}

export async function openContact(env: Env, venue: VenueRow): Promise<Contact | null> {
  if (venue.contactSealed === null) return null;
  const sealed = Uint8Array.from(atob(venue.contactSealed), (ch) => ch.charCodeAt(0));
  const json = await openAtRest(env, contactContext(venue.id), sealed);
  return JSON.parse(new TextDecoder().decode(json)) as Contact;
}

/**
 * The licence number is sealed like the contact: the operator edits it and the registry reads it
 * beside the licence document, but a copy of the database shows only its keyed hash.
 */
async function sealLicence(env: Env, venueId: string, licence: string): Promise<string> {
  const sealed = await sealAtRest(env, licenceContext(venueId), new TextEncoder().encode(licence));
  let binary = "";
  for (const b of sealed) binary += String.fromCharCode(b);
  return btoa(binary);
}

export async function openLicence(env: Env, venue: VenueRow): Promise<string | null> {
  if (venue.licenceSealed === null) return null;
  const sealed = Uint8Array.from(atob(venue.licenceSealed), (ch) => ch.charCodeAt(0));
  return new TextDecoder().decode(await openAtRest(env, licenceContext(venue.id), sealed));
}

export interface EntranceRow {
  readonly id: string;
  readonly labelEn: string;
  readonly labelZh: string;
  readonly codeVersion: number;
  readonly active: number;
}

export async function entrancesOf(db: D1Database, venueId: string): Promise<EntranceRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, label_en AS labelEn, label_zh AS labelZh, code_version AS codeVersion, active
         FROM entrances WHERE venue_id = ? ORDER BY created_at, id`,
    )
    .bind(venueId)
    .all<EntranceRow>();
  return results;
}

/**
 * The statements that make the venue's row and entrances match `input`. Entrances named by id
 * are relabelled, new ones created, and ones left out removed — allowed only before approval,
 * when no code, staff or count refers to an entrance yet.
 */
export async function applicationWrites(
  env: Env,
  venueId: string,
  input: ApplicationInput,
  existing: readonly EntranceRow[],
  now: number,
): Promise<D1PreparedStatement[]> {
  const db = env.DB;
  const known = new Set(existing.map((e) => e.id));
  for (const e of input.entrances) {
    if (e.id !== undefined && !known.has(e.id)) {
      throw new ProblemError(
        "invalid-body",
        "An entrance id does not belong to this application.",
        {
          errors: [{ pointer: "/entrances", reason: "an entrance id of this application" }],
        },
      );
    }
  }
  const kept = new Set(input.entrances.flatMap((e) => (e.id === undefined ? [] : [e.id])));
  const district = chosenDistrict(env, input.district);
  const rules = categoryRules(input.category as VenueCategory);
  const keys = await applicationKeys(env, input);
  const writes: D1PreparedStatement[] = [
    db
      .prepare(
        `UPDATE venues SET name_en = ?, name_zh = ?, address = ?, category = ?, district = ?,
                ask_id_number = ?, contact_sealed = ?, licence_sealed = ?, licence_key = ?, address_key = ?,
                updated_at = ? WHERE id = ? AND ${EDITABLE}`,
      )
      .bind(
        input.name.en,
        input.name.zh,
        input.address,
        input.category,
        district,
        rules.askIdNumber ? 1 : 0,
        await sealContact(env, venueId, input.contact),
        input.licenceNumber === undefined
          ? null
          : await sealLicence(env, venueId, input.licenceNumber),
        keys.licence,
        keys.address,
        now,
        venueId,
      ),
    ...existing
      .filter((e) => !kept.has(e.id))
      .map((e) =>
        db.prepare(`DELETE FROM entrances WHERE id = ? AND ${EDITABLE_VENUE}`).bind(e.id, venueId),
      ),
  ];
  input.entrances.forEach((e, position) => {
    if (e.id !== undefined) {
      writes.push(
        db
          .prepare(
            `UPDATE entrances SET label_en = ?, label_zh = ?, created_at = ? WHERE id = ? AND ${EDITABLE_VENUE}`,
          )
          .bind(e.label.en, e.label.zh, now + position, e.id, venueId),
      );
    } else {
      writes.push(
        db
          .prepare(
            `INSERT INTO entrances (id, venue_id, label_en, label_zh, created_at)
             SELECT ?, ?, ?, ?, ? WHERE ${EDITABLE_VENUE}`,
          )
          .bind(newId("e"), venueId, e.label.en, e.label.zh, now + position, venueId),
      );
    }
  });
  return writes;
}

/**
 * The district an application names, one of the deployment's; absent (a client from before
 * districts), the first one.
 */
function chosenDistrict(env: Env, district: string | undefined): string {
  const { districts } = loadDeployment(env.LINTEL_DEPLOYMENT);
  if (district === undefined) return districts[0]!.id;
  if (!districts.some((d) => d.id === district)) {
    throw new ProblemError("invalid-body", "This deployment has no such district.", {
      errors: [{ pointer: "/district", reason: "one of the deployment's districts" }],
    });
  }
  return district;
}

export interface DocumentMeta {
  readonly kind: DocumentKind;
  readonly mediaType: DocumentMediaType;
  readonly size: number;
  readonly sha256: string;
  readonly uploadedAt: number;
}

export async function documentsOf(db: D1Database, venueId: string): Promise<DocumentMeta[]> {
  const { results } = await db
    .prepare(
      `SELECT kind, media_type AS mediaType, size, sha256, created_at AS uploadedAt
         FROM venue_documents WHERE venue_id = ? ORDER BY kind`,
    )
    .bind(venueId)
    .all<DocumentMeta>();
  return results;
}

export interface VenueEventRow {
  readonly action: string;
  readonly actorId: string;
  readonly actorLabel: string | null;
  readonly actorRole: string | null;
  readonly detail: string | null;
  readonly at: number;
}

export async function eventsOf(db: D1Database, venueId: string): Promise<VenueEventRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ev.action, ev.actor_id AS actorId, a.label AS actorLabel, a.role AS actorRole,
              ev.detail, ev.at
         FROM venue_events ev LEFT JOIN accounts a ON a.id = ev.actor_id
        WHERE ev.venue_id = ? ORDER BY ev.id`,
    )
    .bind(venueId)
    .all<VenueEventRow>();
  return results;
}

/** The whole application as the operator and the registry see it. */
export async function applicationView(env: Env, venue: VenueRow) {
  const [doors, documents, events, contact, licenceNumber] = await Promise.all([
    entrancesOf(env.DB, venue.id),
    documentsOf(env.DB, venue.id),
    eventsOf(env.DB, venue.id),
    openContact(env, venue),
    openLicence(env, venue),
  ]);
  return {
    id: venue.id,
    status: venue.status,
    name: { en: venue.nameEn, zh: venue.nameZh },
    address: venue.address,
    licenceNumber,
    category: venue.category,
    district: districtOf(loadDeployment(env.LINTEL_DEPLOYMENT), venue.district),
    sector: sectorOf(venue.category),
    askIdNumber: venue.askIdNumber === 1,
    contact,
    feedback: venue.feedback,
    suspension: venue.suspensionReason,
    updatedAt: venue.updatedAt,
    entrances: doors.map((e) => ({
      id: e.id,
      label: { en: e.labelEn, zh: e.labelZh },
      codeVersion: e.codeVersion,
      active: e.active === 1,
    })),
    documents,
    events,
  };
}

/** A new draft application: the venue row, its fields and entrances, and its event, in one batch. */
export async function createApplication(
  env: Env,
  venueId: string,
  input: ApplicationInput,
  operatorId: string,
  now: number,
): Promise<void> {
  const db = env.DB;
  const writes = await applicationWrites(env, venueId, input, [], now);
  await db.batch([
    db
      .prepare(
        `INSERT INTO venues (id, name_en, name_zh, category, status, operator_id, created_at, updated_at)
           VALUES (?, '', '', ?, 'draft', ?, ?, ?)`,
      )
      .bind(venueId, input.category, operatorId, now, now),
    ...writes,
    venueEvent(db, venueId, "created", operatorId, now),
  ]);
}

/**
 * Saves an edit of an editable application in one batch; false when the application stopped
 * being editable meanwhile (then nothing changed).
 */
export async function saveApplication(
  env: Env,
  venueId: string,
  input: ApplicationInput,
  actorId: string,
  now: number,
): Promise<boolean> {
  const db = env.DB;
  const writes = await applicationWrites(env, venueId, input, await entrancesOf(db, venueId), now);
  // The venue row's guarded update comes first; the event only if it changed a row.
  const [venueUpdate, ...entranceWrites] = writes;
  const [update] = await db.batch([
    venueUpdate!,
    venueEventIfChanged(db, venueId, "edited", actorId, now),
    ...entranceWrites,
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

/**
 * Submits a draft or rejected application for review; false when nothing changed: its status
 * changed meanwhile, or its licence number is not given or already holds a registration (checked
 * in the same statement, so an approval of another application that lands first is seen).
 */
export async function submitApplication(
  db: D1Database,
  venueId: string,
  actorId: string,
  now: number,
): Promise<boolean> {
  const [update] = await db.batch([
    db
      .prepare(
        `UPDATE venues SET status = 'submitted', updated_at = ?
          WHERE id = ? AND ${EDITABLE} AND licence_key IS NOT NULL AND NOT ${LICENCE_TAKEN}`,
      )
      .bind(now, venueId),
    venueEventIfChanged(db, venueId, "submitted", actorId, now),
  ]);
  return (update?.meta.changes ?? 0) === 1;
}

export interface OperatorApplication {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly status: VenueStatus;
  readonly feedback: string | null;
  readonly updatedAt: number;
}

/** An operator's applications, newest first. */
export async function applicationsOf(
  db: D1Database,
  operatorId: string,
): Promise<OperatorApplication[]> {
  const { results } = await db
    .prepare(
      `SELECT id, name_en AS nameEn, name_zh AS nameZh, status, feedback, updated_at AS updatedAt
         FROM venues WHERE operator_id = ? ORDER BY created_at DESC, id`,
    )
    .bind(operatorId)
    .all<OperatorApplication>();
  return results;
}
