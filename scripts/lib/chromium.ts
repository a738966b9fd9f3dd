/**
 * Makes sure Debian's Chromium is installed for the browser tests: present → nothing to do;
 * missing and we are root with apt-get → install it (with fonts for CJK and Latin text);
 * otherwise fail with a message that says what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.LINTEL_CHROMIUM ?? "/usr/bin/chromium";
const PACKAGES = ["chromium", "fonts-liberation", "fonts-noto-cjk"];

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM} and cannot be installed here (${isRoot ? "no apt-get" : "not root"}). ` +
        `Install Debian's packages: sudo apt-get install -y ${PACKAGES.join(" ")} — or set LINTEL_CHROMIUM.`,
    );
  }
  console.log(`test: installing ${PACKAGES.join(", ")} from Debian's packages…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", ...PACKAGES], {
    stdio: "inherit",
    env,
  });
  if (update.status !== 0 || install.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(
      `Installing Chromium with apt-get failed; install ${PACKAGES.join(" ")} by hand.`,
    );
  }
}
