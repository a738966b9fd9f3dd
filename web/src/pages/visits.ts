/**
 * "My visits", `/visits/`: the diary this phone keeps (venue, entrance, times, party size — never
 * contact details), check-ins still waiting in the offline queue, check-out of an open visit,
 * deleting one check-in or all of them (from the service with the deletion secrets, then from
 * this phone), forgetting the remembered details, and a plain statement of what this phone keeps
 * and for how long. Venue and entrance names come from signed codes but are still untrusted
 * text: they go in as text nodes.
 */

import {
  deleteVisit,
  forgetAll,
  listVisits,
  type QueuedCheckIn,
  type Visit,
} from "@lintel/client-sdk";
import { showAuthorityContact } from "../lib/authority-contact.ts";
import { renderExposure } from "../lib/citizen-exposure.ts";
import { dateTimeText } from "../lib/citizen-pass.ts";
import { forgetProfile, loadProfile } from "../lib/citizen-profile.ts";
import {
  type CitizenContext,
  checkOutVisit,
  forgetDayWords,
  openCitizen,
  tidyDiary,
} from "../lib/citizen-service.ts";
import { citizenMessage, showCitizenProblem } from "../lib/citizen-text.ts";
import { deleteEverythingButton } from "../lib/delete-everything.ts";
import { renderTransfer } from "../lib/diary-transfer.ts";
import { el, replaceChildren } from "../lib/dom.ts";
import { markSeen, notificationControl } from "../lib/exposure-watch.ts";
import { bi, biBlock, tr } from "../lib/i18n.ts";
import { registerServiceWorker } from "../lib/offline.ts";
import {
  announce,
  button,
  confirmDialog,
  errorRegion,
  heading,
  paragraph,
  runBusy,
} from "../lib/ui.ts";

const list = document.getElementById("visits")!;
const manage = document.getElementById("manage")!;
const keeps = document.getElementById("keeps")!;
const pageError = document.getElementById("page-error")!;
let ctx: CitizenContext;

function when(seconds: number): string {
  return dateTimeText(seconds, ctx.deployment.timezone).slice(0, 16);
}

function people(count: number) {
  return bi(count === 1 ? "1 person" : `${count} people`, `${count} 人`);
}

function visitItem(visit: Visit, now: number): HTMLLIElement {
  const open = visit.checkedOutAt === undefined && visit.expectedDeparture > now;
  const error = errorRegion(`visit-${visit.id}-error`);
  const headingId = `visit-${visit.id}-heading`;
  const actions = el("div", { class: "actions" });
  if (open) {
    actions.append(
      el("a", { href: "/c", class: "button-link secondary" }, bi("Show the pass", "出示凭证")),
    );
    const out = button({ en: "Check out", zh: "离开" }, { "data-action": "check-out" });
    out.addEventListener("click", () => {
      void runBusy(out, async () => {
        try {
          await checkOutVisit(ctx, visit);
          announce({ en: "Checked out.", zh: "已离开。" });
          await render(headingId);
        } catch (e) {
          showCitizenProblem(error, e);
        }
      });
    });
    actions.append(out);
  }
  const remove = button(
    { en: "Delete this check-in", zh: "删除此登记" },
    { class: "danger", "data-action": "delete" },
  );
  remove.addEventListener("click", () => {
    void runBusy(remove, async () => {
      const sure = await confirmDialog(
        { en: "Delete this check-in?", zh: "删除此登记？" },
        [
          paragraph(
            "It is deleted from the service now (every hour of it, for everyone you checked in with), and then from this phone. This cannot be undone.",
            "它将立即从服务中删除（包括所有时段及所有同行人员的登记），然后从本机删除。此操作无法撤销。",
          ),
        ],
        { en: "Delete", zh: "删除" },
      );
      if (!sure) return;
      try {
        await deleteVisit(ctx.service, visit);
        await ctx.visits.remove(visit.id);
        announce({ en: "Check-in deleted.", zh: "登记已删除。" });
        await render();
        document.getElementById("visits-heading")?.focus();
      } catch (e) {
        showCitizenProblem(error, e);
      }
    });
  });
  actions.append(remove);

  const state = open
    ? el("p", { class: "ok", "data-state": "open" }, bi("Checked in now", "正在登记中"))
    : el(
        "p",
        { class: "muted", "data-state": "over" },
        bi(
          `Checked out ${when(visit.checkedOutAt ?? visit.expectedDeparture).slice(11)}`,
          `已于 ${when(visit.checkedOutAt ?? visit.expectedDeparture).slice(11)} 离开`,
        ),
      );
  return el(
    "li",
    { class: open ? "open" : "over", "data-visit": visit.id, "aria-labelledby": headingId },
    el("h3", { id: headingId, tabindex: "-1", class: "venue-name" }, tr(visit.venueName)),
    el("p", { class: "entrance-name" }, tr(visit.entranceName)),
    el(
      "p",
      {},
      bi(
        `Arrived ${when(visit.arrival)}, stay until ${when(visit.expectedDeparture).slice(11)}`,
        `到达 ${when(visit.arrival)}，预计停留至 ${when(visit.expectedDeparture).slice(11)}`,
      ),
    ),
    el("p", {}, people(visit.headCount)),
    state,
    error,
    actions,
  );
}

