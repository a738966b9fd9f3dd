/**
 * "Move my visits to another phone" on /visits/: the diary, the check-ins waiting to be sent and
 * the remembered details, sealed in this browser with a passphrase the person chooses (the SDK's
 * lintel-diary/1 file, specified in the client-sdk README) and downloaded as a file; and the same
 * file opened on the other browser. Nothing is sent: the file goes wherever the person takes it.
 * A wrong passphrase changes nothing; importing the same file twice adds nothing the second time.
 */
import {
  importDiary,
  LintelError,
  listVisits,
  MIN_PASSPHRASE_LENGTH,
  openDiary,
  sealDiary,
} from "@lintel/client-sdk";
import { loadProfile, parseProfile, saveProfile } from "./citizen-profile.ts";
import type { CitizenContext } from "./citizen-service.ts";
import { showCitizenProblem } from "./citizen-text.ts";
import { el, replaceChildren } from "./dom.ts";
import type { Bi } from "./i18n.ts";
import {
  announce,
  button,
  clearRegion,
  downloadBytes,
  errorRegion,
  fileField,
  heading,
  paragraph,
  runBusy,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

const TRANSFER_TEXT: Readonly<Record<string, Bi>> = {
  "transfer-passphrase": {
    en: "The passphrase is wrong (or the file was changed). Nothing was imported.",
    zh: "密码不正确（或文件已被更改）。未导入任何内容。",
  },
  "transfer-file": {
    en: "This is not a Lintel visits file, or it is damaged. Nothing was imported.",
    zh: "这不是 Lintel 登记文件，或文件已损坏。未导入任何内容。",
  },
  "transfer-deployment": {
    en: "This file belongs to another Lintel service. Nothing was imported.",
    zh: "此文件属于另一个 Lintel 服务。未导入任何内容。",
  },
};

function showTransferProblem(region: HTMLElement, e: unknown): void {
  const text = e instanceof LintelError ? TRANSFER_TEXT[e.code] : undefined;
  if (text) showMessage(region, text);
  else showCitizenProblem(region, e);
}

export function renderTransfer(
  section: HTMLElement,
  ctx: CitizenContext,
  onImported: () => Promise<void>,
): void {
  const exportError = errorRegion("export-error");
  const pass = textField(
    "export-passphrase",
    { en: "Passphrase for the file", zh: "文件密码" },
    {
      type: "password",
      autocomplete: "new-password",
      hint: {
        en: `At least ${MIN_PASSPHRASE_LENGTH} characters. You need it to open the file on the other phone; without it nobody can read the file, and it cannot be recovered.`,
        zh: `至少 ${MIN_PASSPHRASE_LENGTH} 个字符。在另一部手机上打开文件时需要它；没有它任何人都无法读取文件，也无法找回。`,
      },
    },
  );
  const again = textField(
    "export-passphrase-again",
    { en: "The passphrase again", zh: "再次输入密码" },
    { type: "password", autocomplete: "new-password" },
  );
  const save = button(
    { en: "Download the file", zh: "下载文件" },
    { id: "export-diary", class: "secondary" },
  );
  save.addEventListener("click", () => {
    void runBusy(save, async () => {
      clearRegion(exportError);
      setFieldError(pass.input, null);
      setFieldError(again.input, null);
      const passphrase = pass.input.value;
      if (passphrase.normalize("NFC").length < MIN_PASSPHRASE_LENGTH) {
        setFieldError(pass.input, {
          en: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`,
          zh: `请至少输入 ${MIN_PASSPHRASE_LENGTH} 个字符。`,
        });
        pass.input.focus();
        return;
      }
      if (again.input.value !== passphrase) {
        setFieldError(again.input, { en: "The two do not match.", zh: "两次输入不一致。" });
        again.input.focus();
        return;
      }
      try {
        const profile = loadProfile();
        const file = await sealDiary(
          {
            deployment: ctx.deployment.id,
            exportedAt: Math.floor(Date.now() / 1000),
            visits: await listVisits(ctx.visits),
            queue: await ctx.queue.list(),
            ...(profile ? { app: { profile } } : {}),
          },
          passphrase,
        );
        const day = new Date().toISOString().slice(0, 10);
        downloadBytes(
          new TextEncoder().encode(file),
          "application/json",
          `lintel-visits-${day}.json`,
        );
        pass.input.value = "";
        again.input.value = "";
        announce({ en: "The file was made. Keep it safe.", zh: "文件已生成，请妥善保管。" });
      } catch (e) {
        showTransferProblem(exportError, e);
      }
    });
  });

  const importError = errorRegion("import-error");
  const file = fileField(
    "import-file",
    { en: "The file from the other phone", zh: "来自另一部手机的文件" },
    ".json,application/json",
    { en: "A file made with “Download the file”.", zh: "用“下载文件”生成的文件。" },
  );
  const importPass = textField(
    "import-passphrase",
    { en: "Its passphrase", zh: "文件密码" },
    { type: "password", autocomplete: "current-password" },
  );
  const load = button(
    { en: "Import the visits", zh: "导入登记" },
    { id: "import-diary", class: "secondary" },
  );
  load.addEventListener("click", () => {
    void runBusy(load, async () => {
      clearRegion(importError);
      const chosen = file.input.files?.[0];
      if (!chosen) {
        setFieldError(file.input, { en: "Choose the file.", zh: "请选择文件。" });
        file.input.focus();
        return;
      }
      setFieldError(file.input, null);
      try {
        const contents = await openDiary(await chosen.text(), importPass.input.value);
        const app = contents.app as { profile?: unknown } | undefined;
        const profile = parseProfile(app?.profile);
        const { added, alreadyHere } = await importDiary(contents, {
          visits: ctx.visits,
          queue: ctx.queueStore,
          deployment: ctx.deployment.id,
        });
        // Details already remembered here are this phone's: they are not replaced.
        if (profile && !loadProfile()) saveProfile(profile);
        importPass.input.value = "";
        file.input.value = "";
        announce({
          en: `${added} added, ${alreadyHere} already on this phone.`,
          zh: `已添加 ${added} 项，${alreadyHere} 项已在本机。`,
        });
        await onImported();
      } catch (e) {
        showTransferProblem(importError, e);
      }
    });
  });

  replaceChildren(
    section,
    heading(
      2,
      { en: "Move my visits to another phone", zh: "把登记转移到另一部手机" },
      { id: "transfer-heading" },
    ),
    paragraph(
      "The file holds your visits, the secrets that delete them, check-ins not sent yet and the details you asked this phone to remember, locked with your passphrase. It is made on this phone and is not sent anywhere.",
      "文件包含您的到访记录、用于删除登记的密钥、尚未发送的登记以及您让本机记住的信息，并用您的密码加密。文件在本机生成，不会发送到任何地方。",
    ),
    el(
      "div",
      { class: "transfer-export" },
      heading(3, { en: "From this phone", zh: "从本机导出" }),
      pass.wrapper,
      again.wrapper,
      exportError,
      el("div", { class: "actions" }, save),
    ),
    el(
      "div",
      { class: "transfer-import" },
      heading(3, { en: "Onto this phone", zh: "导入本机" }),
      file.wrapper,
      importPass.wrapper,
      importError,
      el("div", { class: "actions" }, load),
    ),
  );
}
