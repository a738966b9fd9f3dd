// Bundled with the pages' build options (scripts/build-web.ts) by fast-curves-browser.test.ts and
// scripts/build-web.test.ts: everything below is reached through import(), so it is a lazy
// chunk, fetched only when a page calls fastCurvesKnownAnswers().
import type { KnownAnswer } from "../../protocol/src/testing/mcl-known-answers.ts";

export async function fastCurvesKnownAnswers(): Promise<KnownAnswer[]> {
  const [{ loadMcl }, { mclKnownAnswers }] = await Promise.all([
    import("../../protocol/src/fast-curves/load-mcl.ts"),
    import("../../protocol/src/testing/mcl-known-answers.ts"),
  ]);
  return mclKnownAnswers(await loadMcl());
}
