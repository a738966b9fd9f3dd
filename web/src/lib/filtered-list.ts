/**
 * A section that lists items of one status, with a status filter (and, for some lists, a box that
 * narrows it further): the registry's review queue and its reports inbox are both this. Loading
 * announces the count to screen readers; a failure shows beside the filter.
 */
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  selectField,
} from "./ui.ts";

export interface FilteredList<T, S extends string> {
  readonly id: string;
  readonly heading: Bi;
  readonly intro?: Bi;
  readonly filterLabel: Bi;
  readonly statuses: ReadonlyArray<{ value: S; label: Bi }>;
  readonly initial: S;
  /** A checkbox that narrows the list; `qualify` says so in the count ("approved, with …"). */
  readonly narrow?: { readonly label: Bi; readonly qualify: (status: Bi) => Bi };
  readonly fetch: (status: S, narrowed: boolean) => Promise<readonly T[]>;
  readonly count: (status: Bi, n: number) => Bi;
  readonly item: (value: T, reload: () => Promise<void>) => HTMLLIElement;
  /** The list element's id (kept stable for tests and skip targets). */
  readonly listId: string;
}

/** Renders the section; returns a function that reloads it with the status now selected. */
export function renderFilteredList<T, S extends string>(
  page: SignedPage,
  section: HTMLElement,
  spec: FilteredList<T, S>,
): () => Promise<void> {
  const form = el("form", { class: "filter", id: `${spec.id}-filter` });
  const status = selectField(`${spec.id}-status`, spec.filterLabel, spec.statuses, {
    value: spec.initial,
  });
  const show = button({ en: "Show", zh: "显示" }, { id: `${spec.id}-show` });
  show.type = "submit";
  const narrow = spec.narrow
    ? checkbox(`${spec.id}-narrow`, bi(spec.narrow.label.en, spec.narrow.label.zh))
    : null;
  const narrowed = () => narrow?.querySelector("input")?.checked === true;
  form.append(status.wrapper, ...(narrow ? [narrow] : []), show);
  const error = errorRegion(`${spec.id}-error`);
  const body = el("div", { id: `${spec.id}-body` });

  /** The status chosen in the filter (one of the list's own, whatever the select holds). */
  const chosen = (): S =>
    spec.statuses.find((s) => s.value === status.input.value)?.value ?? spec.initial;
  const load = async (value: S, narrowedNow: boolean): Promise<Bi | null> => {
    clearRegion(error);
    try {
      const items = await spec.fetch(value, narrowedNow);
      const label = spec.statuses.find((s) => s.value === value)?.label ?? { en: value, zh: value };
      const count = spec.count(
        narrowedNow && spec.narrow ? spec.narrow.qualify(label) : label,
        items.length,
      );
      const list = el("ul", { class: "plain items", id: spec.listId });
      for (const item of items) {
        list.append(
          spec.item(item, async () => {
            await load(value, narrowedNow);
          }),
        );
      }
      replaceChildren(
        body,
        el("p", { class: "muted", id: `${spec.id}-count` }, bi(count.en, count.zh)),
        items.length > 0 && list,
      );
      return count;
    } catch (e) {
      page.fail(error, e);
      return null;
    }
  };
  onSubmit(form, async () => {
    const count = await load(chosen(), narrowed());
    if (count) announce(count);
  });
  section.append(
    heading(2, spec.heading, { id: `${spec.id}-heading`, tabindex: "-1" }),
    ...(spec.intro ? [paragraph(spec.intro.en, spec.intro.zh, { class: "muted" })] : []),
    form,
    error,
    body,
  );
  void load(spec.initial, false);
  return async () => {
    await load(chosen(), narrowed());
  };
}
