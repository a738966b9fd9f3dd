/**
 * The check-in page's details form: name, phone, an ID number only where the code asks for one,
 * companions (each a check-in of their own), the stay, and "remember on this phone". What is typed
 * is checked here against the protocol's limits, encrypted by the SDK and sent through the offline
 * queue; a refusal is shown beside the button.
 */
import { LintelError, type ScannedCode } from "@lintel/client-sdk";
import { afterStored, discardRefused, showPass, showWaiting } from "./checkin-after.ts";
import { checkPerson, companionsPart, personDetails, selfFields } from "./checkin-people.ts";
import { showScan } from "./checkin-scan.ts";
import { clearView, focusHeading, forgetFragment, mark, view } from "./checkin-view.ts";
import { forgetProfile, loadProfile, saveProfile } from "./citizen-profile.ts";
import { encryptionKeys } from "./citizen-service.ts";
import { showCitizenProblem } from "./citizen-text.ts";
import { el, replaceChildren } from "./dom.ts";
import { bi, biBlock, tr } from "./i18n.ts";
import { stayChoices, stayText } from "./stay-choices.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  errorRegion,
  heading,
  onSubmit,
  selectField,
  showMessage,
} from "./ui.ts";

export function showForm(scanned: ScannedCode, unchecked: boolean): void {
  clearView();
  const code = scanned.code;
  const askId = code.contactFields.idNumber;
  const profile = loadProfile();

  const self = selfFields(askId, profile);
  const companions = companionsPart(askId, profile?.companions ?? []);

  const stay = selectField(
    "stay",
    { en: "How long you will stay", zh: "预计停留时间" },
    stayChoices(code.defaultStayMinutes),
    {
      value: String(code.defaultStayMinutes),
      hint: {
        en: "You are checked out automatically then, unless you check out earlier.",
        zh: "到时将自动为您办理离开，您也可以提前离开。",
      },
    },
  );

  const remember = checkbox(
    "remember",
    bi("Remember these details on this phone for next time", "在本机记住这些信息，下次自动填写"),
    true,
  );
  const rememberBox = remember.querySelector("input")!;

  const error = errorRegion("checkin-error");
  const submit = button({ en: "Check in", zh: "登记" }, { id: "check-in", class: "primary" });
  submit.type = "submit";
  submit.setAttribute("aria-describedby", error.id);

  const form = el(
    "form",
    { id: "checkin-form" },
    ...self.wrappers,
    companions.fieldset,
    stay.wrapper,
    remember,
    el(
      "p",
      { class: "note", id: "privacy-note" },
      biBlock(
        "Your details are encrypted on this phone before they are sent. Nobody can read them — not this service, not the venue — unless an exposure query for this entrance and these hours is approved and written to the public log. They are deleted after the retention period.",
        "您的信息在发送前于本机加密。除非针对此入口和时段的流调查询获得批准并写入公开日志，任何人（包括本服务和场所）都无法读取。保存期满后即被删除。",
      ),
    ),
    error,
    submit,
  );

  onSubmit(form, async () => {
    clearRegion(error);
    const others = companions.fields();
    const bad = [
      checkPerson(self.fields, { phoneRequired: true, idRequired: askId }),
      ...others.map((f) => checkPerson(f, { phoneRequired: false, idRequired: false })),
    ].find((c) => c !== undefined);
    if (bad) {
      showMessage(error, {
        en: "Some details need correcting: see the marked fields.",
        zh: "部分信息需要更正，请查看标出的字段。",
      });
      bad.focus();
      return;
    }
    const head = personDetails(self.fields, "");
    const party = others.map((f) => personDetails(f, head.phone));
    if (rememberBox.checked) {
      // An ID number remembered from a venue that asked keeps, where this one did not ask.
      const keptId = head.idNumber ?? profile?.self.idNumber;
      saveProfile({
        self: { ...head, ...(keptId ? { idNumber: keptId } : {}) },
        companions: others.map((f) => personDetails(f, "")),
      });
    } else {
      forgetProfile(); // unticked: nothing of this person stays on the phone
    }
    mark("submit");
    announce({ en: "Encrypting and sending…", zh: "正在加密并发送…" }, { progress: true });
    try {
      const keys = await encryptionKeys(view.ctx);
      const outcome = await view.ctx.queue.checkIn({
        keys,
        code: scanned,
        contact: head,
        companions: party,
        stayMinutes: Number(stay.input.value),
      });
      if (outcome.status === "stored") {
        await afterStored(outcome.visit);
        showPass(outcome.visit);
      } else {
        showWaiting(outcome.id, scanned.code);
      }
    } catch (e) {
      await discardRefused();
      if (e instanceof LintelError && e.code === "code-replaced") {
        forgetFragment();
        showScan({ replaced: true });
        focusHeading("scan-heading");
        return;
      }
      showCitizenProblem(error, e);
      submit.focus();
    }
  });

  const facts = el(
    "div",
    { class: "venue-card" },
    el("p", { class: "venue-name", id: "venue-name" }, tr(code.venueName)),
    el("p", { class: "entrance-name", id: "entrance-name" }, tr(code.entranceName)),
    el(
      "p",
      { class: "usual-stay", id: "usual-stay" },
      bi(
        `Usual stay: ${stayText(code.defaultStayMinutes).en}`,
        `通常停留：${stayText(code.defaultStayMinutes).zh}`,
      ),
    ),
  );
  const offlineNote = unchecked
    ? el(
        "p",
        { class: "warning", id: "unchecked-note" },
        biBlock(
          "This phone is offline, so the code could not be checked with the service yet. You can still check in: it is kept on this phone and sent when you are back online.",
          "本机目前离线，暂时无法向服务核验场所码。您仍可登记：登记会保存在本机，联网后自动发送。",
        ),
      )
    : null;
  const another = button(
    { en: "Scan another code", zh: "扫描其他场所码" },
    { id: "scan-another", class: "secondary" },
  );
  another.addEventListener("click", () => {
    forgetFragment();
    showScan();
    focusHeading("scan-heading");
  });

  replaceChildren(
    view.app,
    el(
      "section",
      { "aria-labelledby": "venue-heading", id: "venue" },
      heading(2, { en: "You are checking in at", zh: "您正在登记的场所" }, { id: "venue-heading" }),
      facts,
      offlineNote,
    ),
    el(
      "section",
      { "aria-labelledby": "details-heading", id: "details" },
      heading(2, { en: "Your details", zh: "您的信息" }, { id: "details-heading" }),
      form,
      el("div", { class: "actions" }, another),
    ),
  );
}
