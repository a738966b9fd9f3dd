/** The keys lintel-audit's commands take on the command line, refused as usage when malformed. */
import { decodeBase64url, parseVerifierKey, type VerifierKey } from "@lintel/protocol";
import { UsageError } from "./failure.ts";

export function parseKey(
  text: string,
  what: string,
  parse: (t: string) => VerifierKey = parseVerifierKey,
): VerifierKey {
  try {
    return parse(text);
  } catch (e) {
    throw new UsageError(
      `${what} is not a verifier key (name+hash+base64): ${e instanceof Error ? e.message : e}`,
    );
  }
}

export function parseRegistryKey(text: string): Uint8Array {
  try {
    return decodeBase64url(text, 32);
  } catch {
    throw new UsageError(
      "--registry-key is the registry's 32-byte Ed25519 public key in base64url",
    );
  }
}
