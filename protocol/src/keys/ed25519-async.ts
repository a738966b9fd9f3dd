/**
 * Ed25519 verification through the platform's WebCrypto (Node ≥ 20, workerd, current browsers:
 * `importKey("raw", A, {name: "Ed25519"})`, `verify("Ed25519", key, sig, msg)`), with exactly
 * the answers of the strict pure-JS {@link ed25519Verify} on every input:
 *
 *   verify(A, M, sig) = false                      if the lengths are wrong
 *                     = false                      if ed25519Precheck(A, sig) refuses
 *                     = true                       if WebCrypto accepts
 *                     = ed25519Verify(A, M, sig)   otherwise (WebCrypto refused, failed or is absent)
 *
 * The precheck (ed25519-precheck.ts) refuses every input noble refuses that a platform verifier may
 * accept (non-canonical or small-order A, non-canonical R, S ≥ L), so a WebCrypto "yes" is noble's
 * "yes". A WebCrypto "no" is not always noble's "no" (cofactorless against cofactored equation,
 * "Taming the many EdDSAs" cases 4 and 5), so it is asked of noble again: a forged or corrupted
 * signature costs a pure-JS verification, a valid one ~0.1 ms of native code off the main thread.
 *
 * Support is detected once (a key imported, RFC 8032 §7.1 TEST 1 verified and a corrupted copy
 * refused) and the answer kept. Imported keys are kept too, at most {@link KEY_CACHE_SIZE}, least
 * recently used out first: an audit sees the same few signers thousands of times.
 */
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, ed25519Verify } from "./ed25519.ts";
import { ed25519Precheck } from "./ed25519-precheck.ts";

export interface Ed25519VerifyItem {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Which step decided: for tests and for telling where time goes. */
export type Ed25519Verdict = {
  readonly valid: boolean;
  readonly by: "length" | "precheck" | "webcrypto" | "pure-js";
};

export const KEY_CACHE_SIZE = 1024;

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => Number.parseInt(x, 16));
// RFC 8032 §7.1, TEST 1 (the empty message).
const PROBE_KEY = fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const PROBE_SIGNATURE = fromHex(
  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
);

/**
 * The two WebCrypto calls used here. Declared locally: this module type-checks both against the
 * protocol's own host globals and against the DOM library (tests, the SDK's browser build).
 */
interface Ed25519Subtle {
  importKey(
    format: "raw",
    keyData: Uint8Array,
    algorithm: { name: "Ed25519" },
    extractable: false,
    usages: ["verify"],
  ): Promise<unknown>;
  verify(
    algorithm: "Ed25519",
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

let support: Promise<boolean> | undefined;
const keys = new Map<string, Promise<unknown>>();

function subtle(): Ed25519Subtle | undefined {
  if (typeof crypto === "undefined") return undefined;
  // A browser page served over plain HTTP has `crypto` but no `crypto.subtle`.
  return (crypto as { readonly subtle?: unknown }).subtle as Ed25519Subtle | undefined;
}

/** Whether this platform's WebCrypto verifies Ed25519 (detected on first call, then cached). */
export function ed25519WebCryptoAvailable(): Promise<boolean> {
  support ??= probe();
  return support;
}

async function probe(): Promise<boolean> {
  const s = subtle();
  if (!s) return false;
  try {
    const key = await s.importKey("raw", PROBE_KEY, { name: "Ed25519" }, false, ["verify"]);
    const corrupted = PROBE_SIGNATURE.slice();
    corrupted[0]! ^= 1;
    return (
      (await s.verify("Ed25519", key, PROBE_SIGNATURE, new Uint8Array(0))) === true &&
      (await s.verify("Ed25519", key, corrupted, new Uint8Array(0))) === false
    );
  } catch {
    return false;
  }
}

const keyId = (publicKey: Uint8Array) => String.fromCharCode(...publicKey);

function importedKey(s: Ed25519Subtle, publicKey: Uint8Array): Promise<unknown> {
  const id = keyId(publicKey);
  const cached = keys.get(id);
  // Deleted and set again: the Map's insertion order is the recency order.
  if (cached) keys.delete(id);
  const key =
    cached ?? s.importKey("raw", publicKey.slice(), { name: "Ed25519" }, false, ["verify"]);
  if (!cached) {
    // A refused import is not kept: the caller falls back, and nothing is learnt by retrying.
    key.catch(() => keys.delete(id));
    if (keys.size >= KEY_CACHE_SIZE) keys.delete(keys.keys().next().value!);
  }
  keys.set(id, key);
  return key;
}

/** Whether the platform accepts an item that passed the precheck (a failure counts as no). */
function platformAccepts(s: Ed25519Subtle, item: Ed25519VerifyItem): Promise<boolean> {
  let key: Promise<unknown>;
  try {
    key = importedKey(s, item.publicKey);
  } catch {
    return Promise.resolve(false);
  }
  return key
    .then((k) => s.verify("Ed25519", k, item.signature, item.message))
    .then(
      (ok) => ok === true,
      () => false,
    );
}

const BAD_LENGTH: Ed25519Verdict = { valid: false, by: "length" };
const PRECHECKED: Ed25519Verdict = { valid: false, by: "precheck" };
const PLATFORM_VALID: Ed25519Verdict = { valid: true, by: "webcrypto" };

/** The verdict for one item, through `s` when given (the caller checked support). */
function verdict(
  s: Ed25519Subtle | undefined,
  item: Ed25519VerifyItem,
): Ed25519Verdict | Promise<Ed25519Verdict> {
  const { publicKey, message, signature } = item;
  if (
    publicKey.length !== ED25519_PUBLIC_KEY_BYTES ||
    signature.length !== ED25519_SIGNATURE_BYTES
  ) {
    return BAD_LENGTH;
  }
  if (!ed25519Precheck(publicKey, signature)) return PRECHECKED;
  const pureJs = (): Ed25519Verdict => ({
    valid: ed25519Verify(publicKey, message, signature),
    by: "pure-js",
  });
  if (!s) return pureJs();
  return platformAccepts(s, item).then((ok) => (ok ? PLATFORM_VALID : pureJs()));
}

const supportedSubtle = async () => ((await ed25519WebCryptoAvailable()) ? subtle() : undefined);

/** {@link ed25519VerifyAsync}, saying which step decided. */
export async function ed25519VerifyExplained(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<Ed25519Verdict> {
  return verdict(await supportedSubtle(), { publicKey, message, signature });
}

/**
 * Strict RFC 8032 verification with {@link ed25519Verify}'s answers, through WebCrypto where the
 * platform has it. Never rejects.
 */
export async function ed25519VerifyAsync(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return (await ed25519VerifyExplained(publicKey, message, signature)).valid;
}

/**
 * Verifies every item concurrently (WebCrypto runs them off the main thread: on Node, in the
 * libuv pool); answers in the items' order. Without WebCrypto, one after another in pure JS.
 */
export async function ed25519VerifyBatch(items: readonly Ed25519VerifyItem[]): Promise<boolean[]> {
  const s = await supportedSubtle();
  return Promise.all(
    items.map((item) => {
      const v = verdict(s, item);
      return v instanceof Promise ? v.then((x) => x.valid) : v.valid;
    }),
  );
}
