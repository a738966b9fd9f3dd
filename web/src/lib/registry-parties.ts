/**
 * Trustees and witnesses on the People view: who the log enrols now, each removable after a
 * confirmation (the registry-signed trustee-removal or witness-removal entry), and enrolling one.
 * Each runs its own tool (`npm run bootstrap -- trustee` / `-- witness`), which keeps its secrets
 * and writes a public file; the reviewer pastes that file here, sees exactly what the log will
 * hold, and enrols it: the service logs it as the registry-signed trustee-enrolment or
 * witness-enrolment entry. Trustees and witnesses serve the whole deployment, so only a reviewer
 * of full scope may do either. A trustee the deployment's settings name cannot be removed (every
 * check-in is encrypted to it): the list says so instead of offering it.
 */
import {
  isFullScope,
  partyRoutes,
  type RouteAnswer,
  type RouteInput,
  trusteePublicFile,
  witnessPublicFile,
} from "@lintel/contract";
import { el } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { myScope } from "./registry-scope.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  confirmDialog,
  errorRegion,
  heading,
  onActivate,
  paragraph,
  showMessage,
  textField,
} from "./ui.ts";

type TrusteeFile = RouteInput<typeof partyRoutes.enrolTrustee>["body"];
type WitnessFile = RouteInput<typeof partyRoutes.enrolWitness>["body"];
type Party = { kind: "trustee"; file: TrusteeFile } | { kind: "witness"; file: WitnessFile };

/** The file's text as one party's file, or what is wrong with it. */
export function readPartyFile(text: string): Party | Bi {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      en: "This is not the file's text: paste the whole file, from { to }.",
      zh: "这不是该文件的内容：请粘贴整个文件，从 { 到 }。",
    };
  }
  // Checked against the same schemas the service checks, so a file shown here is one it takes.
  if (trusteePublicFile.safeParse(json).success)
    return { kind: "trustee", file: json as TrusteeFile };
  if (witnessPublicFile.safeParse(json).success)
    return { kind: "witness", file: json as WitnessFile };
  return {
    en: "This is neither a trustee's nor a witness's public file (lintel-trustee-public/1, lintel-witness-public/1).",
    zh: "这既不是受托方的公开文件，也不是见证方的公开文件（lintel-trustee-public/1、lintel-witness-public/1）。",
  };
}

const short = (key: string) => `${key.slice(0, 16)}…`;

/** What the log will hold, field by field. */
function preview(party: Party): HTMLElement {
  const rows: Array<[Bi, string]> =
    party.kind === "trustee"
      ? [
          [{ en: "Trustee id", zh: "受托方标识" }, party.file.id],
          [{ en: "Address", zh: "地址" }, party.file.url],
          [{ en: "Key share", zh: "密钥份额" }, short(party.file.shareKey)],
          [{ en: "Proof of possession", zh: "持有证明" }, short(party.file.proofOfPossession)],
          [{ en: "Release signing key", zh: "发布签名密钥" }, short(party.file.signingKey)],
        ]
      : [
          [{ en: "Witness name", zh: "见证方名称" }, party.file.name],
          [{ en: "Cosignature key", zh: "联署密钥" }, short(party.file.publicKey)],
        ];
  const list = el("dl", { id: "party-fields" });
  for (const [label, value] of rows) {
    list.append(el("dt", {}, bi(label.en, label.zh)), el("dd", {}, el("code", {}, value)));
  }
  const entry =
    party.kind === "trustee"
      ? { en: "a trustee enrolment", zh: "受托方登记" }
      : { en: "a witness enrolment", zh: "见证方登记" };
  return el(
    "div",
    { id: "party-preview", "data-kind": party.kind },
    paragraph(
      `The public log will hold ${entry.en}, signed by the registry, with:`,
      `公开日志将记录一条由登记机构签名的${entry.zh}，内容为：`,
    ),
    list,
    paragraph(
      "Compare the keys with the party in person before you enrol it: once logged, the entry cannot be taken back, only followed by a removal.",
      "登记前请当面与对方核对密钥：一经记录便无法撤回，只能再记录一条移除。",
      { class: "hint" },
    ),
  );
}

