/**
 * A registry reviewer's scope on the registry page: which districts (the local governments) and
 * which sectors (the trades' regulators) they supervise. The service filters every list by it
 * and refuses a venue outside it as missing; the page says so, shows the signed-in reviewer's
 * scope under the account box, and lets a reviewer of full scope choose another's.
 */
import {
  accountRoutes,
  isFullScope,
  type ReviewerScope,
  SECTORS,
  type Sector,
} from "@lintel/contract";
import { el } from "./dom.ts";
import { type Bi, bi, tr } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { checkbox } from "./ui.ts";

export const SECTOR_LABELS: Readonly<Record<Sector, Bi>> = {
  education: { en: "Education", zh: "教育" },
  health: { en: "Health", zh: "卫生健康" },
  transport: { en: "Transport", zh: "交通运输" },
  commerce: { en: "Commerce and markets", zh: "商务与市场监管" },
  "culture-tourism": { en: "Culture, sports and tourism", zh: "文化体育和旅游" },
  other: { en: "Other", zh: "其他" },
};

type Districts = readonly { readonly id: string; readonly name: Bi }[];

export function districtLabel(districts: Districts, id: string): Bi {
  return districts.find((d) => d.id === id)?.name ?? { en: id, zh: id };
}

function listOf(labels: readonly Bi[]): Bi {
  return {
    en: labels.map((l) => l.en).join(", "),
    zh: labels.map((l) => l.zh).join("、"),
  };
}

/** "Harbour District; Education", or every district and sector. */
export function scopeLabel(scope: ReviewerScope, districts: Districts): Bi {
  const d =
    scope.districts === null
      ? { en: "every district", zh: "全部辖区" }
      : listOf(scope.districts.map((id) => districtLabel(districts, id)));
  const s =
    scope.sectors === null
      ? { en: "every sector", zh: "全部行业" }
      : listOf(scope.sectors.map((x) => SECTOR_LABELS[x]));
  return { en: `${d.en}; ${s.en}`, zh: `${d.zh}；${s.zh}` };
}

let mine: Promise<ReviewerScope | null> | undefined;

/** The signed-in reviewer's own scope (GET /api/auth/me), asked once per sign-in. */
export function myScope(page: SignedPage): Promise<ReviewerScope | null> {
  mine ??= callSigned(page, accountRoutes.me).then(
    (me) => me.scope,
    (e: unknown) => {
      mine = undefined;
      throw e;
    },
  );
  return mine;
}

/** Forgets the scope asked for: after signing out, or when another reviewer signs in. */
export function forgetMyScope(): void {
  mine = undefined;
}

/** "Your scope: …", filled once known. */
export function scopeLine(page: SignedPage): HTMLElement {
  const line = el("p", { id: "my-scope", class: "muted" });
  myScope(page).then(
    (scope) => {
      if (scope === null) return;
      const label = scopeLabel(scope, page.deployment.districts);
      line.replaceChildren(bi(`Your scope: ${label.en}.`, `您的监管范围：${label.zh}。`));
    },
    // The views say what failed; the line just stays empty.
    () => undefined,
  );
  return line;
}

/** The message for a venue the service says is missing, which may be outside the scope. */
export function missingVenueText(scope: ReviewerScope | null, districts: Districts): Bi {
  if (scope === null || isFullScope(scope)) {
    return { en: "There is no such application.", zh: "没有这个申请。" };
  }
  const label = scopeLabel(scope, districts);
  return {
    en: `No such application in your scope (${label.en}). A venue of another district or sector is for its own supervisors.`,
    zh: `您的监管范围（${label.zh}）内没有这个申请。其他辖区或行业的场所由其监管人员负责。`,
  };
}

export interface ScopeFields {
  readonly element: HTMLFieldSetElement;
  /** The chosen scope, or what to fix. */
  read(): ReviewerScope | Bi;
}

/**
 * Checkboxes for a scope: "every district" or some, "every sector" or some. Ticking "every"
 * greys out the single ones, which keep their ticks for when it is unticked.
 */
export function scopeFields(
  idPrefix: string,
  districts: Districts,
  initial: ReviewerScope = { districts: null, sectors: null },
): ScopeFields {
  const group = <T extends string>(
    part: string,
    legend: Bi,
    every: Bi,
    values: readonly T[],
    label: (v: T) => Bi,
    chosen: readonly T[] | null,
  ) => {
    const fs = el("fieldset", { class: "scope-group" });
    fs.append(el("legend", {}, bi(legend.en, legend.zh)));
    const all = checkbox(`${idPrefix}-${part}-all`, bi(every.en, every.zh), chosen === null);
    const allInput = all.querySelector("input")!;
    const boxes = values.map((v) => {
      const box = checkbox(
        `${idPrefix}-${part}-${v}`,
        bi(label(v).en, label(v).zh),
        chosen?.includes(v) ?? false,
      );
      box.querySelector("input")!.value = v;
      return box;
    });
    const sync = () => {
      for (const b of boxes) b.querySelector("input")!.disabled = allInput.checked;
    };
    allInput.addEventListener("change", sync);
    sync();
    fs.append(all, ...boxes);
    const read = (): T[] | null =>
      allInput.checked
        ? null
        : values.filter((v, i) => boxes[i]!.querySelector("input")!.checked && v !== undefined);
    return { fs, read };
  };
  const d = group(
    "district",
    { en: "Districts", zh: "辖区" },
    { en: "Every district", zh: "全部辖区" },
    districts.map((x) => x.id),
    (id) => districtLabel(districts, id),
    initial.districts,
  );
  const s = group(
    "sector",
    { en: "Sectors", zh: "行业" },
    { en: "Every sector", zh: "全部行业" },
    SECTORS,
    (x) => SECTOR_LABELS[x],
    initial.sectors,
  );
  const element = el("fieldset", { id: `${idPrefix}-scope`, class: "scope" });
  element.append(el("legend", {}, bi("What they supervise", "监管范围")), d.fs, s.fs);
  return {
    element,
    read: () => {
      const chosen = { districts: d.read(), sectors: s.read() };
      if (chosen.districts?.length === 0) {
        return {
          en: "Tick at least one district, or every district.",
          zh: "请至少勾选一个辖区，或全部辖区。",
        };
      }
      if (chosen.sectors?.length === 0) {
        return {
          en: "Tick at least one sector, or every sector.",
          zh: "请至少勾选一个行业，或全部行业。",
        };
      }
      return chosen;
    },
  };
}

/** Whether `read()` gave a scope rather than a message. */
export function isScope(x: ReviewerScope | Bi): x is ReviewerScope {
  return "districts" in x;
}

/** For plain-text places (an option, a title). */
export function scopeText(scope: ReviewerScope, districts: Districts): string {
  return tr(scopeLabel(scope, districts));
}
