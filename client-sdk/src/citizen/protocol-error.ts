/**
 * Protocol failures as SDK errors: a ProtocolError thrown while checking something on the device
 * becomes a LintelError with the same stable code (PROTOCOL.md §9), so callers branch on one
 * error type. Anything else is re-thrown untouched.
 */
import { isProtocolError } from "@lintel/protocol";
import { LintelError } from "../errors.ts";

/** Runs `f`, turning a ProtocolError into a LintelError with its code; `what` prefixes the message. */
export function checked<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isProtocolError(e)) throw new LintelError(e.code, `${what}: ${e.message}`);
    throw e;
  }
}