/** Who the log enrols, with their removal, and the enrolment form into `section`. */
export function renderParties(page: SignedPage, section: HTMLElement): void {
  const body = el("div", { id: "parties-body" });
  section.append(
    heading(3, { en: "Trustees and witnesses", zh: "受托方与见证方" }, { id: "parties-heading" }),
    body,
  );
  void myScope(page).then(
    (scope) => {
      if (scope === null || !isFullScope(scope)) {
        body.append(
          paragraph(
            "Trustees and witnesses serve every district and sector: a reviewer of full scope enrols them and removes them.",
            "受托方和见证方服务于全部辖区和行业，由拥有全部监管范围的审核人员登记和移除。",
          ),
        );
        return;
      }
      const list = el("div", { id: "party-enrolled" });
      const reload = () => loadEnrolled(page, list);
      body.append(list, form(page, reload));
      void reload();
    },
    () => undefined,
  );
}

type Enrolled = RouteAnswer<typeof partyRoutes.listParties>;

/** Who the log enrols now into `slot`, each with its removal. */
async function loadEnrolled(page: SignedPage, slot: HTMLElement): Promise<void> {
  const error = errorRegion("party-list-error");
  try {
    const enrolled = await callSigned(page, partyRoutes.listParties);
    const reload = () => loadEnrolled(page, slot);
    const list = el("ul", { id: "party-list", class: "plain items" });
    for (const t of enrolled.trustees) list.append(trusteeItem(page, t, error, reload));
    for (const w of enrolled.witnesses) list.append(witnessItem(page, w, error, reload));
    slot.replaceChildren(
      el("h4", {}, bi("In the log now", "日志中现有")),
      error,
      list.childElementCount > 0
        ? list
        : paragraph("No trustee or witness is enrolled.", "尚未登记任何受托方或见证方。", {
            class: "muted",
          }),
    );
  } catch (e) {
    slot.replaceChildren(error);
    page.fail(error, e);
  }
}

function trusteeItem(
  page: SignedPage,
  t: Enrolled["trustees"][number],
  error: HTMLElement,
  reload: () => Promise<void>,
): HTMLLIElement {
  const nameId = `party-name-trustee-${t.id}`;
  const li = el(
    "li",
    { "data-party": t.id, "data-party-kind": "trustee" },
    // Ids and names as the deployment's settings spell them: the same in every language.
    el("strong", { id: nameId, translate: "no" }, t.name ?? t.id),
    el("br"),
    el(
      "span",
      { class: "muted" },
      bi("Trustee", "受托方"),
      " ",
      el("code", { translate: "no" }, t.id),
    ),
  );
  if (t.required) {
    li.append(
      paragraph(
        "Every check-in is encrypted to this trustee, so no query could be answered without it: it cannot be removed while the deployment's settings name it.",
        "每条登记记录都加密给此受托方，没有它将无法答复任何查询：在部署设置仍列出它时不能移除。",
        { class: "hint", "data-required": "" },
      ),
    );
    return li;
  }
  li.append(
    removeButton(nameId, async () => {
      const ok = await confirmDialog(
        { en: "Remove this trustee?", zh: "移除此受托方？" },
        [
          el("p", { translate: "no" }, t.name ?? t.id),
          paragraph(
            "The public log will hold a trustee removal, signed by the registry: from then on the trustee can log no release, so check-ins that were encrypted to it can no longer be read. This cannot be taken back, only followed by a new enrolment.",
            "公开日志将记录一条由登记机构签名的受托方移除：此后该受托方无法再记录任何密钥发布，加密给它的登记记录将无法再读取。此操作无法撤回，只能再记录一次登记。",
          ),
        ],
        { en: "Remove from the log", zh: "从日志中移除" },
      );
      if (!ok) return;
      await removed(
        page,
        error,
        () => callSigned(page, partyRoutes.removeTrustee, { body: { trusteeId: t.id } }),
        reload,
      );
    }),
  );
  return li;
}

