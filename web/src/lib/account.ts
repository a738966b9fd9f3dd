/**
 * The signed-in / signed-out part of the operator and registry pages: signing in with a one-time
 * enrolment code, and "signed in as … · sign out".
 */
import { bi, roleLabel } from "./i18n.ts";
import { Session } from "./session.ts";
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

/** Where each role works. */
const PAGES: Readonly<Record<string, string>> = {
  operator: "/operator/",
  registry: "/registry/",
  officer: "/authority/",
  kiosk: "/kiosk/",
};

export const NO_PASSWORD_NOTE = {
  en:
    "There are no passwords. This browser makes a signing key that cannot be copied out of it " +
    "and signs every request with it. Clearing the browser's site data signs you out.",
  zh: "本服务不使用密码。本浏览器生成一把无法导出的签名密钥，并用它签署每个请求。清除浏览器的网站数据会使您退出登录。",
};

/**
 * The "sign in with an enrolment code" form. A code for an account of another role still signs
 * that account in on this browser; the page says where that account works.
 */
export function enrolSection(options: {
  readonly deployment: string;
  readonly role: string;
  readonly onSignedIn: (session: Session) => void;
}): HTMLElement {
  const section = document.createElement("section");
  section.setAttribute("aria-labelledby", "enrol-heading");
  section.append(
    heading(
      2,
      { en: "Sign in with an enrolment code", zh: "使用登记码登录" },
      { id: "enrol-heading" },
    ),
  );
  const form = document.createElement("form");
  form.id = "enrol-form";
  const code = textField(
    "enrolment-code",
    { en: "Enrolment code", zh: "登记码" },
    {
      required: true,
      maxLength: 40,
      autocomplete: "one-time-code",
      hint: {
        en: "The one-time code you were handed in person, e.g. ABCD-EFGH-JKMN-PQRS.",
        zh: "当面交给您的一次性登记码，例如 ABCD-EFGH-JKMN-PQRS。",
      },
    },
  );
  code.input.spellcheck = false;
  code.input.setAttribute("autocapitalize", "characters");
  const error = errorRegion("enrol-error");
  const submit = button({ en: "Sign in", zh: "登录" }, { id: "enrol-submit" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);
  form.append(code.wrapper, error, submit);
  onSubmit(form, async () => {
    clearRegion(error);
    const value = code.input.value.trim();
    if (value === "") {
      setFieldError(code.input, { en: "Enter the code.", zh: "请输入登记码。" });
      showMessage(error, { en: "Enter the enrolment code.", zh: "请输入登记码。" });
      code.input.focus();
      return;
    }
    setFieldError(code.input, null);
    try {
      const session = await Session.enrol(value, options.deployment);
      if (session.account.role !== options.role) {
        const role = roleLabel(session.account.role);
        const page = PAGES[session.account.role];
        error.replaceChildren(
          paragraph(
            `This code was for a ${role.en} account. It is now signed in on this browser.`,
            `此登记码属于${role.zh}账户，该账户已在本浏览器登录。`,
          ),
        );
        if (page) {
          const link = document.createElement("a");
          link.href = page;
          link.append(bi(`Go to the ${role.en} page`, `前往${role.zh}页面`));
          const p = document.createElement("p");
          p.append(link);
          error.append(p);
        }
        return;
      }
      code.input.value = "";
      announce({ en: "Signed in.", zh: "已登录。" });
      options.onSignedIn(session);
    } catch (e) {
      showProblem(error, e);
    }
  });
  section.append(form);
  return section;
}

/** "Signed in as <label>", until when, and the sign-out button. */
export function accountSection(
  session: Session,
  timeZone: string,
  onSignedOut: () => void,
): HTMLElement {
  const section = document.createElement("section");
  section.className = "account";
  section.setAttribute("aria-labelledby", "account-heading");
  section.append(heading(2, { en: "Your account", zh: "您的账户" }, { id: "account-heading" }));
  const who = document.createElement("p");
  who.id = "signed-in-as";
  const label = document.createElement("strong");
  label.className = "account-label";
  label.textContent = session.account.label;
  who.append(bi("Signed in as", "当前登录"), ": ", label);
  const at = formatTime(session.account.expiresAt, timeZone);
  const until = paragraph(
    `This browser stays signed in until ${at} at the latest.`,
    `本浏览器最迟在 ${at} 退出登录。`,
    { class: "muted" },
  );
  const error = errorRegion("sign-out-error");
  const signOut = button(
    { en: "Sign out", zh: "退出登录" },
    { id: "sign-out", class: "secondary" },
  );
  signOut.setAttribute("aria-describedby", error.id);
  onActivate(signOut, async () => {
    clearRegion(error);
    try {
      await session.signOut();
      announce({ en: "Signed out.", zh: "已退出登录。" });
      onSignedOut();
    } catch (e) {
      showProblem(error, e);
    }
  });
  section.append(who, until, error, signOut);
  return section;
}
