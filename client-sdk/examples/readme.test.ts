/**
 * The check-in snippet of client-sdk/README.md is the example's code, not a copy that can rot:
 * the README block must equal the part of examples/embedded-checkin.ts between its README
 * markers (which `tsc` type-checks and the e2e test runs), and the example must bundle for a
 * browser from the package's public entry alone.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const sdk = path.resolve(import.meta.dirname, "..");
const EXAMPLE = path.join(sdk, "examples/embedded-checkin.ts");

/** The lines between `// README:begin` and `// README:end`, without the function's indent. */
function readmeRegion(source: string): string {
  const lines = source.split("\n");
  const begin = lines.findIndex((l) => l.trim() === "// README:begin");
  const end = lines.findIndex((l) => l.trim() === "// README:end");
  if (begin < 0 || end <= begin) throw new Error("no README region in the example");
  const indent = lines[begin]!.indexOf("//");
  return lines
    .slice(begin + 1, end)
    .map((l) => l.slice(indent))
    .join("\n");
}

describe("client-sdk/README.md's check-in snippet", () => {
  it("is the code of examples/embedded-checkin.ts", () => {
    const region = readmeRegion(readFileSync(EXAMPLE, "utf8"));
    expect(region).toContain("fetchDeployment(service, { registryVerifierKey })");
    const readme = readFileSync(path.join(sdk, "README.md"), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${region}\n\`\`\`\n`);
  });

  it("bundles for a browser from @lintel/client-sdk", async () => {
    const out = await build({
      entryPoints: [EXAMPLE],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      logLevel: "silent",
    });
    expect(out.errors).toEqual([]);
    expect(out.outputFiles[0]!.text).toContain("/api/checkins");
  }, 60_000);
});
