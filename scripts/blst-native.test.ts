/**
 * The native curves addon's build (scripts/blst-native.mjs): blst's sources are used only from the
 * tarball with the pinned SHA-512 — one changed byte stops the build — and the build is current
 * after install (a second run does nothing), or says why it was skipped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkTarball, ensureBlstNative, unsupported } from "./blst-native.mjs";
import { repoRoot } from "./lib/paths.ts";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const cached = path.join(repoRoot, ".cache/blst/chainsafe-blst-0.2.11.tgz");

describe("the native curves build", () => {
  it("is current after install, or names why it cannot be built here", () => {
    const skip = unsupported();
    expect(ensureBlstNative()).toBe(skip ? `skipped: ${skip}` : "current");
  });

  it.runIf(unsupported() === undefined)(
    "accepts the pinned tarball and refuses it with one byte changed",
    () => {
      expect(() => checkTarball(cached)).not.toThrow();
      const bytes = readFileSync(cached);
      bytes[bytes.length >> 1]! ^= 1;
      const dir = mkdtempSync(path.join(os.tmpdir(), "lintel-blst-"));
      scratch.push(dir);
      const changed = path.join(dir, "chainsafe-blst-0.2.11.tgz");
      writeFileSync(changed, bytes);
      expect(() => checkTarball(changed)).toThrow(/expected sha512-/);
    },
  );
});
