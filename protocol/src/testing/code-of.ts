/**
 * Test helper: the ProtocolError code `f` throws, or "no error". Any other exception is re-thrown,
 * so a test using it fails when a decoder crashes with something that is not a typed error.
 */
import { ProtocolError, type ProtocolErrorCode } from "../errors.ts";

export function codeOf(f: () => unknown): ProtocolErrorCode | "no error" {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return "no error";
}