function witnessItem(
  page: SignedPage,
  w: Enrolled["witnesses"][number],
  error: HTMLElement,
  reload: () => Promise<void>,
): HTMLLIElement {
  const nameId = `party-name-witness-${w.name}`;
  return el(
    "li",
    { "data-party": w.name, "data-party-kind": "witness" },
    el("strong", { id: nameId, translate: "no" }, w.name),
    el("br"),
    el("span", { class: "muted" }, bi("Witness", "见证方")),
    removeButton(nameId, async () => {
      const ok = await confirmDialog(
        { en: "Remove this witness?", zh: "移除此见证方？" },
        [
          el("p", { translate: "no" }, w.name),
          paragraph(
            "The public log will hold a witness removal, signed by the registry. Whoever pins its key (trustees, auditors) changes their own settings too. This cannot be taken back, only followed by a new enrolment.",
            "公开日志将记录一条由登记机构签名的见证方移除。固定使用其密钥的各方（受托方、审计人员）也需自行修改设置。此操作无法撤回，只能再记录一次登记。",
          ),
        ],
        { en: "Remove from the log", zh: "从日志中移除" },
      );
      if (!ok) return;
      await removed(
        page,
        error,
        () => callSigned(page, partyRoutes.removeWitness, { body: { name: w.name } }),
        reload,
      );
    }),
  );
}

function removeButton(nameId: string, act: () => Promise<void>): HTMLElement {
  const remove = button(
    { en: "Remove", zh: "移除" },
    { class: "danger", "aria-describedby": nameId, "data-remove-party": "" },
  );
  onActivate(remove, act);
  return el("div", { class: "actions" }, remove);
}

async function removed(
  page: SignedPage,
  error: HTMLElement,
  call: () => Promise<{ index: string }>,
  reload: () => Promise<void>,
): Promise<void> {
  clearRegion(error);
  try {
    const { index } = await call();
    await reload();
    const message = {
      en: `Removed: logged as entry ${index}.`,
      zh: `已移除：记录为第 ${index} 条日志。`,
    };
    const done = el("p", { id: "party-removed", tabindex: "-1" }, bi(message.en, message.zh));
    document.getElementById("party-enrolled")?.append(done);
    announce(message);
    done.focus();
  } catch (e) {
    page.fail(error, e);
  }
}

function form(page: SignedPage, enrolled: () => Promise<void>): HTMLFormElement {
  const f = el("form", { id: "party-form" });
  const file = textField(
    "party-file",
    { en: "Their public file", zh: "对方的公开文件" },
    {
      multiline: true,
      required: true,
      autocomplete: "off",
      hint: {
        en: "The text of the public file their own tool wrote: it holds no secret.",
        zh: "对方工具生成的公开文件的内容，其中不含任何秘密。",
      },
    },
  );
  const error = errorRegion("party-error");
  const check = button(
    { en: "Show what will be logged", zh: "显示将记录的内容" },
    { id: "party-check" },
  );
  const shown = el("div", { id: "party-shown" });
  f.addEventListener("submit", (event) => event.preventDefault());
  f.append(file.wrapper, check, error, shown);
  onActivate(check, async () => {
    clearRegion(error);
    shown.replaceChildren();
    const party = readPartyFile(file.input.value);
    if (!("kind" in party)) {
      showMessage(error, party);
      file.input.focus();
      return;
    }
    const enrol = button({ en: "Enrol in the log", zh: "登记到日志" }, { id: "party-enrol" });
    shown.append(preview(party), enrol);
    onActivate(enrol, async () => {
      clearRegion(error);
      try {
        const { index } =
          party.kind === "trustee"
            ? await callSigned(page, partyRoutes.enrolTrustee, { body: party.file })
            : await callSigned(page, partyRoutes.enrolWitness, { body: party.file });
        const done = el("p", { id: "party-logged" });
        done.append(bi(`Logged as entry ${index}.`, `已记录为第 ${index} 条日志。`));
        shown.replaceChildren(done);
        file.input.value = "";
        announce({ en: `Logged as entry ${index}.`, zh: `已记录为第 ${index} 条日志。` });
        void enrolled();
      } catch (e) {
        page.fail(error, e);
      }
    });
    enrol.focus();
  });
  return f;
}
