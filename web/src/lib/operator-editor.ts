/**
 * The application editor (a new application, a draft, or one the registry sent back): the form,
 * saving (which creates the application the first time, then uploads the chosen documents) and
 * submitting. Its errors stay beside its buttons, in the form's own error region.
 */
import { applicationRoutes } from "@lintel/contract";
import { type ApplicationView, historySection, statusBadge } from "./applications.ts";
import { el } from "./dom.ts";
import { type Bi, bi, DOCUMENT_KINDS, DOCUMENT_LABELS } from "./i18n.ts";
import {
  type EditorFields,
  editorFields,
  entranceRow,
  numberEntrances,
  readForm,
} from "./operator-form.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  clearRegion,
  errorRegion,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  setFieldError,
} from "./ui.ts";

export interface EditorHooks {
  /** The application exists from now on (its first save): the URL should name it. */
  created(view: ApplicationView): void;
  /** Shows a saved or submitted application in place of the editor; `message` is announced. */
  show(view: ApplicationView, message?: Bi): Promise<void>;
}

/** Draws the editor for `view` (undefined: a new application) into `panel`, after its heading. */
export function renderEditor(
  page: SignedPage,
  panel: HTMLElement,
  view: ApplicationView | undefined,
  hooks: EditorHooks,
): void {
  if (view?.status === "rejected") {
    const box = el("div", { class: "feedback prominent", id: "registry-feedback" });
    box.append(
      heading(3, { en: "The registry asks for changes", zh: "登记机构要求修改" }),
      el("p", { class: "feedback-text" }, view.feedback ?? ""),
      paragraph(
        "Edit the application below, then submit it again.",
        "请修改以下申请内容，然后重新提交。",
      ),
    );
    panel.append(box);
  } else if (view) {
    panel.append(el("p", {}, statusBadge(view.status)));
  }

  const form = el("form", { id: "application-form" });
  const fields = editorFields(view, page.deployment.timezone, page.deployment.districts);
  /** The application as last saved; undefined until a new one is first saved. */
  let current = view;
  const saveForm = async (formError: HTMLElement) => {
    const saved = await saveApplication(page, current, fields, formError, (created) => {
      // From here on the application exists: a failed upload must not create a second one.
      current = created;
      hooks.created(created);
    });
    if (saved) current = saved;
    return saved;
  };
  const addEntrance = button(
    { en: "Add an entrance", zh: "添加入口" },
    { id: "add-entrance", class: "secondary" },
  );
  addEntrance.addEventListener("click", () => {
    const row = entranceRow(fields.entrances);
    fields.entrances.append(row);
    numberEntrances(fields.entrances);
    row.querySelector("input")?.focus();
  });

  const formError = errorRegion("application-form-error");
  const save = button(
    view ? { en: "Save changes", zh: "保存修改" } : { en: "Save draft", zh: "保存草稿" },
    { id: "save-application", "aria-describedby": formError.id },
  );
  save.type = "submit";
  const submit = button(
    view?.status === "rejected"
      ? { en: "Save and submit again", zh: "保存并重新提交" }
      : { en: "Save and submit for review", zh: "保存并提交审核" },
    { id: "submit-application", "aria-describedby": formError.id },
  );

  const fieldsetOf = (legend: Bi, ...children: Node[]) => {
    const fs = el("fieldset");
    fs.append(el("legend", {}, bi(legend.en, legend.zh)), ...children);
    return fs;
  };
  form.append(
    fieldsetOf(
      { en: "Venue", zh: "场所" },
      fields.nameEn.wrapper,
      fields.nameZh.wrapper,
      fields.address.wrapper,
      fields.licence.wrapper,
      fields.category.wrapper,
      fields.district.wrapper,
    ),
    fieldsetOf({ en: "Contact", zh: "联系方式" }, fields.person.wrapper, fields.phone.wrapper),
    fieldsetOf(
      { en: "Entrances", zh: "入口" },
      paragraph(
        "Every door people come in by gets its own code and poster.",
        "每个供人进入的门都有自己的场所码和海报。",
        { class: "hint" },
      ),
      fields.entrances,
      addEntrance,
    ),
    fieldsetOf(
      { en: "Documents", zh: "文件" },
      fields.files.licence.wrapper,
      fields.files["floor-plan"].wrapper,
    ),
    formError,
    el("div", { class: "actions" }, save, submit),
  );

  onSubmit(form, async () => {
    clearRegion(formError);
    const saved = await saveForm(formError);
    if (saved) await hooks.show(saved, { en: "Saved.", zh: "已保存。" });
  });
  onActivate(submit, async () => {
    clearRegion(formError);
    const saved = await saveForm(formError);
    if (!saved) return;
    try {
      const submitted = await callSigned(page, applicationRoutes.submitApplication, {
        params: { id: saved.id },
      });
      await hooks.show(submitted, { en: "Submitted for review.", zh: "已提交审核。" });
    } catch (e) {
      // Saved but not submitted: show what was saved, with the reason beside the buttons.
      await hooks.show(saved);
      const region = document.getElementById("application-form-error");
      if (region) page.fail(region, e);
    }
  });

  panel.append(form);
  if (view) panel.append(historySection(view, page.deployment.timezone, 3));
}

/** Saves the form (creating the application the first time), then uploads chosen files. */
async function saveApplication(
  page: SignedPage,
  current: ApplicationView | undefined,
  fields: EditorFields,
  formError: HTMLElement,
  created: (view: ApplicationView) => void,
): Promise<ApplicationView | undefined> {
  const input = readForm(fields, formError);
  if (!input) return undefined;
  try {
    let view = current
      ? await callSigned(page, applicationRoutes.updateApplication, {
          params: { id: current.id },
          body: input,
        })
      : await callSigned(page, applicationRoutes.createApplication, { body: input });
    created(view);
    let uploaded = false;
    for (const kind of DOCUMENT_KINDS) {
      const file = fields.files[kind].input.files?.[0];
      if (!file) continue;
      announce({
        en: `Uploading the ${DOCUMENT_LABELS[kind].en.toLowerCase()}…`,
        zh: `正在上传${DOCUMENT_LABELS[kind].zh}…`,
      });
      try {
        await callSigned(page, applicationRoutes.uploadDocument, {
          params: { id: view.id, kind },
          bytes: new Uint8Array(await file.arrayBuffer()),
          contentType: file.type,
        });
      } catch (e) {
        setFieldError(fields.files[kind].input, {
          en: "This file was not accepted.",
          zh: "此文件未被接受。",
        });
        throw e;
      }
      uploaded = true;
    }
    if (uploaded) {
      view = await callSigned(page, applicationRoutes.getApplication, { params: { id: view.id } });
    }
    return view;
  } catch (e) {
    page.fail(formError, e);
    return undefined;
  }
}
