/**
 * A venue application as GET /api/applications/:id returns it, and the parts of it both the
 * operator's and the registry's pages show: the facts, the documents and the history. Names,
 * address, contact, labels and feedback are untrusted text (textContent only).
 */
import { applicationRoutes, type RouteAnswer } from "@lintel/contract";
import { el } from "./dom.ts";
import {
  actionLabel,
  type Bi,
  bi,
  categoryLabel,
  DOCUMENT_KINDS,
  DOCUMENT_LABELS,
  roleLabel,
  statusLabel,
  tr,
} from "./i18n.ts";
import type { SignedPage } from "./page.ts";
import { callSigned } from "./signed-call.ts";
import {
  button,
  clearRegion,
  downloadBytes,
  errorRegion,
  formatSize,
  formatTime,
  heading,
  onActivate,
} from "./ui.ts";

/** An application as GET /api/applications/:id answers it, by the API contract. */
export type ApplicationView = RouteAnswer<typeof applicationRoutes.getApplication>;

/** A venue's name in the chosen language (the application carries both). */
export function venueName(name: Bi, tag: "span" | "strong" = "span"): HTMLElement {
  const node = document.createElement(tag);
  node.className = "venue-name";
  node.textContent = tr(name);
  return node;
}

/** An entrance label in the chosen language, the same way. */
export function entranceName(label: Bi): HTMLSpanElement {
  const node = document.createElement("span");
  node.className = "entrance-name";
  node.textContent = tr(label);
  return node;
}

export function statusBadge(status: string): HTMLSpanElement {
  const badge = document.createElement("span");
  badge.className = `badge status-${status.replace(/[^a-z-]/g, "")}`;
  badge.dataset.status = status;
  const label = statusLabel(status);
  badge.append(bi(label.en, label.zh));
  return badge;
}

function fact(label: Bi, ...value: (Node | string)[]): Node[] {
  const dt = document.createElement("dt");
  dt.append(bi(label.en, label.zh));
  const dd = document.createElement("dd");
  dd.append(...value);
  return [dt, dd];
}

/**
 * The application's facts as a definition list; with `supervision` (the registry's view), also
 * the district and sector that decide which reviewers supervise the venue.
 */
export function applicationFacts(
  view: ApplicationView,
  supervision?: { readonly district: Bi; readonly sector: Bi },
): HTMLDListElement {
  const dl = document.createElement("dl");
  dl.className = "facts";
  const category = categoryLabel(view.category);
  const entrances = document.createElement("ul");
  entrances.className = "plain";
  for (const e of view.entrances) {
    const li = document.createElement("li");
    li.dataset.entrance = e.id;
    li.append(entranceName(e.label));
    entrances.append(li);
  }
  const address = document.createElement("span");
  address.className = "venue-address";
  address.textContent = view.address;
  const licence = document.createElement("span");
  licence.className = "licence-number";
  licence.textContent = view.licenceNumber ?? "—";
  // A registration number, like a code: the same in every language.
  licence.setAttribute("translate", "no");
  dl.append(
    ...fact({ en: "Status", zh: "状态" }, statusBadge(view.status)),
    ...fact({ en: "Name", zh: "名称" }, venueName(view.name)),
    ...fact({ en: "Address", zh: "地址" }, address),
    ...fact({ en: "Licence number", zh: "营业执照号码" }, licence),
    ...fact({ en: "Category", zh: "类别" }, bi(category.en, category.zh)),
    ...(supervision
      ? [
          ...fact(
            { en: "District", zh: "辖区" },
            el(
              "span",
              { class: "venue-district" },
              bi(supervision.district.en, supervision.district.zh),
            ),
          ),
          ...fact(
            { en: "Sector", zh: "行业" },
            el("span", { class: "venue-sector" }, bi(supervision.sector.en, supervision.sector.zh)),
          ),
        ]
      : []),
    ...fact({ en: "Contact person", zh: "联系人" }, view.contact?.person ?? "—"),
    ...fact({ en: "Phone", zh: "电话" }, view.contact?.phone ?? "—"),
    ...fact({ en: "Entrances", zh: "入口" }, entrances),
  );
  return dl;
}

