import {
  CHECKIN_RECORD_BYTES,
  type CheckInRecord,
  encryptToIdentity,
  epochDay,
  extractPartialKey,
  identityBytes,
  LOG_TRUSTEE_ID,
  queryScope,
  type ScopeIdentity,
} from "@lintel/protocol";
import { sealContactToAuthority, xchacha20poly1305 } from "@lintel/protocol/seal";
import { beforeAll, describe, expect, it } from "vitest";
import { SLOT_CIPHERTEXT_BYTES } from "./ciphertexts.ts";
import { decryptIdentities } from "./decrypt.ts";
import { combineIdentityKeys, type IdentityKey } from "./keys.ts";
import { createNodeDecryptPool } from "./node-pool.ts";
import { type DecryptPool, inThreadPool } from "./pool.ts";
import { collectContacts, countFailures } from "./results.ts";
import { type DecryptProgress, decryptStream, type StreamIdentity } from "./stream.ts";
import {
  DEPLOYMENT,
  ENTRANCES,
  type Fixture,
  makeFixture,
  WINDOW_END,
  WINDOW_START,
} from "./testing/fixture.ts";
import type { PackedDecryptJob, PackedDecryptOutcome } from "./work.ts";

const SIZE = SLOT_CIPHERTEXT_BYTES;
const contact = (name: string, phone = "+86 138 0013 8000") => ({ name, phone, idNumber: "" });

let fx: Fixture;
let keys: StreamIdentity[];
/** A stored ciphertext with one byte of its sealed part flipped: a record that fails. */
let tamperedAt: string;

const stored = (identity: ScopeIdentity) =>
  fx.stored.get(`${identity.entranceId}|${identity.slotStart}`) ?? [];

/** Pages of `per` ciphertexts, packed, as the service would send them. */
function pagesOf(ciphertexts: readonly Uint8Array[], per: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < ciphertexts.length; i += per) {
    const page = ciphertexts.slice(i, i + per);
    const packed = new Uint8Array(page.length * SIZE);
    for (const [j, c] of page.entries()) packed.set(c, j * SIZE);
    out.push(packed);
  }
  return out;
}

/** The old path: every ciphertext in memory, then decrypted, then merged. */
async function oldPath(box?: Fixture["box"]) {
  const outcomes = await decryptIdentities(
    inThreadPool(),
    keys.map((k) => ({ ...k, ciphertexts: stored(k.identity) })),
  );
  return { contacts: await collectContacts(outcomes, box), failures: countFailures(outcomes) };
}

