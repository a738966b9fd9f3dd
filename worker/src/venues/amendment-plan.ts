/**
 * What an entrance amendment means for a venue's entrances: the operator's input checked against
 * them and resolved into the changes stored with the amendment (added entrances get their ids
 * here, and `added-N` pointers become those ids). The same check runs again when the registry
 * approves, so an amendment that no longer fits the venue is refused rather than half applied.
 */
import type { AmendmentInput } from "@lintel/contract";
import { newId } from "../accounts/ids.ts";
import { ProblemError } from "../problems/problem.ts";
import type { EntranceRow } from "./application-store.ts";

/** A venue has at most this many open entrances, as an application has. */
export const MAX_OPEN_ENTRANCES = 50;

interface Label {
  readonly en: string;
  readonly zh: string;
}

/** An amendment's changes as stored (JSON) and shown. */
export interface AmendmentChanges {
  readonly add: ReadonlyArray<{ readonly entranceId: string; readonly label: Label }>;
  readonly rename: ReadonlyArray<{
    readonly entranceId: string;
    readonly label: Label;
    readonly previous: Label;
  }>;
  readonly retire: ReadonlyArray<{
    readonly entranceId: string;
    readonly replacedBy: string | null;
  }>;
}

function bad(detail: string): ProblemError {
  return new ProblemError("bad-amendment", detail);
}

function unknown(pointer: string): ProblemError {
  return new ProblemError(
    "unknown-entrance",
    "The amendment names an entrance that is not one of this venue's.",
    { errors: [{ pointer, reason: "an entrance of this venue" }] },
  );
}

/** Checks `input` against the venue's entrances and fixes the ids of the entrances it adds. */
export function resolveAmendment(
  input: AmendmentInput,
  doors: readonly EntranceRow[],
): AmendmentChanges {
  const add = input.add.map((a) => ({ entranceId: newId("e"), label: a.label }));
  const byId = new Map(doors.map((d) => [d.id, d]));
  const retire = input.retire.map((r, i) => ({
    entranceId: r.entranceId,
    replacedBy: resolvePointer(r.replacedBy, add, byId, `/retire/${i}/replacedBy`),
  }));
  const rename = input.rename.map((r, i) => {
    const door = byId.get(r.entranceId);
    if (!door) throw unknown(`/rename/${i}/entranceId`);
    return {
      entranceId: r.entranceId,
      label: r.label,
      previous: { en: door.labelEn, zh: door.labelZh },
    };
  });
  const changes = { add, rename, retire };
  checkAmendment(changes, doors);
  return changes;
}

function resolvePointer(
  pointer: string | undefined,
  add: AmendmentChanges["add"],
  byId: ReadonlyMap<string, EntranceRow>,
  at: string,
): string | null {
  if (pointer === undefined) return null;
  if (pointer.startsWith("added-")) {
    const added = add[Number(pointer.slice("added-".length))];
    if (!added) throw unknown(at);
    return added.entranceId;
  }
  if (!byId.has(pointer)) throw unknown(at);
  return pointer;
}

/**
 * The rules an amendment keeps with the venue's entrances as they are now: every entrance it
 * renames or retires is one of the venue's and open, none is named twice, a retired entrance
 * points to an open entrance of the venue (not itself, not one retired now), and the venue keeps
 * between 1 and 50 open entrances.
 */
export function checkAmendment(changes: AmendmentChanges, doors: readonly EntranceRow[]): void {
  const open = new Set(doors.filter((d) => d.active === 1).map((d) => d.id));
  const known = new Set(doors.map((d) => d.id));
  const added = new Set(changes.add.map((a) => a.entranceId));
  if (changes.add.length + changes.rename.length + changes.retire.length === 0) {
    throw bad("The amendment changes nothing: add, rename or retire an entrance.");
  }
  const named = new Set<string>();
  const targets = [
    ...changes.rename.map((r, i) => ({ id: r.entranceId, at: `/rename/${i}/entranceId` })),
    ...changes.retire.map((r, i) => ({ id: r.entranceId, at: `/retire/${i}/entranceId` })),
  ];
  for (const { id, at } of targets) {
    if (!known.has(id)) throw unknown(at);
    if (!open.has(id)) throw bad("The amendment renames or retires an entrance already retired.");
    if (named.has(id))
      throw bad("The amendment names an entrance twice: rename or retire it once.");
    named.add(id);
  }
  for (const r of changes.rename) {
    const door = doors.find((d) => d.id === r.entranceId);
    if (door && door.labelEn === r.label.en && door.labelZh === r.label.zh) {
      throw bad("A renamed entrance keeps both of its names: change at least one.");
    }
  }
  const retired = new Set(changes.retire.map((r) => r.entranceId));
  for (const r of changes.retire) {
    if (r.replacedBy === null) continue;
    if (r.replacedBy === r.entranceId) {
      throw bad("A retired entrance cannot point to itself: name another entrance, or none.");
    }
    if (retired.has(r.replacedBy) || (!added.has(r.replacedBy) && !open.has(r.replacedBy))) {
      throw bad(
        "A retired entrance points to an entrance that is retired: name an open one, or none.",
      );
    }
  }
  const openAfter = open.size - retired.size + changes.add.length;
  if (openAfter < 1) {
    throw bad("The amendment retires the venue's last open entrance: keep or add one.");
  }
  if (openAfter > MAX_OPEN_ENTRANCES) {
    throw bad(`A venue has at most ${MAX_OPEN_ENTRANCES} open entrances.`);
  }
}
