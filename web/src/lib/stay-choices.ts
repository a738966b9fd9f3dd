/**
 * How long a person says they will stay: one list of choices and one wording for the check-in
 * page and for staff asking at the door, so that someone without a phone is asked the same
 * question. The stay travels as the record's expectedDeparture and the
 * hour-slots it overlaps (PROTOCOL.md §4.2, §5.1): nothing else is sent for it.
 */
import type { Bi } from "./i18n.ts";
import type { Choice } from "./ui.ts";

/** Minutes; the venue code's own default stay is added where it is not one of them. */
export const STAY_CHOICES: readonly number[] = [
  15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440,
];

/** "1 h 30 min" · "1 小时 30 分钟". */
export function stayText(minutes: number): Bi {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const en = [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
  const zh = [h ? `${h} 小时` : "", m ? `${m} 分钟` : ""].filter(Boolean).join(" ");
  return { en, zh };
}

/** The choices for a select, shortest first, the venue's usual stay marked as such. */
export function stayChoices(usualMinutes: number): Choice[] {
  return [...new Set([...STAY_CHOICES, usualMinutes])]
    .filter((m) => m >= 1 && m <= 1440)
    .sort((a, b) => a - b)
    .map((m) => {
      const text = stayText(m);
      const usual = m === usualMinutes;
      return {
        value: String(m),
        label: {
          en: usual ? `${text.en} (usual here)` : text.en,
          zh: usual ? `${text.zh}（此处通常）` : text.zh,
        },
      };
    });
}
