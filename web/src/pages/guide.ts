/**
 * The guide for venue staff, `/guide/`: text in the shell, shown in the device's language; its
 * button prints it (the print stylesheet makes it one A4 page, in that language).
 */
import { loadAuthorityContact } from "../lib/authority-contact.ts";
import { applyLanguage } from "../lib/language.ts";

applyLanguage();
document.getElementById("print-guide")?.addEventListener("click", () => window.print());
loadAuthorityContact();
