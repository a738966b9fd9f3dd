import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { generateEd25519KeyPair } from "../keys/ed25519.ts";
import { hashCiphertexts, signReceipt, verifyReceipt } from "./receipt.ts";
import { decodeRequestStatement, signRequest, verifyRequestStatement } from "./signed-request.ts";

function codeOf(f: () => unknown): string {
  try {
    f();
    return "no error";
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return e.code;
  }
}

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
