/**
 * The public statistics page: the transparency log verified in this browser and counted per
 * month (src/lib/transparency-view.ts).
 */
import { loadAuthorityContact } from "../lib/authority-contact.ts";
import { renderTransparency } from "../lib/transparency-view.ts";

void renderTransparency(document.getElementById("transparency")!);
loadAuthorityContact();
