import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../errors.ts";
import { generateEd25519KeyPair } from "../../keys/ed25519.ts";
import { formatVerifierKey, parseVerifierKey } from "../../keys/verifier-key.ts";
import { TEST_LIMITS } from "../../testing/deployment-limits.ts";
import { generateTrusteeKey } from "../../tibe/trustee-key.ts";
import { auditLog } from "../audit/audit.ts";
import { memoryLogReader } from "../audit/memory-log.ts";
import { sourceFromReader } from "../audit/source.ts";
import { type EntryBody, encodeEntryBody } from "./bodies.ts";
import { countersignEntry, decodeEntry, encodeEntry, signEntry } from "./entry.ts";
import { LogPolicy, POLICY_RULES, queryIdentityCount } from "./policy.ts";

const registry = generateEd25519KeyPair();
const log = generateEd25519KeyPair();
const officerA = generateEd25519KeyPair();
const officerB = generateEd25519KeyPair();
const stranger = generateEd25519KeyPair();
const trusteeSigner = generateEd25519KeyPair();
const share = generateTrusteeKey();
const epoch = generateTrusteeKey();
const T0 = 1_763_700_000 - (1_763_700_000 % 3600);

function entry(body: EntryBody, signers: Uint8Array[], issuedAt = T0): Uint8Array {
  return encodeEntry(signEntry({ deployment: "demo", issuedAt, body }, signers));
}

const query = (over: Partial<Extract<EntryBody, { kind: "exposure-query" }>> = {}): EntryBody => ({
  kind: "exposure-query",
  caseReferenceHash: new Uint8Array(32).fill(1),
  legalBasis: "Infectious Disease Act §12",
  legalDocumentHash: new Uint8Array(32).fill(2),
  entrances: ["hbr-main"],
  windowStart: T0 - 3 * 3600,
  windowEnd: T0 - 3600,
  reason: "confirmed case visited on the evening of the 20th",
  releaseKey: new Uint8Array(32).fill(9),
  ...over,
});

type DeploymentBody = Extract<EntryBody, { kind: "deployment" }>;
const deploymentBody = (over: Partial<DeploymentBody> = {}): DeploymentBody => ({
  kind: "deployment",
  registryKey: registry.publicKey,
  logKey: log.publicKey,
  ...TEST_LIMITS,
  ...over,
});

const issue = (entranceId: string, issuedAt = T0) =>
  entry({ kind: "entrance-issued", venueId: "hbr", entranceId }, [registry.secretKey], issuedAt);

/** A valid log up to and including one approved query at index 6 (of entrance hbr-main). */
function baseLog(): Uint8Array[] {
  return [
    entry(deploymentBody(), [registry.secretKey]),
    entry({ kind: "officer-enrolment", publicKey: officerA.publicKey, label: "Officer A" }, [
      registry.secretKey,
    ]),
    entry({ kind: "officer-enrolment", publicKey: officerB.publicKey, label: "Officer B" }, [
      registry.secretKey,
    ]),
    entry(
      {
        kind: "trustee-enrolment",
        trusteeId: "trustee-a",
        url: "https://trustee-a.example/",
        shareKey: share.publicKey,
        proofOfPossession: share.proofOfPossession,
        signingKey: trusteeSigner.publicKey,
      },
      [registry.secretKey],
    ),
    entry(
      {
        kind: "epoch-key",
        day: 20_416,
        publicKey: epoch.publicKey,
        proofOfPossession: epoch.proofOfPossession,
      },
      [log.secretKey],
    ),
    issue("hbr-main"),
    entry(query(), [officerA.secretKey, officerB.secretKey]),
  ];
}

function replay(entries: Uint8Array[]): LogPolicy {
  const policy = new LogPolicy(registry.publicKey);
  for (const e of entries) policy.apply(e);
  return policy;
}

function violationOf(entries: Uint8Array[]): string {
  try {
    replay(entries);
    return "accepted";
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return `${e.code}: ${e.message}`;
  }
}

const release = (
  over: Partial<Extract<EntryBody, { kind: "trustee-release" }>> = {},
): EntryBody => ({
  kind: "trustee-release",
  queryIndex: 6n,
  trusteeId: "trustee-a",
  identityCount: 2,
  partialKeysHash: new Uint8Array(32),
  ...over,
});

/** Officer A's warning for the first hour of the query at index 6 (at hbr-main, in scope). */
const warning = (entranceId = "hbr-main") =>
  entry(
    {
      kind: "exposure-warning",
      queryIndex: 6n,
      entranceId,
      windowStart: T0 - 3 * 3600,
      windowEnd: T0 - 2 * 3600,
    },
    [officerA.secretKey],
  );

describe("log entries", () => {
  it("round-trip with canonical signature order, and a countersignature adds the second officer", () => {
    const one = signEntry({ deployment: "demo", issuedAt: T0, body: query() }, [
      officerA.secretKey,
    ]);
    const both = countersignEntry(one, officerB.secretKey);
    const bytes = encodeEntry(both);
    expect(decodeEntry(bytes).entry).toEqual(both);
    expect(bytes).toEqual(
      encodeEntry(
        signEntry({ deployment: "demo", issuedAt: T0, body: query() }, [
          officerB.secretKey,
          officerA.secretKey,
        ]),
      ),
    );
    expect(() => countersignEntry(both, officerA.secretKey)).toThrow(ProtocolError);
  });

  it("refuse unsorted or repeated signatures, trailing bytes and unknown kinds", () => {
    const bytes = entry(query(), [officerA.secretKey, officerB.secretKey]);
    const n = bytes.length;
    const swapped = bytes.slice();
    swapped.set(bytes.subarray(n - 96, n), n - 192);
    swapped.set(bytes.subarray(n - 192, n - 96), n - 96);
    expect(() => decodeEntry(swapped)).toThrow(/ascending/);
    expect(() => decodeEntry(new Uint8Array([...bytes, 0]))).toThrow(/unexpected bytes/);
    const unknownKind = bytes.slice();
    unknownKind[2] = 200;
    expect(() => decodeEntry(unknownKind)).toThrow(/unknown entry kind/);
  });
});

