/**
 * Every Ed25519 signature Lintel makes over its own structures signs
 *
 *   "LINTEL-V1 " ‖ context ‖ 0x00 ‖ payload
 *
 * so that a signature made for one purpose (a venue code, a receipt, an officer's statement) can
 * never be presented as a signature for another. Contexts are fixed ASCII strings listed in
 * PROTOCOL.md §2.3. (Log checkpoints are the exception: they are C2SP signed notes, whose format
 * fixes what is signed.)
 */
import { concatBytes, utf8 } from "../encoding/bytes.ts";
import { ed25519Sign, ed25519Verify } from "./ed25519.ts";

export type SigningContext =
  | "venue code"
  | "receipt"
  | "statement"
  | "epoch key"
  | "deployment"
  | "log entry";

/** "LINTEL-V1 " ‖ context ‖ 0x00 for each context, encoded once (an audit asks per entry). */
const prefixes = new Map<SigningContext, Uint8Array>();

export function contextMessage(context: SigningContext, payload: Uint8Array): Uint8Array {
  let prefix = prefixes.get(context);
  if (!prefix) {
    prefix = concatBytes(utf8(`LINTEL-V1 ${context}`), new Uint8Array([0]));
    prefixes.set(context, prefix);
  }
  return concatBytes(prefix, payload);
}

export function signInContext(
  secretKey: Uint8Array,
  context: SigningContext,
  payload: Uint8Array,
): Uint8Array {
  return ed25519Sign(secretKey, contextMessage(context, payload));
}

export function verifyInContext(
  publicKey: Uint8Array,
  context: SigningContext,
  payload: Uint8Array,
  signature: Uint8Array,
): boolean {
  return ed25519Verify(publicKey, contextMessage(context, payload), signature);
}

/** payload ‖ signature: the form every signed Lintel structure travels in. */
export function signAppended(
  secretKey: Uint8Array,
  context: SigningContext,
  payload: Uint8Array,
): Uint8Array {
  return concatBytes(payload, signInContext(secretKey, context, payload));
}
