/**
 * The operator page's first views: signing up (signed out), and the operator's venues with their
 * status, the registry's feedback on any sent back, and "New application".
 */
import { applicationRoutes, type RouteAnswer } from "@lintel/contract";
import { statusBadge, venueName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi } from "./i18n.ts";
import { type Go, viewLink } from "./operator-nav.ts";
import type { SignedPage } from "./page.ts";
import { Session } from "./session.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  formatTime,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  setFieldError,
  showMessage,
  showProblem,
  textField,
} from "./ui.ts";

type ApplicationSummary = RouteAnswer<
  typeof applicationRoutes.listApplications
>["applications"][number];

/** The sign-up form; `signedIn` runs once the new account's key is stored. */
export function signUpSection(page: SignedPage, signedIn: () => void): HTMLElement {
  const section = el("section", { "aria-labelledby": "sign-up-heading" });
  section.append(
    heading(
      2,
      { en: "New operator account", zh: "新建经营者账户" },
      { id: "sign-up-heading", tabindex: "-1" },
    ),
  );
  const form = el("form", { id: "sign-up-form" });
  const label = textField(
    "account-label",
    { en: "Account label", zh: "账户名称" },
    {
      required: true,
      maxLength: 60,
      autocomplete: "off",
      hint: {
        en: "A name you will recognise, not your real name: e.g. “Harbour Books front office”.",
        zh: "便于您识别的名称，不要用真实姓名，例如“海港书店前台”。",
      },
    },
  );
  const error = errorRegion("sign-up-error");
  const submit = button({ en: "Create account", zh: "创建账户" }, { id: "sign-up-submit" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);
  form.append(label.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const value = label.input.value.trim();
    if (value === "" || value.length > 60) {
      setFieldError(label.input, { en: "Enter 1–60 characters.", zh: "请输入 1–60 个字符。" });
      showMessage(error, { en: "Enter an account label.", zh: "请输入账户名称。" });
      label.input.focus();
      return;
    }
    setFieldError(label.input, null);
    try {
      page.session = await Session.signUpOperator(value, page.deployment.id);
      announce({ en: "Account created; you are signed in.", zh: "账户已创建，您已登录。" });
      signedIn();
    } catch (e) {
      showProblem(error, e);
    }
  });
  section.append(form);
  return section;
}

/** The list of the operator's applications into `section` (its heading drawn at once). */
export async function renderVenueList(
  page: SignedPage,
  section: HTMLElement,
  go: Go,
): Promise<void> {
  const error = errorRegion("applications-error");
  const body = el("div", { id: "applications-body" });
  const newButton = button({ en: "New application", zh: "新申请" }, { id: "new-application" });
  newButton.addEventListener("click", () => go({ kind: "new" }));
  const refresh = button(
    { en: "Refresh", zh: "刷新" },
    { class: "secondary", id: "refresh-list", "aria-describedby": error.id },
  );
  onActivate(refresh, async () => {
    await renderVenueList(page, section, go);
    document.getElementById("refresh-list")?.focus();
  });
  replaceChildren(
    section,
    heading(
      2,
      { en: "Your venues", zh: "您的场所" },
      { id: "applications-heading", tabindex: "-1" },
    ),
    el("div", { class: "actions" }, newButton, refresh),
    error,
    body,
  );
  try {
    const { applications } = await callSigned(page, applicationRoutes.listApplications);
    if (applications.length === 0) {
      replaceChildren(
        body,
        paragraph(
          "No applications yet. Start one with “New application”.",
          "暂无申请。请点击“新申请”开始。",
        ),
      );
      return;
    }
    const ul = el("ul", { class: "plain items", id: "application-list" });
    for (const a of applications) ul.append(applicationItem(page, a, go));
    replaceChildren(body, ul);
  } catch (e) {
    page.fail(error, e);
  }
}

function applicationItem(page: SignedPage, a: ApplicationSummary, go: Go): HTMLLIElement {
  const nameId = `name-${a.id}`;
  const name = venueName(a.name, "strong");
  name.id = nameId;
  const item = el("li", { "data-application": a.id });
  item.append(
    name,
    " ",
    statusBadge(a.status),
    el("br"),
    el("span", { class: "muted" }, formatTime(a.updatedAt, page.deployment.timezone)),
  );
  if (a.status === "rejected" && a.feedback) {
    const feedback = el("div", { class: "feedback" });
    feedback.append(
      el("strong", {}, bi("Registry feedback", "登记机构意见")),
      ": ",
      el("span", { class: "feedback-text" }, a.feedback),
    );
    item.append(feedback);
  }
  const open = viewLink(
    { kind: "venue", venue: a.id, tab: "application" },
    { en: "Open", zh: "打开" },
    go,
    { "aria-describedby": nameId, "data-open": a.id },
  );
  item.append(el("div", { class: "actions" }, open));
  return item;
}
