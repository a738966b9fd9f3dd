/**
 * Test helper: the citizen tests' fake service (GET /api/deployment with a registry-signed
 * record) with a Lintel log served at /log/… from whatever entries `publish` last gave it, and a
 * small log of activity to serve: the set-up, one query of one entrance × two hours, a trustee's
 * release and a warning.
 */
import { memoryLogReader, type ReadPath } from "@lintel/protocol";
import { HOUR, T, TestLog } from "../../citizen/exposure/test-log.ts";
import { FakeService, ORIGIN } from "../../citizen/testing/fake-service.ts";
import type { FetchLike } from "../../http.ts";

export const NOW = new Date(T * 1000);
export const LOG_ORIGIN = `${ORIGIN}/log`;
export { ORIGIN };

export function servedLog() {
  const fake = new FakeService({ clock: () => NOW, aheadDays: 0 });
  let read: ReadPath = memoryLogReader([], LOG_ORIGIN, fake.log.secretKey);
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    if (!url.pathname.startsWith("/log/")) return fake.fetch(input, init);
    try {
      return new Response(new Uint8Array(await read(url.pathname.slice("/log/".length))));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
  return {
    fake,
    options: { baseUrl: ORIGIN, fetch },
    newLog: () => new TestLog({ registry: fake.registry, log: fake.log }, fake.deployment),
    publish(entries: readonly Uint8Array[]) {
      read = memoryLogReader(entries, LOG_ORIGIN, fake.log.secretKey);
    },
  };
}

export type ServedLog = ReturnType<typeof servedLog>;

/** Nine entries, all at T (2026-11-21T10:00Z). */
export function activity(s: ServedLog): TestLog {
  const log = s.newLog().setUp();
  const q = log.query(["hbr-main"], T - 3 * HOUR, T - HOUR);
  log.release(q, "trustee-a", 2);
  log.warning(q, "hbr-main", T - 3 * HOUR, T - 2 * HOUR);
  return log;
}