function queuedItem(item: QueuedCheckIn): HTMLLIElement {
  const head = item.submissions[0];
  const refused = head?.state === "refused";
  const reason = refused ? citizenMessage(head.code) : undefined;
  const dismiss = button(
    { en: refused ? "Dismiss" : "Do not send it", zh: refused ? "知道了" : "不要发送" },
    { class: "secondary", "data-action": "discard" },
  );
  dismiss.addEventListener("click", () => {
    void runBusy(dismiss, async () => {
      await ctx.queue.discard(item.id);
      announce({ en: "Removed from this phone.", zh: "已从本机删除。" });
      await render();
    });
  });
  return el(
    "li",
    { class: "waiting", "data-queued": item.id },
    el("h3", { class: "venue-name" }, tr(item.prepared.venueName)),
    el("p", { class: "entrance-name" }, tr(item.prepared.entranceName)),
    el(
      "p",
      {},
      bi(`Arrived ${when(item.prepared.arrival)}`, `到达 ${when(item.prepared.arrival)}`),
    ),
    refused
      ? el(
          "p",
          { class: "bad", "data-state": "refused" },
          bi("Refused by the service", "被服务拒绝"),
          reason ? el("span", { class: "zh-line" }, bi(reason.en, reason.zh)) : null,
        )
      : el(
          "p",
          { class: "warning", "data-state": "waiting" },
          bi("Saved on this phone, will be sent when online", "已保存在本机，联网后发送"),
        ),
    el("div", { class: "actions" }, dismiss),
  );
}

async function render(focusId?: string): Promise<void> {
  const now = Date.now() / 1000;
  const [visits, queued] = await Promise.all([listVisits(ctx.visits), ctx.queue.list()]);
  const items = [...queued.map(queuedItem), ...visits.map((v) => visitItem(v, now))];
  replaceChildren(
    list,
    items.length === 0
      ? el("p", { id: "no-visits" }, bi("No visits on this phone.", "本机没有登记记录。"))
      : el("ul", { class: "visit-list", id: "visit-list" }, ...items),
  );
  renderManage(visits, queued.length);
  if (focusId) document.getElementById(focusId)?.focus();
}