beforeAll(async () => {
  fx = await makeFixture();
  const scope = queryScope(DEPLOYMENT, {
    entrances: [...ENTRANCES],
    windowStart: WINDOW_START,
    windowEnd: WINDOW_END,
  });
  const at = (minutes: number) => WINDOW_START + minutes * 60;
  const visit = (
    i: number,
    arrival: number,
    departure: number,
    extra: Partial<CheckInRecord> = {},
  ): CheckInRecord =>
    ({
      recordedBy: "self",
      companions: i % 3,
      arrival: at(arrival),
      expectedDeparture: at(departure),
      contactKind: "contact",
      contact: contact(`Visitor ${i}`),
      ...extra,
    }) as CheckInRecord;
  // Stays of one, two and three slots, two with the same arrival at one entrance (order must
  // not depend on which thread answers first), and a sealed card.
  fx.checkIn("hbr-main", visit(1, 20, 160));
  fx.checkIn("hbr-main", visit(2, 20, 50));
  fx.checkIn("hbr-main", visit(3, 20, 50, { recordedBy: "companion" }));
  // The same record bytes at another entrance: another visit, not the same contact.
  fx.checkIn("hbr-east", visit(2, 20, 50));
  fx.checkIn("hbr-east", visit(4, 70, 110));
  fx.checkIn("hbr-east", visit(5, 50, 130));
  fx.checkIn(
    "hbr-east",
    visit(6, 125, 150, {
      recordedBy: "proxy",
      contactKind: "sealed-card",
      sealedCard: sealContactToAuthority(contact("Li Lei", "555 0100"), fx.box.publicKey),
    } as Partial<CheckInRecord>),
  );
  for (let i = 7; i < 12; i++) fx.checkIn("hbr-main", visit(i, 60 + i, 100 + i));
  // One ciphertext that fails: a copy of a real one with its sealed record changed.
  tamperedAt = `hbr-main|${WINDOW_START + 3600}`;
  const list = fx.stored.get(tamperedAt)!;
  const bad = list[0]!.slice();
  bad[SIZE - 20] = bad[SIZE - 20]! ^ 1;
  list.splice(2, 0, bad);

  // Bytes that decrypt but are no record, stored in two slots: each copy is a failure.
  const junk = new Uint8Array(CHECKIN_RECORD_BYTES).fill(0xee);
  for (const slotStart of [WINDOW_START, WINDOW_START + 3600]) {
    const id = identityBytes({
      deployment: DEPLOYMENT,
      entranceId: "hbr-east",
      slotStart,
      slotSeconds: 3600,
    });
    const c = encryptToIdentity(
      xchacha20poly1305,
      fx.masterKeyForDay(epochDay(slotStart)),
      id,
      junk,
    );
    fx.stored.get(`hbr-east|${slotStart}`)!.push(c);
  }

  const release = (id: string, secretOf: (s: ScopeIdentity) => Uint8Array) => ({
    trusteeId: id,
    queryIndex: 9n,
    releaseIndex: 10n,
    partialKeys: scope.map((s) => extractPartialKey(secretOf(s), s.idBytes)),
  });
  const combined: IdentityKey[] = await combineIdentityKeys({
    trustees: fx.deployment.trustees,
    epochKeys: fx.epochKeys,
    scope,
    trusteeReleases: fx.trustees.map((t) => release(t.id, () => t.key.secretShare)),
    logRelease: release(
      LOG_TRUSTEE_ID,
      (s) => fx.epochKeys.get(Math.floor(s.slotStart / 86_400))!.secretShare,
    ),
  });
  keys = combined.flatMap((k) => (k.status === "ready" ? [k] : []));
  expect(keys.length).toBe(scope.length);
}, 120_000);

/** A pool whose first packed job answers only after a later one has: answers out of order. */
function lateFirstAnswer(inner: DecryptPool): DecryptPool {
  let first: Promise<PackedDecryptOutcome> | undefined;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...inner,
    decryptPacked: async (job: PackedDecryptJob) => {
      if (!first) {
        first = inner.decryptPacked!(job);
        await held;
        return first;
      }
      const answer = await inner.decryptPacked!(job);
      release();
      return answer;
    },
  };
}

