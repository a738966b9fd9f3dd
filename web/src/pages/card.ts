/**
 * The citizen-card page: a family member or community worker types a person's name, phone and
 * (optionally) ID number; the browser seals them to the health authority's box key
 * (crypto_box_seal, PROTOCOL.md §5.4) and shows the card — a QR code and the masked name only —
 * ready to print. Nothing is sent to the service: the only request is GET /api/deployment for the
 * authority's key. The typed details are cleared from the form as soon as the card is made and
 * never enter the page as text.
 */

import { callRoute, LintelError } from "@lintel/client-sdk";
import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import { authorityKeyId, cardToText, decodeBase64url, toHex } from "@lintel/protocol";
import { issueCitizenCard, ready } from "@lintel/protocol/seal";
import { showAuthorityContact } from "../lib/authority-contact.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import { loadExposureWatch } from "../lib/exposure-watch-loader.ts";
import { bi, biText, tr } from "../lib/i18n.ts";
import { clearContact, contactInputs, readContact } from "../lib/staff-contact.ts";
import { showStaffProblem } from "../lib/staff-problems.ts";
import { cardQr } from "../lib/staff-qr.ts";
import { localDate } from "../lib/staff-time.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  showMessage,
} from "../lib/ui.ts";

type CardDeployment = RouteAnswer<typeof citizenRoutes.deployment>;

const maker = document.getElementById("card-maker")!;
const output = document.getElementById("card-output")!;
const pageError = document.getElementById("page-error")!;

async function start(): Promise<void> {
  let deployment: CardDeployment;
  try {
    deployment = await callRoute({ baseUrl: location.origin }, citizenRoutes.deployment);
    showAuthorityContact(deployment.contact);
  } catch (e) {
    replaceChildren(maker);
    showStaffProblem(pageError, e);
    return;
  }
  let boxKey: Uint8Array;
  try {
    boxKey = decodeBase64url(deployment.authority?.boxPublicKey ?? "", 32);
  } catch {
    replaceChildren(maker);
    showMessage(pageError, {
      en: "This service publishes no health-authority key, so no card can be made here.",
      zh: "本服务未公布卫生部门密钥，因此无法在此制作登记卡。",
    });
    return;
  }
  renderForm(deployment, boxKey);
}

function renderForm(deployment: CardDeployment, boxKey: Uint8Array): void {
  const section = el("section", { "aria-labelledby": "card-form-heading" });
  section.append(heading(2, { en: "Make a card", zh: "制作登记卡" }, { id: "card-form-heading" }));
  const form = el("form", { id: "card-form" });
  const inputs = contactInputs("card", "optional");
  const error = errorRegion("card-error");
  const submit = button({ en: "Make the card", zh: "制作登记卡" }, { id: "make-card" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);
  form.append(
    paragraph(
      "Only the first character of the name is printed. Add an ID number only if venues here ask for one.",
      "卡上只印出姓名的第一个字。只有在本地场所要求时才需填写证件号码。",
      { class: "hint" },
    ),
    inputs.name.wrapper,
    inputs.phone.wrapper,
    inputs.idNumber!.wrapper,
    error,
    submit,
  );
  section.append(form);
  replaceChildren(maker, section);

  onSubmit(form, async () => {
    clearRegion(error);
    const read = readContact(inputs);
    if ("invalid" in read) {
      showMessage(error, { en: "Check the marked fields.", zh: "请检查标出的字段。" });
      read.invalid.focus();
      return;
    }
    let text: string;
    let masked: string;
    try {
      await ready();
      const card = issueCitizenCard(deployment.id, read.values, boxKey);
      text = cardToText(card);
      masked = card.maskedName;
    } catch (e) {
      showStaffProblem(
        error,
        e instanceof LintelError ? e : new LintelError("card-not-made", "The card was not made."),
      );
      return;
    }
    // The details are sealed: clear them from the form.
    clearContact(inputs);
    renderCard(deployment, boxKey, text, masked);
    announce({ en: "Card made. Print it below.", zh: "登记卡已制作，请在下方打印。" });
    document.getElementById("card-heading")?.focus();
  });
}

function renderCard(
  deployment: CardDeployment,
  boxKey: Uint8Array,
  text: string,
  masked: string,
): void {
  const today = localDate(Math.floor(Date.now() / 1000), deployment.timezone);
  const keyId = toHex(authorityKeyId(boxKey)).replace(/(.{4})(?=.)/g, "$1 ");
  const card = el(
    "div",
    { id: "card", class: "citizen-card" },
    el("p", { class: "card-title" }, bi("Check-in card", "登记卡")),
    el("p", { class: "card-name", id: "card-masked-name", "data-masked-name": "" }, masked),
    cardQr(text, biText(`Check-in card for ${masked}`, `${masked} 的登记卡`)),
    el(
      "p",
      { class: "card-use" },
      bi("Show this card to venue staff to check in.", "请向场所工作人员出示此卡进行登记。"),
    ),
    el(
      "p",
      { class: "card-small" },
      bi(
        "Sealed for the health authority only; losing it exposes nothing readable.",
        "仅卫生部门可解读；丢失不会泄露可读信息。",
      ),
    ),
    el(
      "p",
      { class: "card-small" },
      tr(deployment.name),
      el("br"),
      `${today} · `,
      bi("key", "密钥"),
      ` ${keyId}`,
    ),
  );
  const printButton = button({ en: "Print the card", zh: "打印登记卡" }, { id: "print-card" });
  printButton.addEventListener("click", () => window.print());
  const again = button(
    { en: "Make another card", zh: "再制作一张" },
    { id: "new-card", class: "secondary" },
  );
  again.addEventListener("click", () => {
    replaceChildren(output);
    document.getElementById("card-name-input")?.focus();
  });
  const copyError = errorRegion("copy-error");
  const copy = button(
    { en: "Copy the card text", zh: "复制登记卡文字" },
    { id: "copy-card-text", class: "secondary", "aria-describedby": copyError.id },
  );
  onActivate(copy, async () => {
    clearRegion(copyError);
    try {
      await navigator.clipboard.writeText(text);
      announce({ en: "Card text copied.", zh: "已复制登记卡文字。" });
    } catch {
      showMessage(copyError, {
        en: "The browser did not allow copying. Select the text and copy it.",
        zh: "浏览器不允许复制，请选中文字后复制。",
      });
    }
  });
  const details = el(
    "details",
    { class: "card-text" },
    el(
      "summary",
      {},
      bi(
        "The card's text, for typing or a handheld scanner",
        "登记卡文字（供手动输入或扫码枪使用）",
      ),
    ),
    paragraph(
      "The same as the QR code: it holds nothing readable but the masked name.",
      "与二维码内容相同：除姓名首字外不含可读信息。",
      { class: "hint" },
    ),
    el("code", { id: "card-text" }, text),
    copyError,
    el("div", { class: "actions" }, copy),
  );
  replaceChildren(
    output,
    el(
      "section",
      { "aria-labelledby": "card-heading", class: "card-result" },
      heading(2, { en: "The card", zh: "登记卡" }, { id: "card-heading", tabindex: "-1" }),
      paragraph(
        "Print it (only the card is printed), cut it out and keep it with the person's things. Check that the QR code is sharp.",
        "打印此卡（只打印卡片部分），剪下后随身携带。请确认二维码打印清晰。",
      ),
      card,
      el("div", { class: "actions" }, printButton, again),
      details,
    ),
  );
}

loadExposureWatch();
void start();
