import { describe, expect, it } from "vitest";
import { concatBytes } from "../encoding/bytes.ts";
import { ed25519Sign, generateEd25519KeyPair } from "../keys/ed25519.ts";
import { signInContext } from "../keys/signing-context.ts";
import { codeOf } from "../testing/code-of.ts";
import { encodeReceipt, hashCiphertexts, signReceipt, verifyReceipt } from "./receipt.ts";
import {
  decodeRequestStatement,
  encodeRequestStatement,
  signRequest,
  signRequestWith,
  verifyRequestStatement,
} from "./signed-request.ts";

const officer = generateEd25519KeyPair();
const body = new TextEncoder().encode('{"case":"C-1"}');
const now = new Date("2026-11-21T10:00:00Z");
const signed = signRequest(
  {
    deployment: "demo",
    keyId: new Uint8Array([1, 2, 3, 4]),
    method: "POST",
    path: "/api/queries",
    body,
    now,
  },
  officer.secretKey,
);
const request = {
  deployment: "demo",
  method: "POST",
  path: "/api/queries",
  body,
  now,
  publicKey: officer.publicKey,
};

describe("signed request statements", () => {
  it("verify for exactly the request they were made for", () => {
    const s = verifyRequestStatement(decodeRequestStatement(signed), request);
    expect(s.keyId).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(s.nonce).toHaveLength(16);
  });

  it("name their audience in version 2, and verify only at that receiver", () => {
    const trusteeA = { id: "trustee-a", origin: "https://a.example" };
    const forA = decodeRequestStatement(
      signRequest(
        {
          deployment: "demo",
          keyId: new Uint8Array([1, 2, 3, 4]),
          method: "POST",
          path: "/trustee/release",
          body,
          now,
          audience: trusteeA,
        },
        officer.secretKey,
      ),
    );
    expect(forA.payload[1]).toBe(2);
    const at = (audience?: { id: string; origin: string }) => ({
      ...request,
      path: "/trustee/release",
      ...(audience ? { audience } : {}),
    });
    expect(verifyRequestStatement(forA, at(trusteeA)).audience).toEqual(trusteeA);
    for (const other of [
      { id: "trustee-b", origin: "https://a.example" },
      { id: "trustee-a", origin: "https://b.example" },
      { id: "log", origin: "" },
      undefined,
    ]) {
      expect(codeOf(() => verifyRequestStatement(forA, at(other)))).toBe("wrong-audience");
    }
    // A version-1 statement names nobody: refused where an audience is required.
    expect(
      codeOf(() =>
        verifyRequestStatement(decodeRequestStatement(signed), { ...request, audience: trusteeA }),
      ),
    ).toBe("wrong-audience");
    expect(
      codeOf(() =>
        signRequest(
          {
            deployment: "demo",
            keyId: new Uint8Array(4),
            method: "POST",
            path: "/",
            body,
            now,
            audience: { id: "", origin: "" },
          },
          officer.secretKey,
        ),
      ),
    ).toBe("bad-value");
  });

  it("are refused for another body, path, method, deployment, signer or a stale clock", () => {
    const d = decodeRequestStatement(signed);
    expect(codeOf(() => verifyRequestStatement(d, { ...request, body: new Uint8Array([1]) }))).toBe(
      "bad-value",
    );
    expect(codeOf(() => verifyRequestStatement(d, { ...request, path: "/api/other" }))).toBe(
      "bad-value",
    );
    expect(codeOf(() => verifyRequestStatement(d, { ...request, method: "PUT" }))).toBe(
      "bad-value",
    );
    expect(codeOf(() => verifyRequestStatement(d, { ...request, deployment: "prod" }))).toBe(
      "bad-value",
    );
    expect(
      codeOf(() =>
        verifyRequestStatement(d, { ...request, publicKey: generateEd25519KeyPair().publicKey }),
      ),
    ).toBe("bad-signature");
    expect(
      codeOf(() =>
        verifyRequestStatement(d, { ...request, now: new Date(now.getTime() + 301_000) }),
      ),
    ).toBe("expired");
    expect(
      codeOf(() =>
        verifyRequestStatement(d, { ...request, now: new Date(now.getTime() - 301_000) }),
      ),
    ).toBe("expired");
  });

  it("are refused by the decoder when method or path break the encoder's rules", () => {
    // Re-signed, so only the field rules can refuse them. Layout: 53 01 04 "demo" keyId(4)
    // 04 "POST" 0c "/api/queries" …; method bytes at 12–15, path bytes at 17–28.
    const payload = signed.subarray(0, signed.length - 64);
    const resign = (edit: (p: Uint8Array) => void) => {
      const p = payload.slice();
      edit(p);
      return concatBytes(p, signInContext(officer.secretKey, "statement", p));
    };
    const ascii = (p: Uint8Array, at: number, text: string) =>
      p.set(new TextEncoder().encode(text), at);
    expect(decodeRequestStatement(resign(() => {})).statement.method).toBe("POST");
    for (const [what, edit] of [
      ["lower-case method", (p: Uint8Array) => ascii(p, 12, "post")],
      ["method with a digit", (p: Uint8Array) => ascii(p, 12, "POS1")],
      ["path without a leading /", (p: Uint8Array) => ascii(p, 17, "x")],
    ] as const) {
      expect(
        codeOf(() => decodeRequestStatement(resign(edit))),
        what,
      ).toBe("bad-value");
    }
    const short = concatBytes(
      payload.subarray(0, 11),
      new Uint8Array([2, 0x50, 0x4f]),
      payload.subarray(16),
    );
    expect(
      codeOf(() =>
        decodeRequestStatement(
          concatBytes(short, signInContext(officer.secretKey, "statement", short)),
        ),
      ),
    ).toBe("bad-value");
  });

  it("refuse an invalid clock with bad-value, when signing and when verifying", () => {
    const input = {
      deployment: "demo",
      keyId: new Uint8Array(4),
      method: "POST",
      path: "/",
      body,
      now: new Date(Number.NaN),
    };
    expect(codeOf(() => signRequest(input, officer.secretKey))).toBe("bad-value");
    expect(codeOf(() => signRequest({ ...input, now: new Date(-1000) }, officer.secretKey))).toBe(
      "bad-value",
    );
    const d = decodeRequestStatement(signed);
    expect(codeOf(() => verifyRequestStatement(d, { ...request, now: new Date(Number.NaN) }))).toBe(
      "bad-value",
    );
    const statement = { ...d.statement, issuedAt: 1.5 };
    expect(codeOf(() => encodeRequestStatement(statement))).toBe("bad-value");
  });

  it("sign through a signer callback to the same bytes as with the secret key", async () => {
    const input = {
      deployment: "demo",
      keyId: new Uint8Array([1, 2, 3, 4]),
      method: "POST",
      path: "/api/queries?draft=1",
      body,
      now,
      nonce: new Uint8Array(16).fill(7),
    };
    const messages: Uint8Array[] = [];
    const viaSigner = await signRequestWith(input, async (message) => {
      messages.push(message);
      return ed25519Sign(officer.secretKey, message);
    });
    expect(viaSigner).toEqual(signRequest(input, officer.secretKey));
    const d = decodeRequestStatement(viaSigner);
    expect(verifyRequestStatement(d, { ...request, path: "/api/queries?draft=1" }).nonce).toEqual(
      input.nonce,
    );
    // The signer sees exactly "LINTEL-V1 statement" ‖ 0x00 ‖ statement (prefix from §2.3).
    const prefix = Uint8Array.from("4c494e54454c2d56312073746174656d656e7400".match(/../g)!, (h) =>
      Number.parseInt(h, 16),
    );
    expect(messages).toEqual([concatBytes(prefix, d.payload)]);
    // A signer that returns something other than a 64-byte signature is refused.
    await expect(signRequestWith(input, async () => new Uint8Array(63))).rejects.toMatchObject({
      code: "bad-length",
    });
    // The clock and the fields are checked before the signer is ever asked.
    const never = async (): Promise<Uint8Array> => {
      throw new Error("the signer was asked");
    };
    await expect(
      signRequestWith({ ...input, now: new Date(Number.NaN) }, never),
    ).rejects.toMatchObject({ code: "bad-value" });
    await expect(signRequestWith({ ...input, method: "post" }, never)).rejects.toMatchObject({
      code: "bad-value",
    });
  });

  it("fail on any flipped byte", () => {
    for (let pos = 0; pos < signed.length; pos += 7) {
      const bad = signed.slice();
      bad[pos]! ^= 1;
      expect(
        codeOf(() => verifyRequestStatement(decodeRequestStatement(bad), request)),
        `byte ${pos}`,
      ).not.toBe("no error");
    }
  });
});

