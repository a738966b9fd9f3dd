// Bundled by vectors-browser.test.ts and run inside Chromium.
import { ready, xchacha20poly1305 } from "../../protocol/src/seal/index.ts";
import { checkVectors } from "../../protocol/vectors/check.ts";
import type { Vectors } from "../../protocol/vectors/generate.ts";
import vectors from "../../protocol/vectors/lintel-v1.json";

(globalThis as { runLintelVectors?: () => Promise<unknown> }).runLintelVectors = async () => {
  await ready();
  return checkVectors(vectors as unknown as Vectors, xchacha20poly1305);
};
