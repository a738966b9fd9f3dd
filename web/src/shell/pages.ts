/**
 * Every page's shell, declared once: its address, title, stylesheets, script and the links in its
 * header. scripts/lib/page-shell.ts writes each into `web/public/` from one template (head, skip
 * link, header with the language and text-size switches, `<main>` with the page's own fragment
 * from `web/src/shell/<id>.html`, footer) when the pages are built. Pure data: the build reads it
 * in Node.
 *
 * Text is in both languages; the page shows one (web/src/lib/language.ts).
 */

export interface ShellText {
  readonly en: string;
  readonly zh: string;
}

export interface ShellLink {
  readonly href: string;
  readonly label: ShellText;
}

export interface PageShell {
  /** Also the name of the main fragment (`<id>.html`) and, with a script, its entry. */
  readonly id: string;
  /** Where the file goes under web/public/. */
  readonly file: string;
  /** The address the header marks as the current page. */
  readonly path: string;
  readonly title: ShellText;
  /** Stylesheets beyond /assets/styles.css. */
  readonly styles?: readonly string[];
  /** The entry under web/src/pages/ (bundled to /assets/gen/<script>.js). */
  readonly script: string;
  readonly nav: readonly ShellLink[];
  /** A sentence the footer adds after the common one. */
  readonly footer?: ShellText;
}

export const LINKS = {
  checkIn: { href: "/c", label: { en: "Check in", zh: "登记" } },
  visits: { href: "/visits/", label: { en: "My visits", zh: "我的登记" } },
  privacy: { href: "/privacy/", label: { en: "Privacy", zh: "隐私" } },
  report: { href: "/report/", label: { en: "Report a problem", zh: "举报问题" } },
  operator: { href: "/operator/", label: { en: "Venue owners", zh: "场所经营者" } },
  kiosk: { href: "/kiosk/", label: { en: "Kiosk screen", zh: "自助机屏幕" } },
  staff: { href: "/staff/", label: { en: "Venue staff", zh: "场所工作人员" } },
  card: { href: "/card/", label: { en: "Check-in card", zh: "登记卡" } },
  registry: { href: "/registry/", label: { en: "Registry", zh: "登记机构" } },
  authority: { href: "/authority/", label: { en: "Health authority", zh: "卫生部门" } },
  transparency: { href: "/transparency/", label: { en: "Public statistics", zh: "公开统计" } },
  guide: { href: "/guide/", label: { en: "Staff guide", zh: "员工指南" } },
} as const satisfies Record<string, ShellLink>;

const L = LINKS;

export const PAGE_SHELLS: readonly PageShell[] = [
  {
    id: "home",
    file: "index.html",
    path: "/",
    title: { en: "Private venue check-in", zh: "隐私保护的场所登记" },
    script: "home",
    nav: [L.checkIn, L.visits, L.privacy],
  },
  {
    id: "checkin",
    file: "c.html",
    path: "/c",
    title: { en: "Check in", zh: "场所登记" },
    styles: ["/assets/checkin.css"],
    script: "checkin",
    nav: [L.checkIn, L.visits, L.privacy],
    footer: {
      en: "No smartphone? Ask staff at the entrance.",
      zh: "没有智能手机？请找入口处的工作人员。",
    },
  },
  {
    id: "visits",
    file: "visits/index.html",
    path: "/visits/",
    title: { en: "My visits", zh: "我的登记" },
    styles: ["/assets/checkin.css"],
    script: "visits",
    nav: [L.checkIn, L.visits, L.privacy],
  },
  {
    id: "privacy",
    file: "privacy/index.html",
    path: "/privacy/",
    title: { en: "Privacy", zh: "隐私说明" },
    script: "privacy",
    nav: [L.report, L.privacy],
  },
  {
    id: "guide",
    file: "guide/index.html",
    path: "/guide/",
    title: { en: "Guide for venue staff", zh: "场所工作人员指南" },
    styles: ["/assets/guide.css"],
    script: "guide",
    nav: [L.staff, L.guide, L.privacy],
  },
  {
    id: "report",
    file: "report/index.html",
    path: "/report/",
    title: { en: "Report a problem at a venue", zh: "举报场所问题" },
    script: "report",
    nav: [L.report, L.privacy],
  },
  {
    id: "operator",
    file: "operator/index.html",
    path: "/operator/",
    title: { en: "Venue owners", zh: "场所经营者" },
    script: "operator",
    nav: [L.operator, L.report, L.privacy],
  },
  {
    id: "kiosk",
    file: "kiosk/index.html",
    path: "/kiosk/",
    title: { en: "Kiosk screen", zh: "自助机屏幕" },
    styles: ["/assets/staff.css"],
    script: "kiosk",
    // A kiosk device can do nothing on the operator page: no link there.
    nav: [L.kiosk, L.privacy],
  },
  {
    id: "staff",
    file: "staff/index.html",
    path: "/staff/",
    title: { en: "Venue staff", zh: "场所工作人员" },
    styles: ["/assets/staff.css"],
    script: "staff",
    nav: [L.staff, L.guide, L.card, L.privacy],
  },
  {
    id: "card",
    file: "card/index.html",
    path: "/card/",
    title: { en: "Citizen check-in card", zh: "登记卡" },
    styles: ["/assets/staff.css"],
    script: "card",
    nav: [L.card, L.staff, L.privacy],
  },
  {
    id: "registry",
    file: "registry/index.html",
    path: "/registry/",
    title: { en: "Registry", zh: "登记机构" },
    script: "registry",
    nav: [L.registry, L.report, L.privacy],
  },
  {
    id: "authority",
    file: "authority/index.html",
    path: "/authority/",
    title: { en: "Health authority", zh: "卫生部门" },
    styles: ["/assets/authority.css"],
    script: "authority",
    nav: [L.authority, L.privacy],
  },
  {
    id: "transparency",
    file: "transparency/index.html",
    path: "/transparency/",
    title: { en: "Public statistics", zh: "公开统计" },
    styles: ["/assets/transparency.css"],
    script: "transparency",
    nav: [L.transparency, L.privacy],
  },
];