describe("log policy", () => {
  it("accepts a well-formed history with a query, releases and a warning", () => {
    const policy = replay([
      ...baseLog(),
      entry(release(), [trusteeSigner.secretKey]),
      warning(),
      entry(
        {
          kind: "retention-receipt",
          cutoff: T0 - 21 * 86_400,
          ciphertextsDeleted: 12_345n,
          epochDaysDestroyed: [20_394],
        },
        [log.secretKey],
      ),
    ]);
    expect(policy.size).toBe(10n);
    expect(queryIdentityCount({ entrances: ["a", "b"], windowStart: 0, windowEnd: 7200 })).toBe(4);
  });

  it.each([
    ["one officer alone", () => entry(query(), [officerA.secretKey]), /needs 2 distinct officers/],
    [
      "an officer and a stranger",
      () => entry(query(), [officerA.secretKey, stranger.secretKey]),
      /not an enrolled officer/,
    ],
    [
      "a window too long",
      () =>
        entry(query({ windowStart: T0 - 50 * 3600, windowEnd: T0 - 3600 }), [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      /too long/,
    ],
    [
      "a window off the hour",
      () =>
        entry(query({ windowStart: T0 - 3 * 3600 + 60 }), [officerA.secretKey, officerB.secretKey]),
      /on the hour/,
    ],
    [
      "a window in the future",
      () =>
        entry(query({ windowStart: T0 + 3600, windowEnd: T0 + 3 * 3600 }), [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      /future/,
    ],
    [
      "a window before retention",
      () =>
        entry(query({ windowStart: T0 - 30 * 86_400, windowEnd: T0 - 30 * 86_400 + 3600 }), [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      /retention/,
    ],
    [
      "too many entrances",
      () =>
        entry(query({ entrances: Array.from({ length: 21 }, (_, i) => `e${i}`) }), [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      /too many/,
    ],
    [
      "the same query twice",
      () => entry(query(), [officerA.secretKey, officerB.secretKey]),
      /already logged/,
    ],
    [
      "no reason",
      () => entry(query({ reason: " " }), [officerA.secretKey, officerB.secretKey]),
      /the reason must say why/,
    ],
    [
      "a one-character legal basis",
      () =>
        entry(query({ legalBasis: "x", caseReferenceHash: new Uint8Array(32).fill(7) }), [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      /legal basis must name the law/,
    ],
    [
      "a one-word reason",
      () =>
        entry(query({ reason: "sweep", caseReferenceHash: new Uint8Array(32).fill(7) }), [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      /the reason must say why/,
    ],
    [
      "an entrance the registry never issued",
      () =>
        entry(
          query({ entrances: ["hbr-main", "made-up"], caseReferenceHash: new Uint8Array(32) }),
          [officerA.secretKey, officerB.secretKey],
        ),
      /entrance made-up was never issued/,
    ],
    ["an entrance issued twice", () => issue("hbr-main"), /already issued/],
    [
      "an entrance issued by someone else",
      () =>
        entry({ kind: "entrance-issued", venueId: "hbr", entranceId: "hbr-side" }, [
          officerA.secretKey,
        ]),
      /registry alone/,
    ],
    [
      "a release signed by someone else",
      () => entry(release(), [stranger.secretKey]),
      /trustee trustee-a alone/,
    ],
    [
      "a release of the wrong scope",
      () => entry(release({ identityCount: 48 }), [trusteeSigner.secretKey]),
      /different number/,
    ],
    [
      "a release for a non-query",
      () => entry(release({ queryIndex: 3n }), [trusteeSigner.secretKey]),
      /not an earlier query/,
    ],
    [
      "a release for a later entry",
      () => entry(release({ queryIndex: 99n }), [trusteeSigner.secretKey]),
      /not an earlier query/,
    ],
    [
      "an enrolment not by the registry",
      () =>
        entry({ kind: "officer-enrolment", publicKey: stranger.publicKey, label: "X" }, [
          stranger.secretKey,
        ]),
      /registry alone/,
    ],
    [
      "an epoch key not by the log",
      () =>
        entry(
          {
            kind: "epoch-key",
            day: 20_417,
            publicKey: epoch.publicKey,
            proofOfPossession: epoch.proofOfPossession,
          },
          [registry.secretKey],
        ),
      /log key alone/,
    ],
    [
      "a second epoch key for a day",
      () =>
        entry(
          {
            kind: "epoch-key",
            day: 20_416,
            publicKey: epoch.publicKey,
            proofOfPossession: epoch.proofOfPossession,
          },
          [log.secretKey],
        ),
      /already published/,
    ],
    [
      "a rogue trustee key",
      () =>
        entry(
          {
            kind: "trustee-enrolment",
            trusteeId: "t2",
            url: "https://x/",
            shareKey: epoch.publicKey,
            proofOfPossession: share.proofOfPossession,
            signingKey: stranger.publicKey,
          },
          [registry.secretKey],
        ),
      /proof of possession/,
    ],
    [
      "a backdated entry",
      () =>
        entry(
          { kind: "retention-receipt", cutoff: 0, ciphertextsDeleted: 0n, epochDaysDestroyed: [] },
          [log.secretKey],
          T0 - 3600,
        ),
      /backdated/,
    ],
    ["a second deployment entry", () => baseLog()[0]!, /only the first entry/],
    ["a warning outside the query", () => warning("hbr-east"), /outside/],
  ])("refuses %s", (_, make, reason) => {
    expect(violationOf([...baseLog(), make()])).toMatch(reason);
  });

  it("accepts a window of exactly maxWindowHours and refuses one hour more", () => {
    const at = (hours: number) =>
      entry(
        query({
          caseReferenceHash: new Uint8Array(32).fill(hours),
          windowStart: T0 - (hours + 1) * 3600,
          windowEnd: T0 - 3600,
        }),
        [officerA.secretKey, officerB.secretKey],
      );
    expect(violationOf([...baseLog(), at(48)])).toBe("accepted");
    expect(violationOf([...baseLog(), at(49)])).toMatch(/too long/);
  });

  describe("entrance-hour budget and per-case limits", () => {
    const officerC = generateEd25519KeyPair();
    const enrolC = entry(
      { kind: "officer-enrolment", publicKey: officerC.publicKey, label: "Officer C" },
      [registry.secretKey],
    );
    const doors = Array.from({ length: 4 }, (_, i) => `door-${i}`);
    // 4 doors × 24 hours = 96 entrance-hours: above the 48 budget, at the 96 hard cap.
    const wide = (
      hours: number,
      over: Partial<Extract<EntryBody, { kind: "exposure-query" }>> = {},
    ) =>
      query({
        caseReferenceHash: new Uint8Array(32).fill(9),
        entrances: doors,
        windowStart: T0 - (hours + 1) * 3600,
        windowEnd: T0 - 3600,
        ...over,
      });
    const history = () => [...baseLog(), enrolC, ...doors.map((d) => issue(d))];

    it("needs wideQueryApprovals officers above the budget, and refuses anything above the hard cap", () => {
      expect(
        violationOf([...history(), entry(wide(24), [officerA.secretKey, officerB.secretKey])]),
      ).toMatch(/more than 48 entrance-hours needs 3 distinct officers, has 2/);
      expect(
        violationOf([
          ...history(),
          entry(wide(24), [officerA.secretKey, officerB.secretKey, officerC.secretKey]),
        ]),
      ).toBe("accepted");
      // 12 hours × 4 doors = 48: exactly the budget, two officers suffice.
      expect(
        violationOf([...history(), entry(wide(12), [officerA.secretKey, officerB.secretKey])]),
      ).toBe("accepted");
      const tooWide = wide(25);
      expect(
        violationOf([
          ...history(),
          entry(tooWide, [officerA.secretKey, officerB.secretKey, officerC.secretKey]),
        ]),
      ).toMatch(/too many entrance-hours \(at most 96\)/);
    });

    it("limits one case's queries and its entrance-hours across queries", () => {
      const signers = [officerA.secretKey, officerB.secretKey, officerC.secretKey];
      const hours = (h: number, door: string) =>
        entry(
          wide(h, { entrances: [door], caseReferenceHash: new Uint8Array(32).fill(5) }),
          signers,
        );
      // 48 + 48 = 96 fine; a third of 25 would pass 120.
      expect(
        violationOf([...history(), hours(48, "door-0"), hours(48, "door-1"), hours(25, "door-2")]),
      ).toMatch(/this case would cover more than 120 entrance-hours/);
      expect(
        violationOf([...history(), hours(48, "door-0"), hours(48, "door-1"), hours(24, "door-2")]),
      ).toBe("accepted");
      // Three queries per case: a fourth, however small, is refused.
      expect(
        violationOf([
          ...history(),
          hours(1, "door-0"),
          hours(1, "door-1"),
          hours(1, "door-2"),
          hours(1, "door-3"),
        ]),
      ).toMatch(/this case already has 3 queries/);
    });

    it("keeps the per-case totals and issued entrances across a snapshot", () => {
      const signers = [officerA.secretKey, officerB.secretKey, officerC.secretKey];
      const hours = (h: number, door: string) =>
        entry(
          wide(h, { entrances: [door], caseReferenceHash: new Uint8Array(32).fill(5) }),
          signers,
        );
      const entries = [...history(), hours(48, "door-0"), hours(48, "door-1")];
      const resumed = LogPolicy.fromSnapshot(
        JSON.parse(JSON.stringify(replay(entries).snapshot())),
        registry.publicKey,
      );
      expect(() => resumed.apply(hours(25, "door-2"))).toThrow(/more than 120 entrance-hours/);
      expect(resumed.isIssuedEntrance("door-3")).toBe(true);
      expect(resumed.isIssuedEntrance("made-up")).toBe(false);
    });
  });

  describe("a query approved after other entries", () => {
    const later = (seconds: number) =>
      entry(
        { kind: "retention-receipt", cutoff: 0, ciphertextsDeleted: 0n, epochDaysDestroyed: [] },
        [log.secretKey],
        T0 + seconds,
      );
    // Filed at T0 (its issuedAt), approved and appended after entries of later dates.
    const filed = entry(query({ caseReferenceHash: new Uint8Array(32).fill(3) }), [
      officerA.secretKey,
      officerB.secretKey,
    ]);

    it("is logged while its draft lifetime lasts (minutes or hours after filing)", () => {
      expect(violationOf([...baseLog(), later(6 * 60), filed])).toBe("accepted");
      expect(violationOf([...baseLog(), later(86_400), filed])).toBe("accepted");
    });

    it("is refused once the draft lifetime is over, and other kinds keep the five minutes", () => {
      expect(violationOf([...baseLog(), later(86_400 + 1), filed])).toMatch(/backdated/);
      expect(violationOf([...baseLog(), later(6 * 60), issue("hbr-side")])).toMatch(/backdated/);
    });
  });

  it.each([
    [{ maxEntranceHoursWide: 47 }, /hard cap/],
    [{ wideQueryApprovals: 2 }, /wide queries need more officers/],
    [{ maxEntranceHoursPerCase: 10 }, /per-case/],
    [{ maxQueriesPerCase: 0 }, /one query/],
    [{ draftLifetimeSeconds: 60 }, /draft lifetime/],
  ])("refuses a deployment whose query limits contradict each other (%o)", (over, reason) => {
    expect(violationOf([entry(deploymentBody(over), [registry.secretKey])])).toMatch(reason);
  });

  it("counts one officer's two device keys (one label) as one officer", () => {
    const secondPhone = generateEd25519KeyPair();
    const base = baseLog().slice(0, 6);
    const enrolSecond = entry(
      { kind: "officer-enrolment", publicKey: secondPhone.publicKey, label: "Officer A" },
      [registry.secretKey],
    );
    expect(
      violationOf([
        ...base,
        enrolSecond,
        entry(query(), [officerA.secretKey, secondPhone.secretKey]),
      ]),
    ).toMatch(/needs 2 distinct officers, has 1/);
    // The same keys with officer B's signature added: two people, accepted.
    expect(
      violationOf([
        ...base,
        enrolSecond,
        entry(query(), [officerA.secretKey, secondPhone.secretKey, officerB.secretKey]),
      ]),
    ).toBe("accepted");
  });

  it("takes the log's own epoch-share release under the reserved id, signed by the log key only", () => {
    const logRelease = entry(release({ trusteeId: "log" }), [log.secretKey]);
    expect(violationOf([...baseLog(), logRelease])).toBe("accepted");
    expect(
      violationOf([...baseLog(), entry(release({ trusteeId: "log" }), [trusteeSigner.secretKey])]),
    ).toMatch(/log key alone/);
    const enrolLog = entry(
      {
        kind: "trustee-enrolment",
        trusteeId: "log",
        url: "https://x.example/",
        shareKey: generateTrusteeKey().publicKey,
        proofOfPossession: share.proofOfPossession,
        signingKey: stranger.publicKey,
      },
      [registry.secretKey],
    );
    expect(violationOf([...baseLog(), enrolLog])).toMatch(/log's own share/);
  });

  it("refuses a second release by the same trustee, and any invalid signature", () => {
    expect(
      violationOf([
        ...baseLog(),
        entry(release(), [trusteeSigner.secretKey]),
        entry(release(), [trusteeSigner.secretKey]),
      ]),
    ).toMatch(/second release/);
    const good = entry(release(), [trusteeSigner.secretKey]);
    const bad = good.slice();
    bad[bad.length - 1]! ^= 1;
    expect(violationOf([...baseLog(), bad])).toMatch(/does not verify/);
  });

  it("refuses a second trustee with the same key share, and a log key other than the pinned one", () => {
    const twin = entry(
      {
        kind: "trustee-enrolment",
        trusteeId: "trustee-twin",
        url: "https://twin.example/",
        shareKey: share.publicKey,
        proofOfPossession: share.proofOfPossession,
        signingKey: stranger.publicKey,
      },
      [registry.secretKey],
    );
    expect(violationOf([...baseLog(), twin])).toMatch(/already holds this key share/);
    const policy = new LogPolicy(registry.publicKey, generateEd25519KeyPair().publicKey);
    expect(() => policy.apply(baseLog()[0]!)).toThrow(/log key other than/);
  });

  it("encodes signatures in canonical order whatever order they were given, and refuses a key twice", () => {
    const signed = signEntry({ deployment: "demo", issuedAt: T0, body: query() }, [
      officerA.secretKey,
      officerB.secretKey,
    ]);
    const reversed = { ...signed, signatures: [...signed.signatures].reverse() };
    expect(encodeEntry(reversed)).toEqual(encodeEntry(signed));
    const twice = { ...signed, signatures: [signed.signatures[0]!, signed.signatures[0]!] };
    expect(() => encodeEntry(twice)).toThrow(/at most once/);
  });

  it("refuses a log whose first entry is not the pinned registry's deployment", () => {
    const other = generateEd25519KeyPair();
    const first = entry(deploymentBody({ registryKey: other.publicKey }), [other.secretKey]);
    expect(violationOf([first])).toMatch(/pinned/);
    expect(violationOf([baseLog()[1]!])).toMatch(/first entry must describe/);
  });
});

describe("venue supervision entries", () => {
  const byRegistry = (body: EntryBody, signers = [registry.secretKey]) => entry(body, signers);
  const suspend = (venueId = "hbr", reason: "inspection-failed" | "closed" = "inspection-failed") =>
    byRegistry({ kind: "venue-suspension", venueId, reason });
  const reinstate = (venueId = "hbr") => byRegistry({ kind: "venue-reinstatement", venueId });
  const retire = (entranceId: string, replacedBy = "", venueId = "hbr") =>
    byRegistry({ kind: "entrance-retired", venueId, entranceId, replacedBy });

  it("round-trip every new body, and refuse an unknown suspension reason", () => {
    for (const e of [suspend(), reinstate(), retire("hbr-main", "hbr-side")]) {
      expect(encodeEntry(decodeEntry(e).entry)).toEqual(e);
    }
    const bytes = suspend("hbr", "closed");
    const body = encodeEntryBody({ kind: "venue-suspension", venueId: "hbr", reason: "closed" });
    const at = Array.from({ length: bytes.length }, (_, i) => i).find((i) =>
      body.every((b, j) => bytes[i + j] === b),
    );
    expect(at).toBeDefined();
    const bad = bytes.slice();
    bad[at! + body.length - 1] = 99; // the reason, the body's last byte
    expect(() => decodeEntry(bad)).toThrow(/unknown suspension reason/);
  });

  it("suspend a venue with issued entrances once, and reinstate only a suspended one", () => {
    const policy = replay([...baseLog(), suspend()]);
    expect(policy.suspension("hbr")).toBe("inspection-failed");
    expect(() => policy.apply(suspend())).toThrow(/already suspended/);
    policy.apply(reinstate());
    expect(policy.suspension("hbr")).toBeUndefined();
    expect(() => policy.apply(reinstate())).toThrow(/not suspended/);
    policy.apply(suspend("hbr", "closed"));
    expect(policy.suspension("hbr")).toBe("closed");
    expect(violationOf([...baseLog(), suspend("nowhere")])).toMatch(/no issued entrance/);
    expect(violationOf([...baseLog(), reinstate("nowhere")])).toMatch(/not suspended/);
    expect(
      violationOf([
        ...baseLog(),
        byRegistry({ kind: "venue-suspension", venueId: "hbr", reason: "other" }, [
          officerA.secretKey,
        ]),
      ]),
    ).toMatch(/registry alone/);
    expect(
      violationOf([
        ...baseLog(),
        suspend(),
        byRegistry({ kind: "venue-reinstatement", venueId: "hbr" }, [
          registry.secretKey,
          officerA.secretKey,
        ]),
      ]),
    ).toMatch(/registry alone/);
  });

  it("retire an issued entrance of the named venue once, pointing only to an open one of it", () => {
    const side = issue("hbr-side");
    const other = entry({ kind: "entrance-issued", venueId: "tea", entranceId: "tea-front" }, [
      registry.secretKey,
    ]);
    const policy = replay([...baseLog(), side, other, retire("hbr-main", "hbr-side")]);
    expect(policy.isRetiredEntrance("hbr-main")).toBe(true);
    expect(policy.isRetiredEntrance("hbr-side")).toBe(false);
    expect(() => policy.apply(retire("hbr-main"))).toThrow(/or retired/);
    expect(() => policy.apply(retire("hbr-side", "hbr-main"))).toThrow(/no open entrance/);
    const history = [...baseLog(), side, other];
    expect(violationOf([...history, retire("hbr-main", "hbr-main")])).toMatch(/no open entrance/);
    expect(violationOf([...history, retire("hbr-main", "tea-front")])).toMatch(/no open entrance/);
    expect(violationOf([...history, retire("hbr-main", "made-up")])).toMatch(/no open entrance/);
    expect(violationOf([...history, retire("tea-front", "", "hbr")])).toMatch(
      /not issued to this venue/,
    );
    expect(violationOf([...history, retire("made-up")])).toMatch(/not issued to this venue/);
    expect(
      violationOf([
        ...history,
        entry(
          { kind: "entrance-retired", venueId: "hbr", entranceId: "hbr-side", replacedBy: "" },
          [officerA.secretKey],
        ),
      ]),
    ).toMatch(/registry alone/);
    // A retired entrance's history stays traceable: a query may still name it.
    const traced = replay([...history, retire("hbr-main")]);
    traced.apply(
      entry(query({ caseReferenceHash: new Uint8Array(32).fill(7) }), [
        officerA.secretKey,
        officerB.secretKey,
      ]),
    );
  });

  it("keep suspensions and retirements across a snapshot", () => {
    const entries = [...baseLog(), issue("hbr-side"), suspend(), retire("hbr-main", "hbr-side")];
    const resumed = LogPolicy.fromSnapshot(
      JSON.parse(JSON.stringify(replay(entries).snapshot())),
      registry.publicKey,
    );
    expect(resumed.snapshot()).toEqual(replay(entries).snapshot());
    expect(resumed.suspension("hbr")).toBe("inspection-failed");
    expect(resumed.isRetiredEntrance("hbr-main")).toBe(true);
    expect(() => resumed.apply(suspend())).toThrow(/already suspended/);
    expect(() => resumed.apply(retire("hbr-main"))).toThrow(/or retired/);
    const snapshot = replay(entries).snapshot();
    expect(() =>
      LogPolicy.fromSnapshot({ ...snapshot, suspended: [["hbr", "bored"]] }, registry.publicKey),
    ).toThrow(/unknown suspension reason/);
  });
});

describe("venue request entries", () => {
  type Request = Extract<EntryBody, { kind: "venue-request" }>;
  const request = (over: Partial<Request> = {}): Request => ({
    kind: "venue-request",
    venueId: "hbr",
    entrances: ["hbr-main"],
    windowStart: T0 - 3 * 3600,
    windowEnd: T0 - 3600,
    reason: "guest-case",
    grants: ["warning", "counts"],
    releaseKey: new Uint8Array(32),
    ...over,
  });
  const venueKey = new Uint8Array(32).fill(7);
  const contacts = (over: Partial<Request> = {}): Partial<Request> => ({
    grants: ["contacts"],
    releaseKey: venueKey,
    ...over,
  });
  const approved = (over: Partial<Request> = {}, signers = [officerA.secretKey]) =>
    entry(request(over), signers);

  it("round-trip, grants in canonical order, and refuse unknown reasons or grant bits", () => {
    const bytes = approved({ grants: ["counts", "warning"] });
    const decoded = decodeEntry(bytes).entry.body as Request;
    expect(decoded.grants).toEqual(["warning", "counts"]);
    expect(encodeEntry(decodeEntry(bytes).entry)).toEqual(bytes);
    const body = encodeEntryBody(request());
    const at = Array.from({ length: bytes.length }, (_, i) => i).find((i) =>
      body.every((b, j) => bytes[i + j] === b),
    );
    expect(at).toBeDefined();
    // The grants byte, then the 32-byte release key, end the body.
    const last = at! + body.length - 33;
    for (const [offset, value, message] of [
      [0, 0, /no venue request grants/],
      [0, 8, /unknown or no venue request grants/],
      [-1, 9, /unknown venue request reason/],
      [0, 4, /granting contacts names a release key/],
      [1, 1, /all zeros unless it grants contacts/],
    ] as const) {
      const bad = bytes.slice();
      bad[last + offset] = value;
      expect(() => decodeEntry(bad)).toThrow(message);
    }
    expect(() => encodeEntryBody(request({ grants: [] }))).toThrow(/grants something/);
    expect(() => encodeEntryBody(request({ grants: ["warning", "warning"] }))).toThrow(/twice/);
  });

  it("carry a release key exactly when they grant contacts, refused both ways", () => {
    const bytes = approved(contacts({ grants: ["warning", "contacts"] }));
    const decoded = decodeEntry(bytes).entry.body as Request;
    expect(decoded.grants).toEqual(["warning", "contacts"]);
    expect(decoded.releaseKey).toEqual(venueKey);
    expect(encodeEntry(decodeEntry(bytes).entry)).toEqual(bytes);
    expect(() => encodeEntryBody(request(contacts({ releaseKey: new Uint8Array(32) })))).toThrow(
      /granting contacts names a release key/,
    );
    expect(() => encodeEntryBody(request({ releaseKey: venueKey }))).toThrow(
      /all zeros unless it grants contacts/,
    );
    // The key is the body's last 32 bytes: zeroed under a contacts grant, decoding refuses it.
    const zeroed = bytes.slice();
    const body = encodeEntryBody(decoded);
    const at = Array.from({ length: bytes.length }, (_, i) => i).find((i) =>
      body.every((b, j) => bytes[i + j] === b),
    )!;
    zeroed.fill(0, at + body.length - 32, at + body.length);
    expect(() => decodeEntry(zeroed)).toThrow(/granting contacts names a release key/);
  });

  it("granting contacts need the officers a query needs, and then take releases", () => {
    const officerC = generateEd25519KeyPair();
    const history = [
      ...baseLog(),
      entry({ kind: "officer-enrolment", publicKey: officerC.publicKey, label: "Officer C" }, [
        registry.secretKey,
      ]),
    ];
    expect(violationOf([...history, approved(contacts())])).toMatch(
      /granting contacts needs 2 distinct officers, has 1/,
    );
    const wide = contacts({ windowStart: T0 - 49 * 3600, windowEnd: T0 - 3600 });
    expect(
      violationOf([
        ...history,
        issue("hbr-side"),
        approved({ ...wide, entrances: ["hbr-main", "hbr-side"] }, [
          officerA.secretKey,
          officerB.secretKey,
        ]),
      ]),
    ).toMatch(/needs 3 distinct officers, has 2/);
    const two = [officerA.secretKey, officerB.secretKey];
    const logged = [...history, approved(contacts(), two)];
    const at = BigInt(logged.length - 1);
    const policy = replay([
      ...logged,
      entry(release({ queryIndex: at }), [trusteeSigner.secretKey]),
      entry(release({ queryIndex: at, trusteeId: "log" }), [log.secretKey]),
    ]);
    expect(policy.releasable(at)).toEqual({
      entrances: ["hbr-main"],
      windowStart: T0 - 3 * 3600,
      windowEnd: T0 - 3600,
    });
    expect(policy.query(at)).toBeUndefined();
    expect(policy.hasReleased(at, "trustee-a")).toBe(true);
    // A warnings-only request, even signed by two officers, opens nothing.
    const plain = [...history, approved({}, two)];
    expect(
      violationOf([
        ...plain,
        entry(release({ queryIndex: BigInt(plain.length - 1) }), [trusteeSigner.secretKey]),
      ]),
    ).toMatch(/not an earlier query or venue request granting contacts/);
    // Nor does a warning name a venue request.
    expect(
      violationOf([
        ...logged,
        entry(
          {
            kind: "exposure-warning",
            queryIndex: at,
            entranceId: "hbr-main",
            windowStart: T0 - 3 * 3600,
            windowEnd: T0 - 2 * 3600,
          },
          [officerA.secretKey],
        ),
      ]),
    ).toMatch(/without an earlier query/);
    // Gathering its approvals, it may lag the log like a query; a plain request may not.
    const later = entry(
      { kind: "entrance-issued", venueId: "hbr", entranceId: "hbr-late" },
      [registry.secretKey],
      T0 + 3600,
    );
    replay([...history, later, entry(request(contacts()), two, T0)]);
    expect(violationOf([...history, later, entry(request(), two, T0)])).toMatch(/backdated/);
  });

  it("accept one or more enrolled officers on the venue's own issued entrances, in a query's window", () => {
    const other = entry({ kind: "entrance-issued", venueId: "tea", entranceId: "tea-front" }, [
      registry.secretKey,
    ]);
    const history = [...baseLog(), issue("hbr-side"), other];
    replay([...history, approved(), approved({ entrances: ["hbr-main", "hbr-side"] })]);
    replay([...history, approved({}, [officerA.secretKey, officerB.secretKey])]);
    expect(violationOf([...history, approved({}, [registry.secretKey])])).toMatch(
      /enrolled officers only/,
    );
    expect(
      violationOf([...history, approved({}, [officerA.secretKey, stranger.secretKey])]),
    ).toMatch(/enrolled officers only/);
    expect(violationOf([...history, approved({ entrances: ["tea-front"] })])).toMatch(
      /not issued to venue hbr/,
    );
    expect(violationOf([...history, approved({ entrances: ["made-up"] })])).toMatch(
      /not issued to venue hbr/,
    );
    expect(violationOf([...history, approved({ entrances: ["hbr-main", "hbr-main"] })])).toMatch(
      /named twice/,
    );
    expect(violationOf([...history, approved({ windowStart: T0 - 3 * 3600 + 60 })])).toMatch(
      /on the hour/,
    );
    expect(violationOf([...history, approved({ windowEnd: T0 + 3 * 3600 })])).toMatch(/future/);
    expect(
      violationOf([
        ...history,
        approved({ windowStart: T0 - 40 * 86_400, windowEnd: T0 - 40 * 86_400 + 3600 }),
      ]),
    ).toMatch(/retention/);
    expect(
      violationOf([
        ...history,
        approved({ windowStart: T0 - (TEST_LIMITS.maxWindowHours + 1) * 3600, windowEnd: T0 }),
      ]),
    ).toMatch(/too long/);
  });

  it("name a retired entrance's past hours, and survive a snapshot", () => {
    const history = [
      ...baseLog(),
      issue("hbr-side"),
      entry(
        {
          kind: "entrance-retired",
          venueId: "hbr",
          entranceId: "hbr-main",
          replacedBy: "hbr-side",
        },
        [registry.secretKey],
      ),
      approved(),
    ];
    const resumed = LogPolicy.fromSnapshot(
      JSON.parse(JSON.stringify(replay(history).snapshot())),
      registry.publicKey,
    );
    resumed.apply(approved({ entrances: ["hbr-side"] }));
    expect(() => resumed.apply(approved({ entrances: ["tea-front"] }))).toThrow(/not issued/);
    const withContacts = [
      ...history,
      approved(contacts({ entrances: ["hbr-side"] }), [officerA.secretKey, officerB.secretKey]),
    ];
    const at = BigInt(withContacts.length - 1);
    const again = LogPolicy.fromSnapshot(
      JSON.parse(JSON.stringify(replay(withContacts).snapshot())),
      registry.publicKey,
    );
    expect(again.snapshot()).toEqual(replay(withContacts).snapshot());
    again.apply(entry(release({ queryIndex: at, identityCount: 2 }), [trusteeSigner.secretKey]));
  });
});

describe("policy snapshots", () => {
  const history = () => [...baseLog(), entry(release(), [trusteeSigner.secretKey]), warning()];
  const resumeAt = (entries: Uint8Array[], at: number) => {
    const snapshot = JSON.parse(JSON.stringify(replay(entries.slice(0, at)).snapshot()));
    const policy = LogPolicy.fromSnapshot(snapshot, registry.publicKey);
    for (const e of entries.slice(at)) policy.apply(e);
    return policy;
  };

  it("resume a replay at any entry with the very state of a replay from entry 0", () => {
    const entries = history();
    const whole = replay(entries);
    for (let at = 0; at <= entries.length; at++) {
      expect(resumeAt(entries, at).snapshot()).toEqual(whole.snapshot());
    }
    expect(whole.releaseIndex(6n, "trustee-a")).toBe(7n);
    expect(whole.releaseIndex(6n, "trustee-b")).toBeUndefined();
  });

  it("keep every rule: a resumed policy still refuses a second release or a repeated query", () => {
    const entries = history();
    expect(() => resumeAt([...entries, entry(release(), [trusteeSigner.secretKey])], 8)).toThrow(
      /second release/,
    );
    expect(() =>
      resumeAt([...entries, entry(query(), [officerA.secretKey, officerB.secretKey])], 7),
    ).toThrow(/the same query was already logged/);
    expect(() =>
      resumeAt([...entries, entry(query({ reason: "again" }), [officerA.secretKey])], 3),
    ).toThrow(/needs 2 distinct officers/);
  });

  it("refuse a snapshot of another registry, of another format, or with entries but no deployment", () => {
    const snapshot = replay(baseLog()).snapshot();
    expect(() => LogPolicy.fromSnapshot(snapshot, stranger.publicKey)).toThrow(/another registry/);
    expect(() =>
      LogPolicy.fromSnapshot({ ...snapshot, format: "x" } as unknown as typeof snapshot),
    ).toThrow(/unknown format/);
    expect(() => LogPolicy.fromSnapshot({ ...snapshot, deployment: undefined })).toThrow(
      /without a deployment/,
    );
    expect(() => LogPolicy.fromSnapshot({ ...snapshot, size: "seven" })).toThrow(
      /bad-value|snapshot/,
    );
  });
});

describe("a request applied all or none", () => {
  const officerC = generateEd25519KeyPair();
  const share2 = generateTrusteeKey();
  const epoch2 = generateTrusteeKey();
  /** One entry of every kind that changes the state, valid in this order after baseLog(). */
  const everyChange = () => [
    entry({ kind: "officer-enrolment", publicKey: officerC.publicKey, label: "Officer C" }, [
      registry.secretKey,
    ]),
    entry({ kind: "officer-removal", publicKey: officerB.publicKey }, [registry.secretKey]),
    entry(
      {
        kind: "trustee-enrolment",
        trusteeId: "trustee-b",
        url: "https://trustee-b.example/",
        shareKey: share2.publicKey,
        proofOfPossession: share2.proofOfPossession,
        signingKey: stranger.publicKey,
      },
      [registry.secretKey],
    ),
    entry({ kind: "trustee-removal", trusteeId: "trustee-a" }, [registry.secretKey]),
    entry(
      { kind: "witness-enrolment", name: "witness.example/w2", publicKey: officerC.publicKey },
      [registry.secretKey],
    ),
    entry({ kind: "witness-removal", name: "witness.example/w2" }, [registry.secretKey]),
    entry(
      { kind: "witness-enrolment", name: "witness.example/w3", publicKey: officerC.publicKey },
      [registry.secretKey],
    ),
    issue("hbr-side"),
    entry(
      {
        kind: "epoch-key",
        day: 20_417,
        publicKey: epoch2.publicKey,
        proofOfPossession: epoch2.proofOfPossession,
      },
      [log.secretKey],
    ),
    entry(release({ trusteeId: "log" }), [log.secretKey]),
    warning(),
    entry(query({ entrances: ["hbr-side"] }), [officerA.secretKey, officerC.secretKey], T0 + 60),
  ];

  it("leaves the state exactly as before when its last entry is refused, with no replay", () => {
    const policy = replay(baseLog());
    const before = policy.snapshot();
    const refusedLast = [...everyChange(), entry(release(), [stranger.secretKey])];
    expect(() => policy.applyAll(refusedLast)).toThrow(/not enrolled/);
    expect(policy.snapshot()).toEqual(before);
    expect(policy.size).toBe(7n);
    // Every change of that request is possible again, in the same order: nothing of it stuck.
    expect(() => policy.applyAll(everyChange())).not.toThrow();
    expect(policy.size).toBe(7n + BigInt(everyChange().length));
  });

  it("names the trustees and witnesses enrolled now, removals taken out", () => {
    const policy = replay(baseLog());
    const trustees = policy.trusteeIds();
    const witnesses = policy.witnessNames();
    expect(trustees).toContain("trustee-a");
    policy.applyAll(everyChange());
    expect(policy.trusteeIds().sort()).toEqual(
      [...trustees.filter((t) => t !== "trustee-a"), "trustee-b"].sort(),
    );
    expect(policy.witnessNames().sort()).toEqual([...witnesses, "witness.example/w3"].sort());
  });

  it("keeps what the refused request would have taken away: the removed officer still approves", () => {
    const policy = replay(baseLog());
    const removeB = entry({ kind: "officer-removal", publicKey: officerB.publicKey }, [
      registry.secretKey,
    ]);
    expect(() => policy.applyAll([removeB, entry(release(), [stranger.secretKey])])).toThrow();
    const second = entry(query({ entrances: ["hbr-side"] }), [
      officerA.secretKey,
      officerB.secretKey,
    ]);
    expect(() => policy.applyAll([issue("hbr-side"), second])).not.toThrow();
    expect(policy.query(8n)?.entrances).toEqual(["hbr-side"]);
  });

  it("nests: an inner refusal undoes only its own changes", () => {
    const policy = replay(baseLog());
    const enrolC = entry(
      { kind: "officer-enrolment", publicKey: officerC.publicKey, label: "Officer C" },
      [registry.secretKey],
    );
    expect(() =>
      policy.atomically(() => {
        policy.applyAll([enrolC]);
        expect(() => policy.applyAll([warning("elsewhere")])).toThrow(/outside its query/);
        expect(policy.isOfficer(officerC.publicKey)).toBe(true);
        throw new Error("the batch could not be stored");
      }),
    ).toThrow(/could not be stored/);
    expect(policy.isOfficer(officerC.publicKey)).toBe(false);
    expect(policy.size).toBe(7n);
  });

  it("refuses an entry claiming a signer its kind does not allow before verifying any signature", () => {
    // A forged registry entry: the stranger's key with a signature of nothing. The claimed key
    // alone refuses it, so the message names the signer rule, not the signature.
    const forged = decodeEntry(
      entry({ kind: "officer-enrolment", publicKey: officerC.publicKey, label: "C" }, [
        stranger.secretKey,
      ]),
    ).entry;
    const bytes = encodeEntry({
      ...forged,
      signatures: [{ publicKey: stranger.publicKey, signature: new Uint8Array(64) }],
    });
    expect(violationOf([...baseLog(), bytes])).toMatch(/registry alone/);
    // A logged enrolment sent again with its signature spoilt: refused for what the log holds,
    // before the signature is looked at.
    const replayed = decodeEntry(baseLog()[1]!).entry;
    const spoilt = encodeEntry({
      ...replayed,
      signatures: [{ publicKey: registry.publicKey, signature: new Uint8Array(64) }],
    });
    expect(violationOf([...baseLog(), spoilt])).toMatch(/already enrolled/);
    const otherDeployment = encodeEntry(
      signEntry(
        {
          deployment: "elsewhere",
          issuedAt: T0,
          body: { kind: "officer-enrolment", publicKey: officerC.publicKey, label: "C" },
        },
        [stranger.secretKey],
      ),
    );
    expect(violationOf([...baseLog(), otherDeployment])).toMatch(/another deployment/);
  });
});

describe("an audit that keeps the policy state", () => {
  const origin = "lintel.example/demo/log";
  const logKey = parseVerifierKey(formatVerifierKey(origin, log.publicKey));
  const source = (entries: Uint8Array[]) =>
    sourceFromReader("memory", memoryLogReader(entries, origin, log.secretKey));
  const grown = () => [
    ...baseLog(),
    entry(release(), [trusteeSigner.secretKey]),
    entry(release({ trusteeId: "log" }), [log.secretKey]),
  ];

  it("replays only the entries appended since, and ends in the state of a whole replay", async () => {
    const options = { logKey, entries: "lintel" as const, registryKey: registry.publicKey };
    const first = await auditLog({ ...options, source: source(baseLog()), keepPolicy: true });
    if (!first.ok) throw new Error(first.reason);
    expect(first.state.policy?.size).toBe("7");
    const fetched: string[] = [];
    const read = memoryLogReader(grown(), origin, log.secretKey);
    const second = await auditLog({
      ...options,
      source: sourceFromReader("memory", async (path) => {
        fetched.push(path);
        return read(path);
      }),
      previous: JSON.parse(JSON.stringify(first.state)),
      keepPolicy: true,
      newEntriesOnly: true,
    });
    if (!second.ok) throw new Error(second.reason);
    expect(second.lintel?.firstIndex).toBe(7n);
    expect(second.lintel?.entries).toHaveLength(2);
    expect(second.lintel?.policy.releaseIndex(6n, "log")).toBe(8n);
    expect(second.lintel?.policy.snapshot()).toEqual(replay(grown()).snapshot());
    // Resumed but asked for every entry: all of them back, the same policy state.
    const all = await auditLog({
      ...options,
      source: source(grown()),
      previous: first.state,
      keepPolicy: true,
    });
    expect(all.ok && all.lintel?.entries).toEqual(grown());
    expect(all.ok && all.state.policy).toEqual(replay(grown()).snapshot());
    // Without keepPolicy the same audit replays from entry 0.
    const whole = await auditLog({ ...options, source: source(grown()), previous: first.state });
    expect(whole.ok && whole.lintel?.firstIndex).toBe(0n);
    expect(whole.ok && whole.state.policy).toBeUndefined();
    // Only the bundle holding the new entries: nothing before them is fetched again.
    expect(fetched.filter((p) => p.startsWith("tile/entries/"))).toHaveLength(1);
  });

  it("still refuses a new entry that breaks the policy, and a saved state that does not fit", async () => {
    const options = { logKey, entries: "lintel" as const, registryKey: registry.publicKey };
    const first = await auditLog({ ...options, source: source(baseLog()), keepPolicy: true });
    if (!first.ok) throw new Error(first.reason);
    const broken = [...baseLog(), entry(release({ identityCount: 3 }), [trusteeSigner.secretKey])];
    const outcome = await auditLog({
      ...options,
      source: source(broken),
      previous: first.state,
      keepPolicy: true,
    });
    expect(outcome.ok ? "" : outcome.reason).toMatch(/entry 7 breaks the Lintel log policy/);
    const misfit = { ...first.state, policy: { ...first.state.policy!, size: "6" } };
    const refused = await auditLog({
      ...options,
      source: source(grown()),
      previous: misfit,
      keepPolicy: true,
    });
    expect(refused.ok ? "" : refused.reason).toMatch(/covers 6 entries, the saved tree 7/);
    // A state kept under other policy rules is set aside: everything is replayed again.
    const older = { ...first.state, policy: { ...first.state.policy!, rules: POLICY_RULES - 1 } };
    const replayed = await auditLog({
      ...options,
      source: source(grown()),
      previous: older,
      keepPolicy: true,
      newEntriesOnly: true,
    });
    expect(replayed.ok && replayed.lintel?.firstIndex).toBe(0n);
    expect(replayed.ok && replayed.state.policy?.rules).toBe(POLICY_RULES);
    expect(() => LogPolicy.fromSnapshot(older.policy)).toThrow(
      new RegExp(`made under rules ${POLICY_RULES - 1}`),
    );
  });
});
