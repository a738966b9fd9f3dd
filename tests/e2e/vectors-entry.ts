// Bundled by vectors-browser.test.ts and run inside Chromium.
import { loadFastCurves } from "../../protocol/src/fast-curves/index.ts";
import { xchacha20poly1305Js } from "../../protocol/src/record/xchacha20poly1305.ts";
import { ready, xchacha20poly1305 } from "../../protocol/src/seal/index.ts";
import { curves, useCurves } from "../../protocol/src/tibe/backend.ts";
import { checkVectors } from "../../protocol/vectors/check.ts";
import type { Vectors } from "../../protocol/vectors/generate.ts";
import vectors from "../../protocol/vectors/lintel-v1.json";

/** The vectors through each BLS12-381 backend and each XChaCha20-Poly1305 implementation. */
(globalThis as { runLintelVectors?: () => Promise<unknown> }).runLintelVectors = async () => {
  await ready();
  const all = vectors as unknown as Vectors;
  const reference = curves();
  const noble = checkVectors(all, xchacha20poly1305);
  const nobleAead = checkVectors(all, xchacha20poly1305Js);
  const fast = await loadFastCurves();
  useCurves(fast);
  try {
    return { noble, nobleAead, mcl: checkVectors(all, xchacha20poly1305), backend: fast.name };
  } finally {
    useCurves(reference);
  }
};
