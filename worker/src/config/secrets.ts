/**
 * The Worker secrets that hold Ed25519 seeds, read in one place: each is a base64url 32-byte seed,
 * and a missing or malformed one is a `misconfigured` problem naming it — never a guess.
 */
import { decodeBase64url, ed25519PublicKey } from "@lintel/protocol";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

export type SeedSecret =
  | "REGISTRY_SIGNING_KEY"
  | "LOG_SIGNING_KEY"
  | "WITNESS_SIGNING_KEY"
  | "RECEIPT_SIGNING_KEY"
  | "TRUSTEE_SIGNING_KEY";

export function secretSeed(env: Env, name: SeedSecret): Uint8Array {
  try {
    return decodeBase64url(env[name] ?? "", 32);
  } catch {
    throw new ProblemError(
      "misconfigured",
      `${name} is missing or is not a base64url Ed25519 seed.`,
    );
  }
}

/** Public halves, computed once per isolate and secret value (a scalar multiplication each). */
const publicKeys = new Map<string, Uint8Array>();

export function secretPublicKey(env: Env, name: SeedSecret): Uint8Array {
  const seedText = env[name] ?? "";
  const known = publicKeys.get(`${name}:${seedText}`);
  if (known) return known;
  const key = ed25519PublicKey(secretSeed(env, name));
  publicKeys.set(`${name}:${seedText}`, key);
  return key;
}
