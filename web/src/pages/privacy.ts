/**
 * The privacy page is text only: this entry shows it in the device's language (language.ts)
 * and wires the header's switches.
 */
import { loadAuthorityContact } from "../lib/authority-contact.ts";
import { loadExposureWatch } from "../lib/exposure-watch-loader.ts";
import { applyLanguage } from "../lib/language.ts";

applyLanguage();
loadExposureWatch();
loadAuthorityContact();
