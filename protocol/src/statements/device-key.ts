/**
 * Account device keys (PROTOCOL.md §6.1): the Ed25519 keys that sign registry staff's, venue
 * operators' and venue staff's requests. Their key id is the C2SP key hash (§2.2) under one key
 * name per deployment, so a device needs nothing but the deployment id to compute it.
 */
import { ed25519KeyId } from "../keys/verifier-key.ts";

export function deviceKeyName(deployment: string): string {
  return `${deployment}/device`;
}

export function deviceKeyId(deployment: string, publicKey: Uint8Array): Uint8Array {
  return ed25519KeyId(deviceKeyName(deployment), publicKey);
}