describe("receipts", () => {
  const server = generateEd25519KeyPair();
  const cts = [new Uint8Array(386).fill(1), new Uint8Array(386).fill(2)];
  const receipt = {
    deployment: "demo",
    entranceId: "door-1",
    firstSlot: 1_763_719_200,
    slotCount: 2,
    ciphertextsHash: hashCiphertexts(cts),
    storedAt: 1_763_720_000,
  };

  it("round-trips and binds the stored ciphertexts", () => {
    const bytes = signReceipt(receipt, server.secretKey);
    const back = verifyReceipt(bytes, server.publicKey);
    expect(back).toEqual(receipt);
    expect(back.ciphertextsHash).not.toEqual(hashCiphertexts([cts[1]!, cts[0]!]));
  });

  it("carries 1–25 slots (a 24-hour stay overlaps 25 hour-slots)", () => {
    const r25 = { ...receipt, slotCount: 25 };
    expect(verifyReceipt(signReceipt(r25, server.secretKey), server.publicKey)).toEqual(r25);
    for (const slotCount of [0, 26, 1.5]) {
      expect(
        codeOf(() => encodeReceipt({ ...receipt, slotCount })),
        `${slotCount}`,
      ).toBe("bad-value");
    }
    // A signed receipt with slotCount 26 is refused after the signature check.
    const p = encodeReceipt(r25);
    p[2 + 5 + 7 + 8] = 26;
    const signed26 = concatBytes(p, signInContext(server.secretKey, "receipt", p));
    expect(codeOf(() => verifyReceipt(signed26, server.publicKey))).toBe("bad-value");
  });

  it("refuses times that are not safe non-negative integers with bad-value, not RangeError", () => {
    for (const v of [1.5, Number.NaN, -1, Number.MAX_SAFE_INTEGER + 1, Number.POSITIVE_INFINITY]) {
      expect(
        codeOf(() => encodeReceipt({ ...receipt, firstSlot: v })),
        `firstSlot ${v}`,
      ).toBe("bad-value");
      expect(
        codeOf(() => encodeReceipt({ ...receipt, storedAt: v })),
        `storedAt ${v}`,
      ).toBe("bad-value");
    }
    // Not slot-aligned is fine: the receipt does not know the slot length.
    expect(
      verifyReceipt(signReceipt({ ...receipt, firstSlot: 1 }, server.secretKey), server.publicKey)
        .firstSlot,
    ).toBe(1);
  });

  it("refuses another server's signature and any flipped byte", () => {
    const bytes = signReceipt(receipt, server.secretKey);
    expect(codeOf(() => verifyReceipt(bytes, generateEd25519KeyPair().publicKey))).toBe(
      "bad-signature",
    );
    for (let pos = 0; pos < bytes.length; pos += 5) {
      const bad = bytes.slice();
      bad[pos]! ^= 1;
      expect(
        codeOf(() => verifyReceipt(bad, server.publicKey)),
        `byte ${pos}`,
      ).not.toBe("no error");
    }
  });
});

