import { generateTrusteeKey, LogPolicy, NO_RELEASE_KEY } from "@lintel/protocol";
import { describe, expect, it } from "vitest";
import { matchExposure } from "./match.ts";
import { HOUR, T, TestLog, visit } from "./test-log.ts";

const MIN = 60;

/**
 * Query q over hbr-main and hbr-side, [07:00, 09:00), released by trustee-a and the log only;
 * a warning for hbr-main [07:30, 08:00); query q2 over hbr-main [09:00, 10:00) released by every
 * trustee and the log; then a third trustee enrolled after both queries.
 */
function scenario() {
  const log = new TestLog().setUp();
  const q = log.query(["hbr-main", "hbr-side"], T - 3 * HOUR, T - HOUR);
  log.release(q, "trustee-a", 4);
  log.release(q, "log", 4);
  const w = log.warning(q, "hbr-main", T - 3 * HOUR + 30 * MIN, T - 2 * HOUR);
  const q2 = log.query(["hbr-main"], T - HOUR, T);
  log.release(q2, "log", 1);
  log.release(q2, "trustee-b", 1);
  log.release(q2, "trustee-a", 1);
  const late = generateTrusteeKey();
  log.add(
    {
      kind: "trustee-enrolment",
      trusteeId: "trustee-c",
      url: "https://trustee-c.example/",
      shareKey: late.publicKey,
      proofOfPossession: late.proofOfPossession,
      signingKey: log.officerA.publicKey,
    },
    [log.keys.registry],
  );
  return { log, q, q2, w };
}