function renderManage(visits: readonly Visit[], queued: number): void {
  const error = errorRegion("manage-error");
  const everything = el("div", { id: "delete-everything-result", role: "alert" });
  const all = button(
    { en: "Delete all my check-ins", zh: "删除我的全部登记" },
    { id: "delete-all", class: "danger" },
  );
  all.addEventListener("click", () => {
    void runBusy(all, async () => {
      const sure = await confirmDialog(
        { en: "Delete all your check-ins?", zh: "删除您的全部登记？" },
        [
          paragraph(
            "Every check-in listed here is deleted from the service, then everything about your visits is removed from this phone, including check-ins not sent yet. This cannot be undone.",
            "此处列出的所有登记都将从服务中删除，然后本机上有关到访的所有信息（包括尚未发送的登记）都将被删除。此操作无法撤销。",
          ),
        ],
        { en: "Delete all", zh: "全部删除" },
      );
      if (!sure) return;
      try {
        for (const visit of visits) {
          await deleteVisit(ctx.service, visit);
          await ctx.visits.remove(visit.id);
        }
        await forgetAll(ctx.visits, ctx.queueStore);
        forgetDayWords();
        announce({
          en: "All your check-ins were deleted.",
          zh: "您的全部登记已删除。",
        });
        await render();
        document.getElementById("visits-heading")?.focus();
      } catch (e) {
        showCitizenProblem(error, e);
        await render();
      }
    });
  });
  const profile = loadProfile();
  const forget = button(
    { en: "Forget my details on this phone", zh: "删除本机记住的个人信息" },
    { id: "forget-details", class: "secondary" },
  );
  forget.addEventListener("click", () => {
    forgetProfile();
    announce({
      en: "Your details are no longer kept on this phone.",
      zh: "本机已不再保存您的个人信息。",
    });
    renderManage(visits, queued);
    document.getElementById("manage-heading")?.focus();
  });
  replaceChildren(
    manage,
    heading(2, { en: "Delete", zh: "删除" }, { id: "manage-heading", tabindex: "-1" }),
    visits.length + queued > 0
      ? el("div", { class: "actions" }, all)
      : el("p", {}, bi("Nothing to delete.", "没有可删除的登记。")),
    profile
      ? el("div", { class: "actions" }, forget)
      : el(
          "p",
          { id: "no-details" },
          bi("No details of yours are remembered on this phone.", "本机未记住您的个人信息。"),
        ),
    error,
    heading(3, { en: "Everything at once", zh: "一次全部删除" }),
    paragraph(
      "Deletes your check-ins from the service, then everything this site keeps in this browser.",
      "从服务中删除您的登记，然后删除本网站在此浏览器中保存的所有内容。",
    ),
    el("div", { class: "actions" }, deleteEverythingButton(ctx, everything)),
    everything,
  );
}

function renderKeeps(): void {
  const days = ctx.deployment.retentionDays;
  const item = (en: string, zh: string) => el("li", {}, biBlock(en, zh));
  replaceChildren(
    keeps,
    heading(2, { en: "What this phone keeps", zh: "本机保存的内容" }, { id: "keeps-heading" }),
    el(
      "ul",
      { class: "keeps" },
      item(
        "For each visit: the venue and entrance, when you arrived and left, how many people came with you, the receipt, and a secret that lets you delete the check-in. Anyone who can open this phone's browser can see where you went.",
        "每次到访：场所和入口、到达和离开时间、同行人数、回执，以及用于删除登记的密钥。能打开本机浏览器的人可以看到您去过哪里。",
      ),
      item(
        `For how long: ${days} days after each visit, when the service deletes the check-in for good; this page then removes it from the phone too. Delete it sooner with the buttons above.`,
        `保存多久：每次到访后 ${days} 天，届时服务会永久删除登记，本页也会从本机删除。您可以用上方按钮提前删除。`,
      ),
      item(
        "Not with your visits: your name, phone number or ID number. They exist only inside the encrypted check-ins, which this phone cannot open.",
        "不与到访一起保存：您的姓名、电话号码或证件号码。它们只存在于加密的登记中，本机也无法打开。",
      ),
      item(
        "Only if you ticked “Remember”: your details and your companions’, to fill in the form next time. They never leave this phone except encrypted inside a check-in.",
        "仅在您勾选“记住”时：您和同行人员的信息，用于下次自动填写。除加密在登记中外，它们不会离开本机。",
      ),
      item(
        "Check-ins not sent yet (no connection), encrypted, until they are sent; and the day's check-in word shown on the pass, for two days.",
        "尚未发送的登记（没有网络时），已加密，发送后删除；以及凭证上显示的当日口令，保存两天。",
      ),
    ),
  );
}

async function main(): Promise<void> {
  try {
    ctx = await openCitizen();
  } catch (e) {
    replaceChildren(list);
    showCitizenProblem(pageError, e);
    return;
  }
  renderKeeps();
  showAuthorityContact(ctx.deployment.contact);
  try {
    await tidyDiary(ctx);
    if (navigator.onLine) {
      const result = await ctx.queue.flush();
      if (result.stored.length > 0) {
        announce({
          en: "Check-ins saved on this phone have been sent.",
          zh: "保存在本机的登记已发送。",
        });
      }
    }
  } catch (e) {
    showCitizenProblem(pageError, e);
  }
  addEventListener("online", () => {
    void ctx.queue.flush().then(() => render());
  });
  await render();
  renderTransfer(document.getElementById("transfer")!, ctx, () => render());
  renderExposure(
    document.getElementById("exposure")!,
    ctx,
    () => listVisits(ctx.visits),
    markSeen,
    notificationControl(),
  );
}

registerServiceWorker();
void main();