describe("enrolment codes (§6.3)", () => {
  it("normalise typed codes and hash them as the spec's vector says", async () => {
    const { enrolmentCodeHash, newEnrolmentCode, normalizeEnrolmentCode } = await import(
      "./enrolment-code.ts"
    );
    expect(normalizeEnrolmentCode("7kq2 m9xa pe3b ortw")).toBe("7KQ2M9XAPE3B0RTW");
    expect(enrolmentCodeHash("7kq2-m9xa-pe3b-ortw")).toBe(
      "7b216f108e6330ea7b9168c5c2b96bd08fe298732ae2b20570be60d61071771f",
    );
    const code = newEnrolmentCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(Array.from({ length: 50 }, newEnrolmentCode)).size).toBe(50);
  });

  it("device key ids hash the key under <deployment>/device", async () => {
    const { deviceKeyId, deviceKeyName } = await import("./device-key.ts");
    const { ed25519KeyId } = await import("../keys/verifier-key.ts");
    const key = new Uint8Array(32).fill(7);
    expect(deviceKeyName("demo")).toBe("demo/device");
    expect(deviceKeyId("demo", key)).toEqual(ed25519KeyId("demo/device", key));
    expect(deviceKeyId("demo", key)).not.toEqual(deviceKeyId("other", key));
  });
});

