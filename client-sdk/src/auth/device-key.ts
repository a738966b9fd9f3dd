/**
 * Device keys: the Ed25519 key a registry officer's, venue operator's or venue staff member's
 * browser (or a Node CLI) holds for its account, and signs privileged requests with (PROTOCOL.md
 * §6.1). In a browser the private key is a non-extractable WebCrypto key: script can ask it to
 * sign, but can never read it, and IndexedDB keeps it as it is (key-store.ts). Node CLIs and
 * tests can instead derive one from a 32-byte seed.
 */
import { ED25519_PUBLIC_KEY_BYTES, ed25519PublicKey, ed25519Sign } from "@lintel/protocol";
import { LintelError } from "../errors.ts";

export interface DeviceKey {
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The 64-byte Ed25519 signature of `message` (RFC 8032, deterministic). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A device key whose private half is a WebCrypto key. */
export interface WebCryptoDeviceKey extends DeviceKey {
  readonly cryptoKeyPair: CryptoKeyPair;
}

const ED25519 = { name: "Ed25519" } as const;

/**
 * A fresh device key. The private key is made non-extractable: it can sign, and be stored in
 * IndexedDB, but never be exported. Fails with "device-key-unsupported" on a page that is not a
 * secure context, or where WebCrypto has no Ed25519 (Chromium ≥ 137, Firefox ≥ 129, Safari ≥ 17
 * and Node ≥ 20 have it).
 */
export async function createDeviceKey(): Promise<WebCryptoDeviceKey> {
  // Browsers offer WebCrypto only to secure contexts (https, or http on localhost).
  if (typeof crypto === "undefined" || crypto.subtle === undefined) {
    throw new LintelError("device-key-unsupported", "Device keys need a secure (https) page.");
  }
  let pair: CryptoKeyPair;
  try {
    pair = await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"]);
  } catch {
    throw new LintelError("device-key-unsupported", "This browser cannot make Ed25519 keys.");
  }
  return deviceKeyFromCryptoKeyPair(pair);
}

/**
 * The device key of an existing WebCrypto Ed25519 key pair (one read back from IndexedDB, say).
 * The public key is always exportable in WebCrypto, whatever the private key's setting.
 */
export async function deviceKeyFromCryptoKeyPair(pair: CryptoKeyPair): Promise<WebCryptoDeviceKey> {
  const { privateKey, publicKey } = pair;
  if (
    privateKey.algorithm.name !== ED25519.name ||
    publicKey.algorithm.name !== ED25519.name ||
    privateKey.type !== "private" ||
    publicKey.type !== "public" ||
    !privateKey.usages.includes("sign")
  ) {
    throw new LintelError("device-key-unsupported", "A device key is an Ed25519 signing key pair.");
  }
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", publicKey));
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new LintelError("device-key-unsupported", "An Ed25519 public key is 32 bytes.");
  }
  return {
    publicKey: raw,
    cryptoKeyPair: pair,
    // Copied so that WebCrypto gets an ArrayBuffer-backed view of exactly these bytes.
    sign: async (message) =>
      new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, new Uint8Array(message))),
  };
}

/**
 * A device key from a 32-byte Ed25519 seed (the RFC 8032 secret key), for Node CLIs and tests.
 * The seed is the private key itself: keep it as secret as the account it signs for.
 */
export function deviceKeyFromSeed(seed: Uint8Array): DeviceKey {
  const secretKey = seed.slice();
  const publicKey = ed25519PublicKey(secretKey);
  return {
    publicKey,
    sign: async (message) => ed25519Sign(secretKey, message),
  };
}