/**
 * The uploaded documents, each with a button that downloads it with a signed request and, beside
 * it, the reason when that fails.
 */
export function documentsSection(
  view: ApplicationView,
  page: SignedPage,
  level: 3 | 4,
): HTMLElement {
  const section = document.createElement("section");
  section.className = "documents";
  section.append(heading(level, { en: "Documents", zh: "文件" }));
  const list = document.createElement("ul");
  list.className = "plain items";
  for (const kind of DOCUMENT_KINDS) {
    const doc = view.documents.find((d) => d.kind === kind);
    const li = document.createElement("li");
    li.dataset.document = kind;
    const label = DOCUMENT_LABELS[kind];
    const name = document.createElement("strong");
    name.append(bi(label.en, label.zh));
    li.append(name, document.createElement("br"));
    if (!doc) {
      li.append(bi("Not uploaded yet", "尚未上传"));
    } else {
      const type = doc.mediaType.split("/")[1]?.toUpperCase() ?? doc.mediaType;
      const at = formatTime(doc.uploadedAt, page.deployment.timezone);
      li.append(`${type}, ${formatSize(doc.size)}, ${at}`, document.createElement("br"));
      const error = errorRegion(`document-error-${kind}`);
      const download = button(
        { en: `Download ${label.en.toLowerCase()}`, zh: `下载${label.zh}` },
        { "data-download": kind, "aria-describedby": error.id },
      );
      onActivate(download, async () => {
        clearRegion(error);
        try {
          const bytes = await callSigned(page, applicationRoutes.getDocument, {
            params: { id: view.id, kind },
          });
          // The type the service recorded at upload, the one it answers with.
          const type = doc.mediaType;
          downloadBytes(bytes, type, `${view.id}-${kind}.${EXTENSIONS[type]}`);
        } catch (e) {
          page.fail(error, e);
        }
      });
      li.append(download, error);
    }
    list.append(li);
  }
  section.append(list);
  return section;
}

const EXTENSIONS: Readonly<Record<ApplicationView["documents"][number]["mediaType"], string>> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
};

/** Who did what when, oldest first. */
export function historySection(view: ApplicationView, timeZone: string, level: 3 | 4): HTMLElement {
  const section = document.createElement("section");
  section.className = "history";
  section.append(heading(level, { en: "History", zh: "记录" }));
  const list = document.createElement("ol");
  list.className = "history-list";
  for (const ev of view.events) {
    const li = document.createElement("li");
    li.dataset.action = ev.action;
    const time = document.createElement("time");
    time.dateTime = new Date(ev.at * 1000).toISOString();
    time.textContent = formatTime(ev.at, timeZone);
    const action = actionLabel(ev.action);
    const what = document.createElement("strong");
    what.append(bi(action.en, action.zh));
    const who = document.createElement("span");
    who.className = "who";
    const role = ev.actorRole ? roleLabel(ev.actorRole) : null;
    // The account's label is what its people named it, in their language; an id or a reason is
    // recorded as it was given: neither is interface text to show in the reader's language.
    const actor = document.createElement("span");
    actor.setAttribute("translate", "no");
    actor.textContent = ev.actorLabel ?? ev.actorId;
    who.append(" — ", actor);
    if (role) who.append(" (", bi(role.en, role.zh), ")");
    li.append(time, " ", what, who);
    if (ev.detail) {
      const detail = document.createElement("span");
      detail.className = "event-detail";
      detail.setAttribute("translate", "no");
      detail.textContent = ev.detail;
      li.append(document.createElement("br"), detail);
    }
    list.append(li);
  }
  if (view.events.length === 0) {
    const li = document.createElement("li");
    li.append(bi("Nothing yet", "暂无"));
    list.append(li);
  }
  section.append(list);
  return section;
}