describe("deployment records (§6.4)", () => {
  it("round-trip, and refuse another signer, another deployment, a bad proof and disorder", async () => {
    const { generateEd25519KeyPair } = await import("../keys/ed25519.ts");
    const { generateTrusteeKey } = await import("../tibe/trustee-key.ts");
    const { signDeploymentRecord, verifyDeploymentRecord, encodeDeploymentRecord } = await import(
      "./deployment-record.ts"
    );
    const registry = generateEd25519KeyPair();
    const [a, b] = [generateTrusteeKey(), generateTrusteeKey()];
    const record = {
      deployment: "demo",
      issuedAt: 1_795_000_000,
      logKey: generateEd25519KeyPair().publicKey,
      receiptKey: generateEd25519KeyPair().publicKey,
      authorityBoxKey: new Uint8Array(32).fill(9),
      trustees: [
        { id: "trustee-a", publicKey: a.publicKey, proofOfPossession: a.proofOfPossession },
        { id: "trustee-b", publicKey: b.publicKey, proofOfPossession: b.proofOfPossession },
      ],
    };
    const signed = signDeploymentRecord(record, registry.secretKey);
    expect(verifyDeploymentRecord(signed, registry.publicKey, "demo")).toEqual(record);
    expect(() => verifyDeploymentRecord(signed, generateEd25519KeyPair().publicKey)).toThrow(
      expect.objectContaining({ code: "bad-signature" }),
    );
    expect(() => verifyDeploymentRecord(signed, registry.publicKey, "other")).toThrow(
      expect.objectContaining({ code: "unknown-key" }),
    );
    const swapped = signDeploymentRecord(
      {
        ...record,
        trustees: [
          { id: "trustee-a", publicKey: a.publicKey, proofOfPossession: b.proofOfPossession },
          record.trustees[1]!,
        ],
      },
      registry.secretKey,
    );
    expect(() => verifyDeploymentRecord(swapped, registry.publicKey)).toThrow(
      expect.objectContaining({ code: "bad-proof-of-possession" }),
    );
    expect(() =>
      encodeDeploymentRecord({ ...record, trustees: [...record.trustees].reverse() }),
    ).toThrow(expect.objectContaining({ code: "bad-value" }));
    const trailing = new Uint8Array(signed.length + 1);
    trailing.set(signed);
    expect(() => verifyDeploymentRecord(trailing, registry.publicKey)).toThrow();
  });
});
