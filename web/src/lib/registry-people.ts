/**
 * Enrolling people from the registry page: a health-authority officer, an auditor or another
 * registry reviewer gets an account and a one-time enrolment code, handed over in person. The
 * person signs in with it on their own page (an officer on /authority/), where their browser makes
 * its key; an officer's key then goes into the public log as the officer-enrolment entry it is.
 * A new registry reviewer gets a scope (districts and sectors) from a reviewer of full scope; the
 * reviewers and their scopes are listed below (registry-reviewers.ts). Only a reviewer of full scope
 * enrols anyone: the others see why instead of the form.
 */
import { accountRoutes, isFullScope } from "@lintel/contract";
import { el } from "./dom.ts";
import { roleLabel } from "./i18n.ts";
import { oneTimeCodeBox } from "./one-time-code.ts";
import type { SignedPage } from "./page.ts";
import { renderParties } from "./registry-parties.ts";
import { renderReviewers } from "./registry-reviewers.ts";
import { isScope, myScope, scopeFields } from "./registry-scope.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  paragraph,
  selectField,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

const ROLES = ["officer", "auditor", "registry"] as const;
type EnrolledRole = (typeof ROLES)[number];

const WHERE: Readonly<Record<EnrolledRole, { en: string; zh: string }>> = {
  officer: {
    en: "They sign in on the health authority's page; their device's key is then written into the public log, and only then may it sign queries.",
    zh: "对方在卫生部门页面登录；其设备密钥随后写入公开日志，之后才能签署查询。",
  },
  auditor: {
    en: "They sign in on the auditors' page and may read what auditors read.",
    zh: "对方在审计页面登录，可查看审计人员可查看的内容。",
  },
  registry: {
    en: "They sign in on this page and review venues as you do.",
    zh: "对方在本页面登录，可与您一样审核场所。",
  },
};

/** The people view into `section`. */
export function renderPeople(page: SignedPage, section: HTMLElement): void {
  const form = el("form", { id: "person-form" });
  const role = selectField(
    "person-role",
    { en: "Role", zh: "角色" },
    ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
  );
  const label = textField(
    "person-label",
    { en: "Name and office", zh: "姓名与单位" },
    {
      required: true,
      maxLength: 120,
      autocomplete: "off",
      hint: {
        en: "As it will be shown beside their work, e.g. “Dr Chan, District Health Office”. An officer's name is public in the log.",
        zh: "将显示在其工作记录旁，例如“陈医生，区卫生办公室”。卫生官员的姓名会公开在日志中。",
      },
    },
  );
  const error = errorRegion("person-error");
  const submit = button(
    { en: "Create the account and its code", zh: "创建账户及登记码" },
    { id: "person-submit", "aria-describedby": error.id },
  );
  submit.type = "submit";
  const where = el("p", { id: "person-where", class: "muted" });
  const scope = scopeFields("person", page.deployment.districts);
  const explain = () => {
    const chosen = ROLES.find((r) => r === role.input.value) ?? "officer";
    where.replaceChildren(paragraph(WHERE[chosen].en, WHERE[chosen].zh));
    scope.element.hidden = chosen !== "registry";
  };
  role.input.addEventListener("change", explain);
  explain();
  const codeSlot = el("div", { id: "person-code" });
  const reviewers = el("div", { id: "reviewers" });
  const parties = el("div", { id: "parties" });
  const refreshReviewers = () => {
    reviewers.replaceChildren();
    renderReviewers(page, reviewers);
  };
  form.append(role.wrapper, where, label.wrapper, scope.element, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const value = label.input.value.trim();
    if (value === "") {
      setFieldError(label.input, { en: "Write their name and office.", zh: "请填写姓名与单位。" });
      showMessage(error, { en: "A name is required.", zh: "请填写姓名。" });
      label.input.focus();
      return;
    }
    setFieldError(label.input, null);
    const chosenRole = ROLES.find((r) => r === role.input.value) ?? "officer";
    const chosenScope = chosenRole === "registry" ? scope.read() : null;
    if (chosenScope !== null && !isScope(chosenScope)) {
      showMessage(error, chosenScope);
      return;
    }
    try {
      const created = await callSigned(page, accountRoutes.createAccount, {
        body: {
          role: chosenRole,
          label: value,
          ...(chosenScope === null ? {} : { scope: chosenScope }),
        },
      });
      const box = oneTimeCodeBox("person-enrolment-code", created, page.deployment.timezone, () =>
        label.input.focus(),
      );
      codeSlot.replaceChildren(box);
      label.input.value = "";
      const r = roleLabel(created.role);
      announce({ en: `${r.en} account created.`, zh: `${r.zh}账户已创建。` });
      box.focus();
      if (created.role === "registry") refreshReviewers();
    } catch (e) {
      page.fail(error, e);
    }
  });
  // Shown once the reviewer's scope is known: the service refuses the form to a partial scope.
  const enrol = el("div", { id: "person-enrol" });
  section.append(
    heading(2, { en: "People", zh: "人员" }, { id: "people-heading", tabindex: "-1" }),
    paragraph(
      "Enrol a health-authority officer, an auditor or another registry reviewer. Each gets a one-time code to sign in with; hand it over in person.",
      "为卫生部门官员、审计人员或其他登记机构审核人员办理登记。每人获得一个一次性登记码用于登录，请当面交付。",
    ),
    enrol,
    reviewers,
    parties,
  );
  void myScope(page).then(
    (mine) => {
      if (mine !== null && isFullScope(mine)) {
        enrol.append(codeSlot, form);
        return;
      }
      enrol.append(
        paragraph(
          "Officers, auditors and registry reviewers work across the whole deployment: a reviewer of every district and sector enrols them.",
          "卫生官员、审计人员和登记机构审核人员的工作涉及整个部署，由拥有全部辖区和行业监管范围的审核人员登记。",
          { id: "person-full-scope-only" },
        ),
      );
    },
    () => undefined,
  );
  renderReviewers(page, reviewers);
  renderParties(page, parties);
}
