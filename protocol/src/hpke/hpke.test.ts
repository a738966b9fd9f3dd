import { describe, expect, it } from "vitest";
import { toHex } from "../encoding/bytes.ts";
import { codeOf } from "../testing/code-of.ts";
import { hpkeKeyPair, hpkeKeySchedule, hpkeOpen, hpkeSeal } from "./hpke.ts";

const hex = (s: string) => new Uint8Array(s.match(/../g)!.map((b) => Number.parseInt(b, 16)));

/** RFC 9180 Appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode. */
const A11 = {
  info: "4f6465206f6e2061204772656369616e2055726e",
  ikmE: "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
  pkEm: "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
  skEm: "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
  ikmR: "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
  pkRm: "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
  skRm: "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
  sharedSecret: "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc",
  key: "4531685d41d65f03dc48f6b8302c05b0",
  baseNonce: "56d890e5accaaf011cff4b7d",
  pt: "4265617574792069732074727574682c20747275746820626561757479",
  aad: "436f756e742d30",
  ct: "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a",
};

describe("HPKE (RFC 9180 base mode, X25519 / HKDF-SHA256 / AES-128-GCM)", () => {
  it("reproduces the RFC's test vector A.1.1, sequence 0", async () => {
    const e = hpkeKeyPair(hex(A11.ikmE));
    expect(toHex(e.secretKey)).toBe(A11.skEm);
    expect(toHex(e.publicKey)).toBe(A11.pkEm);
    const r = hpkeKeyPair(hex(A11.ikmR));
    expect(toHex(r.secretKey)).toBe(A11.skRm);
    expect(toHex(r.publicKey)).toBe(A11.pkRm);
    const schedule = hpkeKeySchedule(hex(A11.sharedSecret), hex(A11.info));
    expect(toHex(schedule.key)).toBe(A11.key);
    expect(toHex(schedule.baseNonce)).toBe(A11.baseNonce);
    const sealed = await hpkeSeal(r.publicKey, hex(A11.info), hex(A11.aad), hex(A11.pt), {
      ephemeralIkm: hex(A11.ikmE),
    });
    expect(toHex(sealed)).toBe(A11.pkEm + A11.ct);
    expect(toHex(await hpkeOpen(r.secretKey, hex(A11.info), hex(A11.aad), sealed))).toBe(A11.pt);
  });

  it("opens only with the recipient's key, the same info and aad, and unaltered bytes", async () => {
    const r = hpkeKeyPair();
    const info = new TextEncoder().encode("info");
    const aad = new TextEncoder().encode("aad");
    const pt = crypto.getRandomValues(new Uint8Array(96));
    const sealed = await hpkeSeal(r.publicKey, info, aad, pt);
    expect(await hpkeOpen(r.secretKey, info, aad, sealed)).toEqual(pt);
    // Fresh ephemeral key each time: two seals of one message differ.
    expect(toHex(await hpkeSeal(r.publicKey, info, aad, pt))).not.toBe(toHex(sealed));
    const refused = async (p: Promise<unknown>) => {
      try {
        await p;
        return "opened";
      } catch (e) {
        return codeOf(() => {
          throw e;
        });
      }
    };
    expect(await refused(hpkeOpen(hpkeKeyPair().secretKey, info, aad, sealed))).toBe(
      "decryption-failed",
    );
    expect(await refused(hpkeOpen(r.secretKey, new Uint8Array(0), aad, sealed))).toBe(
      "decryption-failed",
    );
    expect(await refused(hpkeOpen(r.secretKey, info, new Uint8Array(0), sealed))).toBe(
      "decryption-failed",
    );
    for (const i of [0, 31, 32, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      expect(await refused(hpkeOpen(r.secretKey, info, aad, bad))).toBe("decryption-failed");
    }
    expect(await refused(hpkeOpen(r.secretKey, info, aad, sealed.slice(0, 47)))).toBe("bad-length");
    // A small-order recipient key (all zeros) is refused rather than sealed to.
    expect(await refused(hpkeSeal(new Uint8Array(32), info, aad, pt))).toBe("bad-point");
  });
});
