/**
 * `npm run vectors` — regenerates protocol/vectors/lintel-v1.json from fixed seeds. Run it only
 * when the protocol changes on purpose; the tests fail while the file and the code disagree.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ready, xchacha20poly1305 } from "@lintel/protocol/seal";
import { generateSealedReleaseVectors, generateVectors } from "../protocol/vectors/generate.ts";
import { repoRoot } from "./lib/paths.ts";

await ready();
const file = path.join(repoRoot, "protocol/vectors/lintel-v1.json");
const vectors = {
  ...generateVectors(xchacha20poly1305),
  sealedRelease: await generateSealedReleaseVectors(),
};
writeFileSync(file, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`vectors: wrote ${path.relative(process.cwd(), file)}`);
