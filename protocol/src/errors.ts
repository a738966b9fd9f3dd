/**
 * Every failure the protocol library reports is a {@link ProtocolError} with a stable `code`.
 * Callers (the worker's problem details, the SDK's messages) switch on the code, never on the
 * message text, so messages may be reworded without breaking anyone.
 */
export type ProtocolErrorCode =
  | "bad-encoding"
  | "truncated"
  | "trailing-bytes"
  | "unknown-version"
  | "unknown-type"
  | "field-too-long"
  | "bad-text"
  | "bad-value"
  | "bad-length"
  | "bad-padding"
  | "bad-point"
  | "bad-scalar"
  | "bad-signature"
  | "bad-check-character"
  | "unknown-key"
  | "expired"
  | "not-yet-valid"
  | "bad-mac"
  | "decryption-failed"
  | "policy-violation"
  | "bad-proof-of-possession"
  | "no-quorum"
  | "bad-proof"
  | "bad-index"
  | "wrong-audience";

export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return value instanceof ProtocolError;
}
