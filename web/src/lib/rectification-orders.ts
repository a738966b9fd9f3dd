/**
 * Rectification orders (责令限期整改) on the registry's and the operator's view of one venue: the
 * registry orders the venue to fix its findings by a deadline (typed on the deployment's 24-hour
 * wall clock) and closes orders; the operator reads each order and answers it once. Findings and
 * answers are people's text: text nodes only.
 */

import type { RouteAnswer } from "@lintel/contract";
import { rectificationRoutes } from "@lintel/contract";
import { answerForm } from "./answer-form.ts";
import { el, replaceChildren } from "./dom.ts";
import { type Bi, bi } from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import { zonedToUnix } from "./staff-time.ts";
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
  splitDateTime,
  textField,
  wallClockField,
} from "./ui.ts";

type Order = RouteAnswer<typeof rectificationRoutes.listRectifications>["orders"][number];
type Role = "registry" | "operator";

const STATE_LABELS: Readonly<Record<Order["state"], Bi>> = {
  open: { en: "Open", zh: "待整改" },
  overdue: { en: "Overdue", zh: "已逾期" },
  answered: { en: "Answered", zh: "已答复" },
  closed: { en: "Closed", zh: "已结案" },
};

/** The venue's orders into a new section, with the actions `role` may take. */
export function rectificationSection(page: SignedPage, venueId: string, role: Role): HTMLElement {
  const section = el("section", {
    class: "rectifications",
    id: "rectifications",
    "aria-labelledby": "rectifications-heading",
  });
  void draw(page, section, venueId, role);
  return section;
}

async function draw(
  page: SignedPage,
  section: HTMLElement,
  venueId: string,
  role: Role,
): Promise<void> {
  const error = errorRegion("rectifications-error");
  const list = el("ol", { class: "rectification-list", id: "rectification-list" });
  replaceChildren(
    section,
    heading(3, { en: "Rectification orders", zh: "限期整改" }, { id: "rectifications-heading" }),
    error,
    list,
  );
  if (role === "registry") section.append(orderForm(page, section, venueId));
  try {
    const { orders } = await callSigned(page, rectificationRoutes.listRectifications, {
      params: { id: venueId },
    });
    if (orders.length === 0) {
      list.replaceWith(
        paragraph("No rectification orders.", "没有整改通知。", { id: "rectification-list" }),
      );
      return;
    }
    for (const order of orders) list.append(orderItem(page, section, order, role));
  } catch (e) {
    page.fail(error, e);
  }
}

function orderItem(page: SignedPage, section: HTMLElement, order: Order, role: Role): HTMLElement {
  const tz = page.deployment.timezone;
  const state = STATE_LABELS[order.state];
  const item = el(
    "li",
    { "data-order": order.id, "data-state": order.state },
    el("p", {}, el("strong", { class: `badge ${order.state}` }, bi(state.en, state.zh))),
    paragraph(
      `Ordered ${formatTime(order.issuedAt, tz)}; to be rectified by ${formatTime(order.deadline, tz)}.`,
      `通知于 ${formatTime(order.issuedAt, tz)}；须于 ${formatTime(order.deadline, tz)} 前完成整改。`,
    ),
    el("h4", {}, bi("Findings", "检查发现")),
    el("p", { class: "findings" }, order.findings),
  );
  if (order.answer !== null) {
    item.append(
      el("h4", {}, bi("Operator's answer", "经营者答复")),
      el("p", { class: "answer" }, order.answer),
    );
  }
  const error = errorRegion(`order-error-${order.id}`);
  const open = order.state === "open" || order.state === "overdue";
  if (role === "operator" && open) {
    item.append(
      answerForm({
        id: `answer-${order.id}`,
        label: { en: "Your answer: what you fixed, and how", zh: "您的答复：已整改的内容及方式" },
        mark: ["data-answer", order.id],
        error,
        send: async (text) => {
          try {
            await callSigned(page, rectificationRoutes.answerRectification, {
              params: { id: order.venueId, rid: order.id },
              body: { answer: text },
            });
            await draw(page, section, order.venueId, "operator");
            announce({ en: "Answer sent to the registry.", zh: "答复已提交登记机构。" });
          } catch (e) {
            page.fail(error, e);
          }
        },
      }),
    );
  }
  if (role === "registry" && order.state !== "closed") {
    const close = button(
      { en: "Close this order", zh: "结案" },
      { class: "secondary", "data-close": order.id, "aria-describedby": error.id },
    );
    onActivate(close, async () => {
      clearRegion(error);
      try {
        await callSigned(page, rectificationRoutes.closeRectification, {
          params: { id: order.venueId, rid: order.id },
        });
        await draw(page, section, order.venueId, "registry");
        announce({ en: "Order closed.", zh: "已结案。" });
      } catch (e) {
        page.fail(error, e);
      }
    });
    item.append(error, el("div", { class: "actions" }, close));
  } else {
    item.append(error);
  }
  return item;
}

function orderForm(page: SignedPage, section: HTMLElement, venueId: string): HTMLFormElement {
  const tz = page.deployment.timezone;
  const form = el("form", { id: "order-form" });
  const findings = textField(
    "order-findings",
    { en: "Findings to rectify", zh: "须整改的问题" },
    {
      required: true,
      multiline: true,
      hint: {
        en: "The operator sees this text exactly as you write it.",
        zh: "经营者会看到您写的原文。",
      },
    },
  );
  const deadline = wallClockField(
    "order-deadline",
    { en: "Rectify by", zh: "整改期限" },
    "date-time",
    {
      required: true,
      hint: {
        en: `In the deployment's time (${tz}); at least an hour and at most 180 days from now.`,
        zh: `按本部署时区（${tz}）；须在一小时之后、180 天之内。`,
      },
    },
  );
  const error = errorRegion("order-error");
  const submit = button(
    { en: "Order rectification", zh: "下达整改通知" },
    { id: "order-submit", "aria-describedby": error.id },
  );
  submit.type = "submit";
  form.append(
    el("h4", {}, bi("New order", "新的整改通知")),
    findings.wrapper,
    deadline.wrapper,
    error,
    submit,
  );
  onSubmit(form, async () => {
    clearRegion(error);
    const text = findings.input.value.replace(/\r\n?/g, "\n").trim();
    const { date, time } = splitDateTime(deadline.input.value);
    const by = zonedToUnix(date, time, tz);
    setFieldError(
      findings.input,
      text === "" ? { en: "Write the findings.", zh: "请填写问题。" } : null,
    );
    setFieldError(
      deadline.input,
      by === null ? { en: "Type a date and time.", zh: "请输入日期和时间。" } : null,
    );
    if (text === "" || by === null) {
      showMessage(error, { en: "Some fields need attention.", zh: "部分内容需要修改。" });
      (text === "" ? findings.input : deadline.input).focus();
      return;
    }
    try {
      await callSigned(page, rectificationRoutes.issueRectification, {
        params: { id: venueId },
        body: { findings: text, deadline: by },
      });
      await draw(page, section, venueId, "registry");
      announce({ en: "Rectification ordered.", zh: "已下达整改通知。" });
    } catch (e) {
      page.fail(error, e);
    }
  });
  return form;
}
