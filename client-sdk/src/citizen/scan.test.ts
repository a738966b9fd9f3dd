import {
  encodeBase32,
  formatManualCode,
  generateEd25519KeyPair,
  KIOSK_SECRET_BYTES,
  kioskCodeUrl,
  manualCodeFor,
} from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { LintelError } from "../errors.ts";
import { lookUpManualCode, readCode } from "./scan.ts";
import { FakeService, ORIGIN } from "./testing/fake-service.ts";
import { T0 } from "./testing/fixture.ts";

const fake = new FakeService({ clock: () => T0 });
const trust = { registryVerifierKey: fake.registryVerifierKey, deployment: "demo", now: T0 };

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LintelError);
    return (e as LintelError).code;
  }
  return "accepted";
}

describe("readCode", () => {
  const issued = fake.issueCode("hbr-main");
  const fragment = encodeBase32(issued.signed);

  it.each([
    ["a code URL", issued.url],
    ["a bare fragment", fragment],
    ["a lower-case fragment with spaces around it", `  ${fragment.toLowerCase()} `],
  ])("reads %s and verifies it offline", (_, text) => {
    const scanned = readCode(text, trust);
    expect(scanned.code).toMatchObject({
      deployment: "demo",
      entranceId: "hbr-main",
      venueName: { zh: "海港公共图书馆", en: "Harbour Library" },
      entranceName: { zh: "正门", en: "Main" },
      contactFields: { name: true, phone: true, idNumber: false },
    });
    expect(scanned.signed).toEqual(issued.signed);
    expect(scanned.fragment).toBe(fragment);
    expect(scanned.kiosk).toBeUndefined();
  });

  it("keeps a kiosk's rotating suffix", () => {
    const url = kioskCodeUrl(
      ORIGIN,
      new Uint8Array(KIOSK_SECRET_BYTES),
      issued.signed,
      T0.getTime(),
    );
    const scanned = readCode(url, trust);
    expect(scanned.kiosk).toHaveLength(20);
    expect(scanned.fragment).toBe(fragment);
  });

  it("refuses a forged code: another key signing under the registry's key id", () => {
    const forger = generateEd25519KeyPair();
    const forged = fake.issueCode("hbr-east", {}, forger.secretKey);
    expect(refusal(() => readCode(forged.url, trust))).toBe("bad-signature");
  });

  it("refuses a code whose bytes were changed after signing", () => {
    const altered = issued.signed.slice();
    altered[20]! ^= 1;
    expect(refusal(() => readCode(encodeBase32(altered), trust))).toBe("bad-signature");
  });

  it("refuses a genuine code of another deployment", () => {
    // Signed by the pinned registry key, for deployment "other".
    const other = fake.issueCode("hbr-main", { deployment: "other" });
    expect(refusal(() => readCode(other.url, trust))).toBe("unknown-key");
  });

  it("refuses a code pinned to another registry", () => {
    const elsewhere = new FakeService({ clock: () => T0 });
    const theirs = elsewhere.issueCode();
    expect(refusal(() => readCode(theirs.url, trust))).toBe("unknown-key");
  });

  it("refuses codes outside their validity days", () => {
    const today = Math.floor(T0.getTime() / 86_400_000);
    const old = fake.issueCode("old", { validFromDay: today - 10, validUntilDay: today - 1 });
    const early = fake.issueCode("early", { validFromDay: today + 1, validUntilDay: today + 5 });
    expect(refusal(() => readCode(old.url, trust))).toBe("expired");
    expect(refusal(() => readCode(early.url, trust))).toBe("not-yet-valid");
  });

  it("refuses text that is no code, and an unusable pinned key", () => {
    expect(refusal(() => readCode("https://checkin.test/c#", trust))).toBe("bad-encoding");
    expect(refusal(() => readCode("hello world", trust))).toBe("bad-encoding");
    expect(refusal(() => readCode(`${fragment}.AAAA`, trust))).toBe("bad-length");
    expect(
      refusal(() => readCode(issued.url, { ...trust, registryVerifierKey: "not a key" })),
    ).toBe("bad-registry-key");
  });
});

describe("lookUpManualCode", () => {
  const issued = fake.issueCode("hbr-side");
  const service = { baseUrl: ORIGIN, fetch: fake.fetch };

  it("resolves a typed code and checks it is the hash of the code returned", async () => {
    const typed = formatManualCode(issued.manual).toLowerCase();
    const before = fake.calls.length;
    const scanned = await lookUpManualCode(service, typed, trust);
    expect(scanned.signed).toEqual(issued.signed);
    expect(manualCodeFor(scanned.signed)).toBe(issued.manual);
    // The typed code goes in the body, never in a URL that access logs keep.
    expect(fake.calls.slice(before)).toEqual(["POST /api/codes/manual"]);
  });

  it("refuses an answer with another (genuine) code than the one typed", async () => {
    const other = fake.issueCode("hbr-other");
    fake.codesByManual.set(issued.manual, other);
    const err = await lookUpManualCode(service, issued.manual, trust).catch((e) => e);
    expect(err).toMatchObject({ code: "manual-code-mismatch" });
    fake.codesByManual.set(issued.manual, issued);
  });

  it("catches a typo on the device, before asking the service", async () => {
    const before = fake.calls.length;
    const last = issued.manual.at(-1) === "0" ? "1" : "0";
    const typo = issued.manual.slice(0, 10) + last;
    const err = await lookUpManualCode(service, typo, trust).catch((e) => e);
    expect(err).toMatchObject({ code: "bad-check-character" });
    expect(fake.calls.length).toBe(before);
  });
});
