/**
 * Makes sure the programs the tests run are installed: Debian's Chromium for the browser tests,
 * poppler's pdftoppm and pdftotext for the poster tests, ffmpeg (fake camera video) and sqlite3
 * (reading the local state) for the check-in tests. All present → nothing to do; some
 * missing and we are root with apt-get → install their packages (Chromium with fonts for CJK and
 * Latin text); otherwise fail with a message that says what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.LINTEL_CHROMIUM ?? "/usr/bin/chromium";

interface TestBinary {
  readonly name: string;
  readonly present: () => boolean;
  readonly packages: readonly string[];
}

const onPath = (command: string) => () =>
  spawnSync("sh", ["-c", 'command -v "$1"', "sh", command], { stdio: "ignore" }).status === 0;

const BINARIES: readonly TestBinary[] = [
  {
    name: CHROMIUM,
    present: () => existsSync(CHROMIUM),
    packages: ["chromium", "fonts-liberation", "fonts-noto-cjk"],
  },
  { name: "pdftoppm", present: onPath("pdftoppm"), packages: ["poppler-utils"] },
  { name: "pdftotext", present: onPath("pdftotext"), packages: ["poppler-utils"] },
  { name: "ffmpeg", present: onPath("ffmpeg"), packages: ["ffmpeg"] },
  { name: "sqlite3", present: onPath("sqlite3"), packages: ["sqlite3"] },
];

export function ensureTestBinaries(): void {
  const missing = BINARIES.filter((b) => !b.present());
  if (missing.length === 0) return;
  const names = missing.map((b) => b.name).join(", ");
  const packages = [...new Set(missing.flatMap((b) => b.packages))];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = onPath("apt-get")();
  if (!isRoot || !hasApt) {
    throw new Error(
      `${names} missing and cannot be installed here (${isRoot ? "no apt-get" : "not root"}). ` +
        `Install Debian's packages: sudo apt-get install -y ${packages.join(" ")}` +
        (missing.some((b) => b.name === CHROMIUM) ? " — or set LINTEL_CHROMIUM." : "."),
    );
  }
  console.log(`test: installing ${packages.join(", ")} from Debian's packages (for ${names})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", ...packages], {
    stdio: "inherit",
    env,
  });
  const still = missing.filter((b) => !b.present()).map((b) => b.name);
  if (update.status !== 0 || install.status !== 0 || still.length > 0) {
    throw new Error(
      `Installing ${packages.join(" ")} with apt-get failed` +
        (still.length > 0 ? ` (still missing: ${still.join(", ")})` : "") +
        `; install them by hand.`,
    );
  }
}
