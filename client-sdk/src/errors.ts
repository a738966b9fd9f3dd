/**
 * Errors the SDK raises. `code` is stable: branch on it. Problems returned by the service keep
 * the service's RFC 9457 code; failures found on the device have codes of their own.
 */
import type { ScanInstead } from "@lintel/contract";

export type SdkErrorCode =
  | "network"
  | "unexpected-response"
  | "untrusted-trustee-key"
  | "deployment-incomplete"
  | (string & {});

export class LintelError extends Error {
  override readonly name = "LintelError";
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    readonly status?: number,
    /** The service's time (Unix seconds) when it sent one, as with bad-slots. */
    readonly serviceTime?: number,
    /** How long the service asked to wait (its Retry-After, in seconds), as with rate-limited. */
    readonly retryAfterSeconds?: number,
    /**
     * With entrance-retired: the entrance whose code to scan instead (its id and names in both
     * languages), or null when there is none (ask the venue's staff).
     */
    readonly scanInstead?: ScanInstead | null,
  ) {
    super(message);
  }
}
