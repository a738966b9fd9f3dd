/**
 * The responsible health authority's contact (name, phone, address, web page), as the deployment
 * sets it, added to a public page's footer in the reader's language. From GET /api/deployment:
 * untrusted text, so it goes in as text nodes; the web address only as an https link.
 */
import { callRoute } from "@lintel/client-sdk";
import { citizenRoutes, type RouteAnswer } from "@lintel/contract";
import { el } from "./dom.ts";
import { bi, tr } from "./i18n.ts";

type Contact = NonNullable<RouteAnswer<typeof citizenRoutes.deployment>["contact"]>;

/** Shows `contact` in the footer (once; nothing when the deployment sets none). */
export function showAuthorityContact(contact: Contact | undefined): void {
  const footer = document.querySelector("footer.site");
  if (!contact || !footer || document.getElementById("authority-contact")) return;
  const url = contact.url && /^https:\/\//.test(contact.url) ? contact.url : undefined;
  footer.append(
    el(
      "p",
      { id: "authority-contact" },
      bi("Responsible health authority: ", "负责的卫生部门："),
      el("span", { class: "contact-name" }, tr(contact.name)),
      " · ",
      el("a", { href: `tel:${contact.phone.replace(/[^+0-9]/g, "")}` }, contact.phone),
      " · ",
      tr(contact.address),
      ...(url ? [" · ", el("a", { href: url, rel: "noopener" }, bi("Web page", "网页"))] : []),
    ),
  );
}

/** For a page that does not load the deployment itself. Offline: nothing is shown. */
export function loadAuthorityContact(): void {
  void callRoute({ baseUrl: location.origin }, citizenRoutes.deployment)
    .then((d) => showAuthorityContact(d.contact))
    .catch(() => undefined);
}
