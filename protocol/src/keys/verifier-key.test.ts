import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors.ts";
import { codeOf } from "../testing/code-of.ts";
import { ed25519Verify, generateEd25519KeyPair } from "./ed25519.ts";
import {
  base64Std,
  ED25519_ALGORITHM,
  ed25519KeyId,
  formatVerifierKey,
  fromBase64Std,
  parseVerifierKey,
} from "./verifier-key.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The key hash computed independently with node:crypto: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0..4]. */
function nodeKeyHash(name: string, publicKey: Uint8Array): string {
  return createHash("sha256")
    .update(Buffer.from(name, "utf8"))
    .update(Buffer.from([0x0a, 0x01]))
    .update(publicKey)
    .digest()
    .subarray(0, 4)
    .toString("hex");
}

/** A verifier key string built by hand from any body, with a hash that matches that body. */
function handMade(name: string, body: Uint8Array): string {
  const h = createHash("sha256")
    .update(Buffer.from(`${name}\n`, "utf8"))
    .update(body)
    .digest()
    .subarray(0, 4)
    .toString("hex");
  return `${name}+${h}+${Buffer.from(body).toString("base64")}`;
}

// Names: non-empty, no Unicode white space (Go's unicode.IsSpace: JS \s plus U+0085), no '+'.
const keyName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 24 })
  .filter((s) => !/[\s\u0085+]/u.test(s));
const publicKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const valid = formatVerifierKey("registry.example", new Uint8Array(32).fill(0x42));

