/**
 * What the staff page's views share: the entrance being worked (verified on this device), what a
 * view sends, and the page's services a view calls on (sending, failing, the door line at its
 * top). The views themselves are staff-proxy.ts and staff-paper.ts; the door picker is
 * staff-door.ts.
 */
import type {
  ScannedCode,
  StaffCheckInResult,
  StaffPerson,
  StaffRecordedBy,
} from "@lintel/client-sdk";
import type { operatorRoutes, RouteAnswer } from "@lintel/contract";
import type { ContactInputs } from "./staff-contact.ts";
import { button } from "./ui.ts";

/** One of the staff member's own entrances, as the API contract declares it. */
export type StaffEntrance = RouteAnswer<typeof operatorRoutes.staffEntrances>["entrances"][number];

/** The entrance being worked, with its registry-signed code verified on this device. */
export interface Door {
  readonly entrance: StaffEntrance;
  readonly code: ScannedCode;
}

/** One check-in as a view asks for it; the door is the one the view was made for. */
export interface Submission {
  readonly door: Door;
  readonly recordedBy: StaffRecordedBy;
  readonly person: StaffPerson;
  readonly arrival?: Date;
  readonly stayMinutes?: number;
}

/** The page, as the views at a door see it. */
export interface StaffDesk {
  /** The deployment's time zone: a paper list and the door's clock are in it. */
  readonly timeZone: string;
  /** Encrypts on this device and sends; resolves with what the door may show. */
  send(submission: Submission): Promise<StaffCheckInResult>;
  /** Shows `e` in `region`, or goes back to sign-in when the session ended. */
  fail(region: HTMLElement, e: unknown): void;
  /** A new "checking in at …" line, put at the top of each view so the door is never a guess. */
  doorLine(): HTMLElement;
}

/** "Clear the form": drops what was typed (a row that was refused, say) without sending it. */
export function clearButton(id: string, clear: () => void): HTMLButtonElement {
  const b = button({ en: "Clear the form", zh: "清空表单" }, { id, class: "secondary" });
  b.addEventListener("click", clear);
  return b;
}

export function contactWrappers(inputs: ContactInputs): HTMLElement[] {
  return [
    inputs.name.wrapper,
    inputs.phone.wrapper,
    ...(inputs.idNumber ? [inputs.idNumber.wrapper] : []),
  ];
}
