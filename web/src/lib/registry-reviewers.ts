/**
 * The registry's reviewers on the People view, each with what they supervise (districts and
 * sectors). A reviewer of full scope changes another's scope here; no one changes their own (a
 * reviewer who narrowed themselves could not widen it again).
 */
import { accountRoutes, isFullScope, type ReviewerScope, type RouteAnswer } from "@lintel/contract";
import { el } from "./dom.ts";
import { bi } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { isScope, myScope, scopeFields, scopeLabel } from "./registry-scope.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onActivate,
  showMessage,
} from "./ui.ts";

type Reviewer = RouteAnswer<typeof accountRoutes.listReviewers>["reviewers"][number];

/** The reviewers' list into `section`, loaded now. */
export function renderReviewers(page: SignedPage, section: HTMLElement): void {
  const error = errorRegion("reviewers-error");
  const list = el("ul", { id: "reviewer-list", class: "plain" });
  section.append(
    heading(3, { en: "Registry reviewers", zh: "登记机构审核人员" }, { id: "reviewers-heading" }),
    error,
    list,
  );
  void load(page, list, error);
}

async function load(page: SignedPage, list: HTMLElement, error: HTMLElement): Promise<void> {
  try {
    const [{ reviewers }, scope] = await Promise.all([
      callSigned(page, accountRoutes.listReviewers),
      myScope(page),
    ]);
    const me = page.session?.account.accountId;
    const mayChange = scope !== null && isFullScope(scope);
    list.replaceChildren(
      ...reviewers.map((r) =>
        reviewerItem(page, r, mayChange && r.accountId !== me, () => load(page, list, error)),
      ),
    );
  } catch (e) {
    page.fail(error, e);
  }
}

function reviewerItem(
  page: SignedPage,
  r: Reviewer,
  mayChange: boolean,
  reload: () => Promise<void>,
): HTMLLIElement {
  const li = el("li", { "data-reviewer": r.accountId });
  const nameId = `reviewer-name-${r.accountId}`;
  const label = scopeLabel(r.scope, page.deployment.districts);
  li.append(
    // A person's name as they gave it, in whichever language: never translated.
    el("strong", { id: nameId, translate: "no" }, r.label),
    el("br"),
    el("span", { class: "muted", "data-scope": "" }, bi(label.en, label.zh)),
  );
  if (!mayChange) return li;
  const change = button(
    { en: "Change scope", zh: "更改监管范围" },
    { "aria-describedby": nameId, "data-change-scope": r.accountId, "aria-expanded": "false" },
  );
  const actions = el("div", { class: "actions" }, change);
  li.append(actions);
  change.addEventListener("click", () => {
    if (li.querySelector("form")) return;
    change.setAttribute("aria-expanded", "true");
    li.append(
      scopeForm(page, r, reload, () => {
        change.setAttribute("aria-expanded", "false");
        change.focus();
      }),
    );
    li.querySelector<HTMLInputElement>("form input")?.focus();
  });
  return li;
}

function scopeForm(
  page: SignedPage,
  r: Reviewer,
  reload: () => Promise<void>,
  closed: () => void,
): HTMLFormElement {
  const prefix = `scope-${r.accountId}`;
  const form = el("form", { id: `${prefix}-form` });
  const fields = scopeFields(prefix, page.deployment.districts, r.scope);
  const error = errorRegion(`${prefix}-error`);
  const save = button(
    { en: "Save the scope", zh: "保存监管范围" },
    { "aria-describedby": error.id },
  );
  save.type = "submit";
  const cancel = button({ en: "Cancel", zh: "取消" });
  cancel.addEventListener("click", () => {
    form.remove();
    closed();
  });
  form.append(fields.element, error, el("div", { class: "actions" }, save, cancel));
  form.addEventListener("submit", (event) => event.preventDefault());
  onActivate(save, async () => {
    clearRegion(error);
    const chosen = fields.read();
    if (!isScope(chosen)) {
      showMessage(error, chosen);
      return;
    }
    try {
      const saved: { scope: ReviewerScope } = await callSigned(
        page,
        accountRoutes.setReviewerScope,
        {
          params: { id: r.accountId },
          body: chosen,
        },
      );
      const label = scopeLabel(saved.scope, page.deployment.districts);
      announce({ en: `Scope saved: ${label.en}.`, zh: `监管范围已保存：${label.zh}。` });
      await reload();
      document.querySelector<HTMLElement>(`[data-change-scope="${r.accountId}"]`)?.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}