describe("published C2SP signed-note vectors (golang.org/x/mod/sumdb/note)", () => {
  // From the package documentation and note_test.go; sum.golang.org's key is the Go default
  // GOSUMDB key, whose base64 contains '+'.
  const vectors = [
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
  ];

  it.each(vectors)("parses %s and formats it back identically", (text) => {
    const [name, hash, b64] = [
      text.slice(0, text.indexOf("+")),
      text.split("+")[1]!,
      text.slice(text.indexOf("+", text.indexOf("+") + 1) + 1),
    ];
    const key = parseVerifierKey(text);
    expect(key.name).toBe(name);
    expect(hex(key.keyId)).toBe(hash);
    const body = Buffer.from(b64, "base64");
    expect(body[0]).toBe(ED25519_ALGORITHM);
    expect(hex(key.publicKey)).toBe(body.subarray(1).toString("hex"));
    expect(formatVerifierKey(key.name, key.publicKey)).toBe(text);
  });

  it("derives PeterNeumann's public key from its published signer key and verifies its note", () => {
    // PRIVATE+KEY+PeterNeumann+c74f20a3+<base64 of 0x01 ‖ seed>
    const signerBody = Buffer.from("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "base64");
    expect(signerBody[0]).toBe(1);
    const pair = generateEd25519KeyPair(new Uint8Array(signerBody.subarray(1)));
    const key = parseVerifierKey(vectors[0]!);
    expect(pair.publicKey).toEqual(key.publicKey);

    const text =
      "If you think cryptography is the answer to your problem,\n" +
      "then you don't know what your problem is.\n";
    const sig = Buffer.from(
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      "base64",
    );
    // A note signature is the 4-byte key hash then the Ed25519 signature of the text.
    expect(hex(sig.subarray(0, 4))).toBe(hex(key.keyId));
    const message = new TextEncoder().encode(text);
    expect(ed25519Verify(key.publicKey, message, new Uint8Array(sig.subarray(4)))).toBe(true);
    expect(ed25519Verify(key.publicKey, message.subarray(1), new Uint8Array(sig.subarray(4)))).toBe(
      false,
    );
  });
});

describe("verifier keys", () => {
  it("format → parse round-trips, and the key hash matches an independent computation", () => {
    fc.assert(
      fc.property(keyName, publicKey, (name, pub) => {
        const text = formatVerifierKey(name, pub);
        expect(text.startsWith(`${name}+${nodeKeyHash(name, pub)}+`)).toBe(true);
        expect(text.slice(text.indexOf("+", name.length + 1) + 1)).toBe(
          Buffer.concat([Buffer.from([1]), pub]).toString("base64"),
        );
        const key = parseVerifierKey(text);
        expect(key.name).toBe(name);
        expect(key.publicKey).toEqual(pub);
        expect(hex(key.keyId)).toBe(nodeKeyHash(name, pub));
        expect(hex(ed25519KeyId(name, pub))).toBe(nodeKeyHash(name, pub));
      }),
      { numRuns: 300 },
    );
  });

  it("accepts keys made for real Ed25519 pairs under non-ASCII names", () => {
    const { publicKey: pub } = generateEd25519KeyPair(new Uint8Array(32).fill(3));
    for (const name of ["lintel.example/registry", "海港-registry", "registry\u00e9"]) {
      const key = parseVerifierKey(formatVerifierKey(name, pub));
      expect(key.name).toBe(name);
      expect(hex(key.keyId)).toBe(nodeKeyHash(name, pub));
    }
  });

  it.each([
    ["empty", ""],
    ["with '+'", "a+b"],
    ["with a space", "a b"],
    ["with a tab", "a\tb"],
    ["with a newline", "a\nb"],
    ["with NBSP", "a\u00a0b"],
    ["with NEXT LINE (U+0085)", "a\u0085b"],
    ["with an ideographic space", "a\u3000b"],
    ["with a line separator", "a\u2028b"],
    ["with a lone surrogate", "a\ud800b"],
  ])("refuses a name %s", (_, name) => {
    const pub = new Uint8Array(32).fill(9);
    expect(codeOf(() => formatVerifierKey(name, pub))).toBe("bad-value");
    expect(codeOf(() => ed25519KeyId(name, pub))).toBe("bad-value");
    if (name !== "" && !name.includes("+")) {
      // The same name in a key string whose hash and body are otherwise right.
      expect(codeOf(() => parseVerifierKey(handMade(name, new Uint8Array([1, ...pub]))))).toBe(
        "bad-value",
      );
    }
  });

  it("refuses a public key that is not 32 bytes when formatting", () => {
    expect(codeOf(() => formatVerifierKey("a", new Uint8Array(31)))).toBe("bad-length");
    expect(codeOf(() => formatVerifierKey("a", new Uint8Array(33)))).toBe("bad-length");
  });

  it("refuses every tampered hash digit", () => {
    const hashStart = valid.indexOf("+") + 1;
    for (let i = 0; i < 8; i++) {
      for (const d of "0123456789abcdef") {
        if (valid[hashStart + i] === d) continue;
        const text = valid.slice(0, hashStart + i) + d + valid.slice(hashStart + i + 1);
        expect(codeOf(() => parseVerifierKey(text))).toBe("bad-value");
      }
    }
  });

  it("refuses a hash that is not 8 lower-case hex digits", () => {
    const [name, hash, b64] = valid.split("+") as [string, string, string];
    for (const h of [hash.toUpperCase(), hash.slice(1), `${hash}0`, "", "g".repeat(8)]) {
      expect(codeOf(() => parseVerifierKey(`${name}+${h}+${b64}`))).toBe("bad-encoding");
    }
  });

  it("refuses a key of another signature type or length, even with a matching hash", () => {
    const pub = new Uint8Array(32).fill(7);
    expect(codeOf(() => parseVerifierKey(handMade("k", new Uint8Array([1, ...pub]))))).toBe(
      "no error",
    );
    for (const type of [0x00, 0x02, 0x04, 0xff]) {
      expect(codeOf(() => parseVerifierKey(handMade("k", new Uint8Array([type, ...pub]))))).toBe(
        "bad-value",
      );
    }
    expect(codeOf(() => parseVerifierKey(handMade("k", new Uint8Array([1, ...pub, 0]))))).toBe(
      "bad-value",
    );
    expect(
      codeOf(() => parseVerifierKey(handMade("k", new Uint8Array([1, ...pub.subarray(1)])))),
    ).toBe("bad-value");
    expect(codeOf(() => parseVerifierKey(handMade("k", new Uint8Array([]))))).toBe("bad-value");
  });

  it("refuses base64 with missing, extra or misplaced padding, or the URL alphabet", () => {
    const [name, hash, b64] = valid.split("+") as [string, string, string];
    expect(b64).toHaveLength(44); // 33 bytes: no padding
    const bad = [
      `${b64}=`,
      `${b64}==`,
      `${b64.slice(0, -1)}=`,
      `${b64.slice(0, -2)}==`,
      b64.slice(0, -1),
      `=${b64.slice(1)}`,
      `${b64.slice(0, 20)}=${b64.slice(21)}`,
      `${b64.slice(0, 20)} ${b64.slice(20)}`,
      b64.replace(/[A-Z]/, "-"),
    ];
    for (const body of bad) {
      expect(codeOf(() => parseVerifierKey(`${name}+${hash}+${body}`))).toBe("bad-encoding");
    }
  });

  it.each([
    ["no separators", "registry"],
    ["one separator", "registry+01234567"],
    ["an empty name", "+01234567+AQ=="],
  ])("refuses a key string with %s", (_, text) => {
    expect(codeOf(() => parseVerifierKey(text))).toBe("bad-encoding");
  });
});

describe("standard base64", () => {
  it("matches Node's encoder and decodes back (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const text = base64Std(b);
        expect(text).toBe(Buffer.from(b).toString("base64"));
        expect(fromBase64Std(text)).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ["unpadded", "QQ"],
    ["short padding", "QQ="],
    ["too much padding", "QQ==="],
    ["non-zero bits before '=='", "QR=="],
    ["non-zero bits before '='", "QUJ="],
    ["a lone character", "Q"],
    ["a padding-only group", "===="],
    ["padding in the middle", "QQ==QUJD"],
    ["the URL-safe alphabet", "-_-_"],
  ])("refuses %s", (_, text) => {
    expect(codeOf(() => fromBase64Std(text))).toBe("bad-encoding");
  });

  it("accepts canonical padding", () => {
    expect(Array.from(fromBase64Std("QQ=="))).toEqual([0x41]);
    expect(Array.from(fromBase64Std("QUI="))).toEqual([0x41, 0x42]);
    expect(Array.from(fromBase64Std("QUJD"))).toEqual([0x41, 0x42, 0x43]);
  });
});

describe("parseVerifierKey fuzzing", () => {
  it("raises nothing but ProtocolError on arbitrary text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.string({ unit: "binary", maxLength: 60 }),
          fc
            .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), fc.base64String())
            .map(([a, b, c]) => `${a}+${b}+${c}`),
        ),
        (text) => {
          try {
            const key = parseVerifierKey(text);
            expect(formatVerifierKey(key.name, key.publicKey)).toBe(text);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses every single-character change of a valid key, with a ProtocolError", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= -_\u00e9";
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(valid[at] !== ch);
        const text = valid.slice(0, at) + ch + valid.slice(at + 1);
        expect(codeOf(() => parseVerifierKey(text))).not.toBe("no error");
      }),
      { numRuns: 2000 },
    );
  });
});
