/**
 * The door picker: which of the staff member's entrances this device is checking people in at.
 *
 * The entrances come in the order the operator listed them in the venue's application. The one
 * chosen is remembered on this device for the account (staff-door-memory.ts) and chosen again on
 * the next load; when it is no longer one of the account's open entrances, the first in the
 * operator's order is taken and the page says so. Each entrance's registry-signed code is fetched
 * and verified on this device before anyone can be checked in there, and every view at the door
 * carries a line naming the entrance, with a way back to the picker: nobody checks people in at
 * the wrong door without seeing it.
 */

import { callRoute, type DeploymentInfo, LintelError, readCode } from "@lintel/client-sdk";
import { citizenRoutes } from "@lintel/contract";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi, biOf } from "./i18n.ts";
import { endsSession, serviceDetail } from "./problems.ts";
import type { Door, StaffEntrance } from "./staff-desk.ts";
import { rememberDoor, rememberedDoor } from "./staff-door-memory.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  paragraph,
  selectField,
  showMessage,
} from "./ui.ts";

export interface DoorPickerOptions {
  /** The memory's scope: the deployment and the signed-in account. */
  readonly deployment: string;
  readonly accountId: string;
  /** The account's open entrances (GET /api/staff/entrances). */
  readonly load: () => Promise<StaffEntrance[]>;
  /** The deployment whose registry key verifies an entrance's code. */
  readonly trust: () => Promise<DeploymentInfo>;
  /** The old door's views go (camera off, forms gone) before another door is opened. */
  readonly onLeave: () => void;
  /** The door is open: show its views; `doorLine` makes the line at the top of each. */
  readonly onDoor: (door: Door, doorLine: () => HTMLElement) => void;
  readonly fail: (region: HTMLElement, e: unknown) => void;
}

const PICKER_ID = "entrance";

export function entranceText(e: StaffEntrance): Bi {
  return { en: `${e.venue.name.en} — ${e.label.en}`, zh: `${e.venue.name.zh} — ${e.label.zh}` };
}

/** The entrance's current code, fetched and verified against the registry's key on this device. */
export async function openDoor(
  entrance: StaffEntrance,
  trust: () => Promise<DeploymentInfo>,
): Promise<Door> {
  const [deployment, answer] = await Promise.all([
    trust(),
    callRoute({ baseUrl: location.origin }, citizenRoutes.entranceCode, {
      params: { id: entrance.id },
    }),
  ]);
  const code = readCode(answer.url, {
    registryVerifierKey: deployment.registry.verifierKey,
    deployment: deployment.id,
  });
  if (code.code.entranceId !== entrance.id) {
    throw new LintelError("unknown-code", "The service answered with another entrance's code.");
  }
  return { entrance, code };
}

/** "Checking people in at: Venue — Entrance", and "Change entrance" where there is a choice. */
function doorLine(entrance: StaffEntrance, canChange: boolean): HTMLElement {
  const line = el(
    "p",
    { class: "door-line", "data-door": entrance.id },
    bi("Checking people in at", "当前登记入口"),
    ": ",
    el("strong", { class: "venue-name" }, biOf(entranceText(entrance))),
  );
  if (canChange) {
    const change = button(
      { en: "Change entrance", zh: "更换入口" },
      { class: "secondary change-door", "aria-controls": PICKER_ID },
    );
    change.addEventListener("click", () => {
      const picker = document.getElementById(PICKER_ID);
      picker?.scrollIntoView({ block: "center" });
      picker?.focus();
    });
    line.append(" ", change);
  }
  return line;
}

export async function renderDoorPicker(
  section: HTMLElement,
  options: DoorPickerOptions,
): Promise<void> {
  const error = errorRegion("where-error");
  replaceChildren(
    section,
    heading(
      2,
      { en: "Your entrance", zh: "您所在的入口" },
      { id: "where-heading", tabindex: "-1" },
    ),
    error,
    paragraph("Loading…", "加载中…", { class: "muted" }),
  );
  let entrances: StaffEntrance[];
  try {
    entrances = await options.load();
  } catch (e) {
    section.lastElementChild?.remove();
    options.fail(error, e);
    return;
  }
  section.lastElementChild?.remove();
  if (entrances.length === 0) {
    section.append(
      paragraph(
        "This account is not bound to any open entrance. Ask your venue's operator.",
        "此账户未绑定任何开放的入口，请联系场所经营者。",
      ),
    );
    return;
  }
  const where = el("p", { id: "where-now", class: "where", "aria-live": "polite" });
  const canChange = entrances.length > 1;
  // Only the last choice counts: a door still being verified when another is picked is dropped.
  let latest = 0;
  const choose = async (entrance: StaffEntrance) => {
    const mine = ++latest;
    rememberDoor(options.deployment, options.accountId, entrance.id);
    clearRegion(error);
    options.onLeave();
    replaceChildren(where, bi("Checking the entrance's code…", "正在核验入口的场所码…"));
    try {
      const door = await openDoor(entrance, options.trust);
      if (mine !== latest) return;
      replaceChildren(
        where,
        bi("Checking people in at", "当前登记入口"),
        ": ",
        el("strong", { class: "venue-name" }, biOf(entranceText(entrance))),
      );
      where.dataset.door = entrance.id;
      options.onDoor(door, () => doorLine(entrance, canChange));
    } catch (e) {
      if (mine !== latest) return;
      replaceChildren(where);
      delete where.dataset.door;
      if (e instanceof LintelError && !endsSession(e) && e.status === undefined) {
        // Found on this device: the code did not verify against the registry's key.
        showMessage(error, {
          en: "This entrance's code could not be verified. Do not check anyone in; tell the venue operator.",
          zh: "无法核验该入口的场所码。请勿登记，并告知场所经营者。",
        });
        error.append(...serviceDetail(e));
        return;
      }
      options.fail(error, e);
    }
  };

  const remembered = rememberedDoor(options.deployment, options.accountId);
  const kept = entrances.find((e) => e.id === remembered);
  const first = kept ?? entrances[0]!;
  const notes: HTMLElement[] = [];
  if (remembered !== undefined && !kept) {
    const gone = {
      en: "The entrance this device last worked at is no longer one of this account's open entrances. It now works at the first entrance in the operator's list: check that it is the one you are at.",
      zh: "本设备上次使用的入口已不再是此账户的开放入口。现已改为经营者列表中的第一个入口，请确认这是您所在的入口。",
    };
    notes.push(paragraph(gone.en, gone.zh, { id: "where-note", class: "note" }));
    announce(gone);
  }
  if (canChange) {
    const select = selectField(
      PICKER_ID,
      { en: "Entrance you are at", zh: "您所在的入口" },
      entrances.map((e) => ({ value: e.id, label: entranceText(e) })),
      { value: first.id },
    );
    select.input.addEventListener("change", () => {
      const chosen = entrances.find((e) => e.id === select.input.value);
      if (chosen) void choose(chosen);
    });
    section.append(...notes, select.wrapper, where);
  } else {
    section.append(...notes, where);
  }
  await choose(first);
}