describe("matchExposure", () => {
  const { log, q, q2, w } = scenario();

  it("runs on a log that the policy accepts", () => {
    const policy = new LogPolicy(log.keys.registry.publicKey);
    for (const e of log.entries) policy.apply(e);
    expect(policy.size).toBe(BigInt(log.entries.length));
  });

  it("reports a visit inside the scope with its officers and releases", () => {
    const report = matchExposure(log.entries, [
      visit("inside", "hbr-main", T - 3 * HOUR + 20 * MIN, T - 2 * HOUR + 20 * MIN),
    ]);
    expect(report.covered).toHaveLength(1);
    const c = report.covered[0]!;
    expect(c).toMatchObject({
      visitId: "inside",
      queryIndex: q,
      issuedAt: T,
      caseReferenceHash: "ca".repeat(32),
      legalDocumentHash: "dc".repeat(32),
      legalBasis: "Prevention and Control of Disease Ordinance s.10",
      reason: "confirmed case visited in the morning",
      windowStart: T - 3 * HOUR,
      windowEnd: T - HOUR,
      releasedBy: ["trustee-a", "log"],
      fullyReleased: false,
    });
    expect(c.signedBy.map((s) => s.label).sort()).toEqual(["Officer Chan", "Officer Lee"]);
    expect(c.signedBy.map((s) => s.publicKey).sort()).toEqual(
      [log.officerA.publicKey, log.officerB.publicKey]
        .map((k) => Buffer.from(k).toString("hex"))
        .sort(),
    );
    expect(report.warnings).toEqual([
      {
        visitId: "inside",
        warningIndex: w,
        queryIndex: q,
        windowStart: T - 3 * HOUR + 30 * MIN,
        windowEnd: T - 2 * HOUR,
        issuedAt: T,
      },
    ]);
  });

  it("counts a query as fully released once every trustee enrolled at the time and the log have", () => {
    const report = matchExposure(log.entries, [
      visit("late", "hbr-main", T - HOUR + 10 * MIN, T - HOUR + 40 * MIN),
    ]);
    expect(report.covered.map((c) => [c.queryIndex, c.releasedBy, c.fullyReleased])).toEqual([
      [q2, ["log", "trustee-b", "trustee-a"], true],
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("reports nothing for another entrance, other hours, or another deployment", () => {
    const report = matchExposure(log.entries, [
      visit("other-door", "hbr-back", T - 3 * HOUR, T - HOUR),
      // Ends exactly when the window starts: [05:00, 07:00) does not meet [07:00, 09:00).
      visit("before", "hbr-main", T - 5 * HOUR, T - 3 * HOUR),
      visit("after", "hbr-side", T - HOUR, T),
      visit("elsewhere", "hbr-main", T - 3 * HOUR, T - HOUR, undefined, "other-deployment"),
    ]);
    expect(report).toEqual({ covered: [], warnings: [], venueRequests: [] });
  });

  it("uses the check-out time when the person left before the expected departure", () => {
    const stayed = visit("stayed", "hbr-main", T - 4 * HOUR, T - 2 * HOUR);
    const left = visit("left", "hbr-main", T - 4 * HOUR, T - 2 * HOUR, T - 3 * HOUR - 10 * MIN);
    const report = matchExposure(log.entries, [stayed, left]);
    expect(report.covered.map((c) => c.visitId)).toEqual(["stayed"]);
  });

  it("matches warnings by overlap of the stay with the warning's own window", () => {
    const report = matchExposure(log.entries, [
      // Overlaps the query but starts when the warning ends ([07:30, 08:00)).
      visit("after-warning", "hbr-main", T - 2 * HOUR, T - 2 * HOUR + 30 * MIN),
      // Ends one second into the warning.
      visit("touches", "hbr-main", T - 3 * HOUR, T - 3 * HOUR + 30 * MIN + 1),
      // Same hours, other entrance of the query: not warned.
      visit("side", "hbr-side", T - 3 * HOUR + 30 * MIN, T - 2 * HOUR),
    ]);
    expect(report.covered.map((c) => c.visitId)).toEqual(["after-warning", "touches", "side"]);
    expect(report.warnings.map((x) => x.visitId)).toEqual(["touches"]);
  });

  it("reports one entry per query for a visit two queries cover", () => {
    const report = matchExposure(log.entries, [
      visit("long", "hbr-main", T - 2 * HOUR, T - 30 * MIN),
    ]);
    expect(report.covered.map((c) => c.queryIndex)).toEqual([q, q2]);
  });

  it("treats a check-out at the moment of arrival as present at arrival", () => {
    const report = matchExposure(log.entries, [
      visit("blink", "hbr-side", T - 2 * HOUR, T - HOUR, T - 2 * HOUR),
    ]);
    expect(report.covered.map((c) => c.visitId)).toEqual(["blink"]);
  });
});

describe("matchExposure and venue requests", () => {
  /** Venue hbr asks about hbr-main [07:00, 09:00); officer Chan approves, warning and counts. */
  function withRequest(grants: ("warning" | "counts")[]) {
    const log = new TestLog().setUp();
    for (const entranceId of ["hbr-main", "hbr-side"])
      log.add({ kind: "entrance-issued", venueId: "hbr", entranceId }, [log.keys.registry]);
    const index = log.add(
      {
        kind: "venue-request",
        venueId: "hbr",
        entrances: ["hbr-main"],
        windowStart: T - 3 * HOUR,
        windowEnd: T - HOUR,
        reason: "guest-case",
        grants,
        releaseKey: NO_RELEASE_KEY,
      },
      [log.officerA],
    );
    return { log, index };
  }

  it("warns a visit inside the window, lists the venue's other visits, and ignores other venues", () => {
    const { log, index } = withRequest(["warning", "counts"]);
    const policy = new LogPolicy(log.keys.registry.publicKey);
    for (const e of log.entries) policy.apply(e);
    const report = matchExposure(log.entries, [
      visit("present", "hbr-main", T - 2 * HOUR, T - 2 * HOUR + 30 * MIN),
      visit("later", "hbr-main", T - HOUR, T - 30 * MIN),
      visit("side", "hbr-side", T - 2 * HOUR, T - HOUR),
      { ...visit("elsewhere", "tea-front", T - 2 * HOUR, T - HOUR), venueId: "tea" },
    ]);
    expect(report.covered).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.venueRequests.map((r) => r.visitId)).toEqual(["present", "later", "side"]);
    const [present, later, side] = report.venueRequests;
    expect(present).toMatchObject({
      visitId: "present",
      requestIndex: index,
      venueId: "hbr",
      reason: "guest-case",
      grants: ["warning", "counts"],
      windowStart: T - 3 * HOUR,
      windowEnd: T - HOUR,
      present: true,
      warned: true,
    });
    expect(present!.approvedBy.map((o) => o.label)).toEqual(["Officer Chan"]);
    expect(later).toMatchObject({ visitId: "later", present: false, warned: false });
    expect(side).toMatchObject({ visitId: "side", present: false, warned: false });
  });

  it("marks a present visit of a request granting contacts, with the holders that released", () => {
    const log = new TestLog().setUp();
    log.add({ kind: "entrance-issued", venueId: "hbr", entranceId: "hbr-main" }, [
      log.keys.registry,
    ]);
    const index = log.add(
      {
        kind: "venue-request",
        venueId: "hbr",
        entrances: ["hbr-main"],
        windowStart: T - 3 * HOUR,
        windowEnd: T - HOUR,
        reason: "staff-case",
        grants: ["contacts"],
        releaseKey: new Uint8Array(32).fill(3),
      },
      [log.officerA, log.officerB],
    );
    log.release(index, "trustee-a", 2);
    log.release(index, "log", 2);
    const policy = new LogPolicy(log.keys.registry.publicKey);
    for (const e of log.entries) policy.apply(e);
    const report = matchExposure(log.entries, [
      visit("present", "hbr-main", T - 2 * HOUR, T - 2 * HOUR + 30 * MIN),
      visit("later", "hbr-main", T - HOUR, T - 30 * MIN),
    ]);
    expect(report.covered).toEqual([]);
    expect(report.venueRequests.map((r) => [r.visitId, r.contacts, r.warned])).toEqual([
      ["present", true, false],
      ["later", false, false],
    ]);
    expect(report.venueRequests[0]!.releasedBy).toEqual(["trustee-a", "log"]);
  });

  it("does not warn when the request grants counts only", () => {
    const { log } = withRequest(["counts"]);
    const report = matchExposure(log.entries, [
      visit("present", "hbr-main", T - 2 * HOUR, T - 2 * HOUR + 30 * MIN),
    ]);
    expect(report.venueRequests).toHaveLength(1);
    expect(report.venueRequests[0]).toMatchObject({ present: true, warned: false });
  });
});
