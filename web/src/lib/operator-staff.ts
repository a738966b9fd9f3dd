/**
 * An approved venue's staff and kiosk screens: the staff accounts (each can be disabled), adding
 * one with a one-time enrolment code shown once, and each entrance's kiosk set-up. Each action's
 * error shows beside its own button or form.
 */
import { operatorRoutes, type RouteAnswer } from "@lintel/contract";
import { type ApplicationView, entranceName } from "./applications.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import { oneTimeCodeBox } from "./one-time-code.ts";
import { kioskPart } from "./operator-kiosk-setup.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  announce,
  button,
  checkbox,
  clearRegion,
  confirmDialog,
  errorRegion,
  formatTime,
  heading,
  onActivate,
  onSubmit,
  paragraph,
  setFieldError,
  showMessage,
  textField,
} from "./ui.ts";

type StaffMember = RouteAnswer<typeof operatorRoutes.listStaff>["staff"][number];

/** Draws the venue's staff and the form to add one into `section` (again after each change). */
export async function renderStaff(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  created?: HTMLElement,
): Promise<void> {
  const error = errorRegion("staff-error");
  replaceChildren(
    section,
    heading(3, { en: "Staff", zh: "工作人员" }, { id: "staff-heading", tabindex: "-1" }),
    paragraph(
      "Staff check in people who have no smartphone. They never see anyone's data.",
      "工作人员为没有智能手机的人登记，他们看不到任何人的信息。",
    ),
    error,
    created,
  );
  const labels = new Map(view.entrances.map((e) => [e.id, e.label]));
  try {
    const { staff } = await callSigned(page, operatorRoutes.listStaff, { params: { id: view.id } });
    const list = el("ul", { class: "plain items", id: "staff-list" });
    for (const member of staff) list.append(staffItem(page, section, view, member, labels));
    if (staff.length === 0)
      list.append(el("li", {}, bi("No staff accounts yet.", "暂无工作人员账户。")));
    section.append(list);
  } catch (e) {
    page.fail(error, e);
  }
  section.append(addStaffForm(page, section, view));
}

function staffItem(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
  member: StaffMember,
  labels: Map<string, Bi>,
): HTMLLIElement {
  const li = el("li", { "data-staff": member.accountId });
  const nameId = `staff-name-${member.accountId}`;
  li.append(el("strong", { id: nameId }, member.label), " ");
  const state = member.disabled
    ? bi("Disabled", "已停用")
    : member.enrolled
      ? bi("Signed in", "已登录")
      : bi("Not signed in yet", "尚未登录");
  li.append(el("span", { class: "badge" }, state), el("br"));
  const doors = el("span", { class: "muted" });
  member.entrances.forEach((id, i) => {
    if (i > 0) doors.append("; ");
    const label = labels.get(id);
    doors.append(label ? entranceName(label) : id);
  });
  li.append(doors);
  if (member.lastSeen) {
    const at = formatTime(member.lastSeen, page.deployment.timezone);
    li.append(el("br"), bi(`Last active ${at}`, `最近活动 ${at}`));
  }
  if (!member.disabled) {
    const error = errorRegion(`disable-error-${member.accountId}`);
    const disable = button(
      { en: "Disable", zh: "停用" },
      {
        class: "secondary",
        "aria-describedby": `${nameId} ${error.id}`,
        "data-disable": member.accountId,
      },
    );
    onActivate(disable, async () => {
      clearRegion(error);
      const who = el("p", {}, el("strong", {}, member.label));
      const ok = await confirmDialog(
        { en: "Disable this staff account?", zh: "停用此工作人员账户？" },
        [
          who,
          paragraph(
            "Their devices are signed out at once and cannot sign in again.",
            "其设备将立即退出登录，且无法再次登录。",
          ),
        ],
        { en: "Disable", zh: "停用" },
      );
      if (!ok) return;
      try {
        await callSigned(page, operatorRoutes.removeStaff, {
          params: { id: view.id, accountId: member.accountId },
        });
        announce({ en: "Staff account disabled.", zh: "工作人员账户已停用。" });
        await renderStaff(page, section, view);
        document.getElementById("staff-heading")?.focus();
      } catch (e) {
        page.fail(error, e);
      }
    });
    li.append(el("div", { class: "actions" }, disable), error);
  }
  return li;
}

function addStaffForm(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
): HTMLFormElement {
  const form = el("form", { id: "add-staff-form" });
  const label = textField(
    "staff-label",
    { en: "Staff label", zh: "工作人员名称" },
    {
      required: true,
      maxLength: 60,
      autocomplete: "off",
      hint: {
        en: "A label such as “Front desk 1”, not a real name.",
        zh: "例如“前台 1”，不要用真实姓名。",
      },
    },
  );
  const doors = el("fieldset", { id: "staff-entrances" });
  doors.append(el("legend", {}, bi("Entrances they work at", "负责的入口")));
  for (const e of view.entrances.filter((x) => x.active)) {
    const box = checkbox(`staff-entrance-${e.id}`, entranceName(e.label), true);
    box.querySelector("input")!.value = e.id;
    doors.append(box);
  }
  const error = errorRegion("add-staff-error");
  const submit = button(
    { en: "Add staff member", zh: "添加工作人员" },
    { id: "add-staff", "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(
    el("h4", {}, bi("Add a staff member", "添加工作人员")),
    label.wrapper,
    doors,
    error,
    submit,
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const value = label.input.value.trim();
    const entranceIds = [...doors.querySelectorAll<HTMLInputElement>("input:checked")].map(
      (i) => i.value,
    );
    if (value === "") {
      setFieldError(label.input, { en: "Enter a label.", zh: "请输入名称。" });
      showMessage(error, { en: "Enter a label for the staff member.", zh: "请输入工作人员名称。" });
      label.input.focus();
      return;
    }
    setFieldError(label.input, null);
    if (entranceIds.length === 0) {
      showMessage(error, { en: "Choose at least one entrance.", zh: "请至少选择一个入口。" });
      doors.querySelector("input")?.focus();
      return;
    }
    try {
      const created = await callSigned(page, operatorRoutes.addStaff, {
        params: { id: view.id },
        body: { label: value, entranceIds },
      });
      const box = oneTimeCodeBox("staff-enrolment-code", created, page.deployment.timezone, () =>
        document.getElementById("staff-label")?.focus(),
      );
      await renderStaff(page, section, view, box);
      announce({ en: "Staff account created.", zh: "工作人员账户已创建。" });
      box.focus();
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}

/** Each entrance's kiosk set-up (its kiosk mode and screens) into `section`. */
export async function renderKiosks(
  page: SignedPage,
  section: HTMLElement,
  view: ApplicationView,
): Promise<void> {
  const error = errorRegion("kiosks-error");
  replaceChildren(
    section,
    heading(3, { en: "Kiosk screens", zh: "自助机屏幕" }, { id: "kiosks-heading", tabindex: "-1" }),
    paragraph(
      "A kiosk screen at an entrance shows a changing code that people scan instead of the poster.",
      "入口处的自助机屏幕显示动态码，人们可扫描它代替海报。",
    ),
    error,
  );
  try {
    const { codes } = await callSigned(page, operatorRoutes.venueCodes, {
      params: { id: view.id },
    });
    const list = el("ul", { class: "plain items", id: "kiosk-list" });
    for (const code of codes) {
      list.append(
        el(
          "li",
          { class: "card", "data-entrance": code.entranceId },
          el("h4", {}, entranceName(code.label)),
          kioskPart(page, view, code),
        ),
      );
    }
    section.append(list);
  } catch (e) {
    page.fail(error, e);
  }
}