describe("streaming decryption", () => {
  it("gives exactly the old path's contacts and failures, with a failing ciphertext, a late page and answers out of order", async () => {
    const old = await oldPath(fx.box);
    expect(old.failures).toEqual({ "decryption-failed": 1, "unknown-type": 2 });
    expect(old.contacts.length).toBe(12);
    expect(
      old.contacts
        .filter((c) => c.details.kind === "contact" && c.details.contact.name === "Visitor 2")
        .map((c) => c.entranceId)
        .sort(),
    ).toEqual(["hbr-east", "hbr-main"]);
    let lateServed = false;
    const merger = await decryptStream({
      pool: lateFirstAnswer(inThreadPool()),
      identities: keys,
      ciphertextBytes: SIZE,
      window: 3,
      chunk: 1,
      async *pages(identity) {
        for (const page of pagesOf(stored(identity), 2)) {
          // The page holding the bad ciphertext comes after a wait of several event-loop turns.
          if (`${identity.entranceId}|${identity.slotStart}` === tamperedAt && !lateServed) {
            lateServed = true;
            for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
          }
          yield page;
        }
      },
    });
    expect(lateServed).toBe(true);
    expect(merger.failures()).toEqual(old.failures);
    expect(merger.ciphertexts).toBe(keys.reduce((n, k) => n + stored(k.identity).length, 0));
    expect(await merger.contacts(fx.box)).toEqual(old.contacts);
    // Without the box key the card stays sealed, as in the old path.
    expect(await merger.contacts()).toEqual((await oldPath()).contacts);
  });

  it("gives the same contacts in two worker threads (packed jobs transferred) and through a pool without packed jobs", async () => {
    const old = await oldPath(fx.box);
    const pool = await createNodeDecryptPool({ threads: 2 });
    const pages = async function* (identity: ScopeIdentity) {
      yield* pagesOf(stored(identity), 3);
    };
    try {
      const threaded = await decryptStream({
        pool,
        identities: keys,
        ciphertextBytes: SIZE,
        chunk: 2,
        pages,
      });
      expect(threaded.failures()).toEqual(old.failures);
      expect(await threaded.contacts(fx.box)).toEqual(old.contacts);
    } finally {
      await pool.close();
    }
    const { decryptPacked: _, ...unpacked } = inThreadPool();
    const legacy = await decryptStream({
      pool: unpacked,
      identities: keys,
      ciphertextBytes: SIZE,
      pages,
    });
    expect(legacy.failures()).toEqual(old.failures);
    expect(await legacy.contacts(fx.box)).toEqual(old.contacts);
  }, 120_000);

  it("reports progress that only grows and ends at the total", async () => {
    const reports: DecryptProgress[] = [];
    let clock = 0;
    const merger = await decryptStream({
      pool: lateFirstAnswer(inThreadPool()),
      identities: keys,
      ciphertextBytes: SIZE,
      chunk: 1,
      pages: async function* (identity) {
        yield* pagesOf(stored(identity), 2);
      },
      now: () => (clock += 10),
      onProgress: (p) => reports.push(p),
    });
    const total = merger.ciphertexts;
    expect(reports.length).toBeGreaterThan(total / 2);
    for (const [i, r] of reports.entries()) {
      const before = reports[i - 1];
      if (before) {
        expect(r.done).toBeGreaterThanOrEqual(before.done);
        expect(r.elapsedMs).toBeGreaterThanOrEqual(before.elapsedMs);
        if (before.total !== undefined) expect(r.total).toBe(before.total);
      }
      expect(r.done).toBeLessThanOrEqual(total);
      if (r.total !== undefined) expect(r.total).toBe(total);
      if (r.etaMs !== undefined) expect(r.etaMs).toBeGreaterThanOrEqual(0);
    }
    expect(reports.at(-1)).toMatchObject({ done: total, total, etaMs: 0 });
  });

  it("never reads more than the window of pages ahead of the threads", async () => {
    const window = 3;
    const pagesPerIdentity = 4;
    let yielded = 0;
    let answered = 0;
    let most = 0;
    const queue: Array<() => void> = [];
    const inner = inThreadPool();
    // Answers only when the test lets it: the threads are as slow as the test wants.
    const slow: DecryptPool = {
      ...inner,
      decryptPacked: (job) =>
        new Promise((resolve, reject) => {
          queue.push(() => {
            answered++;
            inner.decryptPacked!(job).then(resolve, reject);
          });
        }),
    };
    const identities = keys.slice(0, 3);
    const run = decryptStream({
      pool: slow,
      identities,
      ciphertextBytes: SIZE,
      window,
      chunk: 1_000,
      async *pages() {
        for (let p = 0; p < pagesPerIdentity; p++) {
          yielded++;
          most = Math.max(most, yielded - answered);
          // Bytes that are no ciphertext: each fails at once, without a pairing.
          yield new Uint8Array(2 * SIZE).fill(p + 1);
        }
      },
    });
    let finished = false;
    void run.finally(() => {
      finished = true;
    });
    while (!finished) {
      await new Promise((r) => setTimeout(r, 1));
      queue.shift()?.();
    }
    const merger = await run;
    expect(merger.ciphertexts).toBe(identities.length * pagesPerIdentity * 2);
    expect(merger.failures()).toEqual({ "unknown-type": merger.ciphertexts });
    expect(most).toBeLessThanOrEqual(window);
    // The window was used, not just respected by a source that never got ahead.
    expect(most).toBe(window);
  });

  it("stops reading and rejects when a job fails", async () => {
    let read = 0;
    const failing: DecryptPool = {
      ...inThreadPool(),
      decryptPacked: async () => {
        throw new Error("a thread died");
      },
    };
    await expect(
      decryptStream({
        pool: failing,
        identities: keys,
        ciphertextBytes: SIZE,
        window: 2,
        async *pages() {
          for (let p = 0; p < 100; p++) {
            read++;
            yield new Uint8Array(SIZE);
          }
        },
      }),
    ).rejects.toThrow("a thread died");
    expect(read).toBeLessThan(10);
  });
});
