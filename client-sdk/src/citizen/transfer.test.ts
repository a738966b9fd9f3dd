import { readFileSync } from "node:fs";
import { decodeBase64url, encodeBase64url } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { memoryVisitStore } from "./diary.ts";
import { memoryQueueStore } from "./queue.ts";
import { type DiaryContents, importDiary, openDiary, sealDiary } from "./transfer.ts";
import type { Visit } from "./visit.ts";

/** The README's vector: fixed salt and nonce, one visit, remembered details as the app part. */
const vector = JSON.parse(
  readFileSync(new URL("./transfer-vector.json", import.meta.url), "utf8"),
) as { passphrase: string; salt: string; nonce: string; file: string };

function visit(id: string): Visit {
  return {
    id,
    deployment: "demo",
    venueId: "hbr",
    venueName: { zh: "海港图书馆", en: "Harbour Library" },
    entranceId: "hbr-main",
    entranceName: { zh: "正门", en: "Main" },
    arrival: 1_780_000_000,
    expectedDeparture: 1_780_003_600,
    slotSeconds: 3600,
    slots: [1_779_998_400, 1_780_002_000],
    headCount: 1,
    idempotencyKey: "AAAAAAAAAAAAAAAAAAAAAA",
    deletionSecret: "A".repeat(43),
    receipt: new Uint8Array([1, 2, 3, 250]),
    storedAt: 1_780_000_001,
    companions: [],
  };
}

const contents: DiaryContents = {
  deployment: "demo",
  exportedAt: 1_780_010_000,
  visits: [visit("visit-1")],
  queue: [],
  app: { profile: { self: { name: "陈大文", phone: "+852 5555 0100" }, companions: [] } },
};

describe("the diary transfer file (lintel-diary/1)", () => {
  it("matches the vector byte for byte and opens back to the same contents", async () => {
    const file = await sealDiary(contents, vector.passphrase, {
      salt: decodeBase64url(vector.salt),
      nonce: decodeBase64url(vector.nonce),
    });
    expect(file).toBe(vector.file);
    const opened = await openDiary(vector.file, vector.passphrase);
    expect(opened).toEqual(contents);
    expect(opened.visits[0]!.receipt).toBeInstanceOf(Uint8Array);
  });

  it("refuses a wrong passphrase, a changed header and a file that is not one", async () => {
    await expect(openDiary(vector.file, `${vector.passphrase}!`)).rejects.toMatchObject({
      code: "transfer-passphrase",
    });
    const o = JSON.parse(vector.file) as { kdf: { salt: string }; nonce: string };
    const otherSalt = { ...o, kdf: { ...o.kdf, salt: encodeBase64url(new Uint8Array(16)) } };
    await expect(openDiary(JSON.stringify(otherSalt), vector.passphrase)).rejects.toMatchObject({
      code: "transfer-passphrase",
    });
    const weak = { ...o, kdf: { ...o.kdf, iterations: 1000 } };
    await expect(openDiary(JSON.stringify(weak), vector.passphrase)).rejects.toMatchObject({
      code: "transfer-file",
    });
    await expect(openDiary("not json", vector.passphrase)).rejects.toMatchObject({
      code: "transfer-file",
    });
  });

  it("refuses a short passphrase when sealing", async () => {
    await expect(sealDiary(contents, "short")).rejects.toMatchObject({
      code: "transfer-passphrase-short",
    });
  });

  it("imports once: a second import of the same file adds nothing", async () => {
    const visits = memoryVisitStore();
    const queue = memoryQueueStore();
    const stores = { visits, queue, deployment: "demo" };
    expect(await importDiary(contents, stores)).toEqual({ added: 1, alreadyHere: 0 });
    expect(await importDiary(contents, stores)).toEqual({ added: 0, alreadyHere: 1 });
    expect(await visits.list()).toHaveLength(1);
  });

  it("writes nothing from another deployment's diary", async () => {
    const visits = memoryVisitStore();
    const stores = { visits, queue: memoryQueueStore(), deployment: "other" };
    await expect(importDiary(contents, stores)).rejects.toMatchObject({
      code: "transfer-deployment",
    });
    expect(await visits.list()).toEqual([]);
  });
});
