/**
 * Signed statements for privileged requests (PROTOCOL.md §6.1). A privileged caller (registry
 * staff, officer, trustee, witness) signs what it asks for, bound to the exact request:
 *
 *   statement = u8 0x53 ('S') ‖ u8 1 ‖ text8 deployment ‖ fixed(4) signer key id
 *             ‖ text8 method ‖ text8 path ‖ u64 issuedAt (Unix seconds) ‖ fixed(16) nonce
 *             ‖ fixed(32) SHA-256(body)
 *   signed    = statement ‖ Ed25519(signer, "LINTEL-V1 statement" ‖ 0x00 ‖ statement)
 *
 * It travels base64url-encoded in the `Lintel-Statement` request header. The server looks the
 * signer up by key id, verifies, and refuses: a method, path or body other than the request's,
 * an issuedAt outside ±5 minutes of its clock, and a nonce it has seen within that window
 * (replay). The body hash binds the whole request body, so nothing can be swapped in transit.
 *
 * Version 2 adds the audience, for requests whose path is the same on several receivers (a
 * release: `/trustee/release` on every trustee, each with its own nonce table):
 *
 *   statement v2 = the v1 fields with u8 2 ‖ text8 audienceId ‖ text8 audienceOrigin
 *
 * A receiver that needs an audience refuses any statement whose audience is not itself; one
 * that needs none refuses a statement that names one (it was made for somewhere else).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { Reader, Writer } from "../encoding/binary.ts";
import { concatBytes, constantTimeEqual } from "../encoding/bytes.ts";
import { ProtocolError } from "../errors.ts";
import { ED25519_SIGNATURE_BYTES } from "../keys/ed25519.ts";
import { contextMessage, signAppended, verifyInContext } from "../keys/signing-context.ts";

export const STATEMENT_TYPE = 0x53;
export const STATEMENT_MAX_SKEW_SECONDS = 300;

/** Who a statement is for: a trustee (its id and origin) or the log ("log", origin ""). */
export interface StatementAudience {
  readonly id: string;
  readonly origin: string;
}

export interface RequestStatement {
  readonly deployment: string;
  readonly keyId: Uint8Array;
  readonly method: string;
  readonly path: string;
  readonly issuedAt: number;
  readonly nonce: Uint8Array;
  readonly bodyHash: Uint8Array;
  /** Version 2 only: the one receiver this statement is good for. */
  readonly audience?: StatementAudience;
}

export interface SignedRequestStatement {
  readonly statement: RequestStatement;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

const METHOD = /^[A-Z]{3,7}$/;

/** The field rules of §6.1 that the encoder and the decoder both enforce ("bad-value"). */
function checkMethodAndPath(method: string, path: string): void {
  if (!METHOD.test(method))
    throw new ProtocolError("bad-value", "method is an upper-case HTTP method");
  if (!path.startsWith("/")) throw new ProtocolError("bad-value", "path starts with /");
}

export function encodeRequestStatement(s: RequestStatement): Uint8Array {
  checkMethodAndPath(s.method, s.path);
  if (!Number.isSafeInteger(s.issuedAt) || s.issuedAt < 0)
    throw new ProtocolError("bad-value", "issuedAt is Unix seconds");
  const w = new Writer()
    .u8(STATEMENT_TYPE)
    .u8(s.audience ? 2 : 1)
    .text8(s.deployment, 32, "deployment")
    .fixed(s.keyId, 4)
    .text8(s.method, 7, "method")
    .text8(s.path, 200, "path")
    .u64(BigInt(s.issuedAt))
    .fixed(s.nonce, 16)
    .fixed(s.bodyHash, 32);
  if (s.audience) {
    if (s.audience.id === "") throw new ProtocolError("bad-value", "an audience names its id");
    w.text8(s.audience.id, 32, "audienceId").text8(s.audience.origin, 200, "audienceOrigin");
  }
  return w.finish();
}

export interface SignRequestInput {
  readonly deployment: string;
  readonly keyId: Uint8Array;
  readonly method: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly now: Date;
  readonly nonce?: Uint8Array;
  readonly audience?: StatementAudience;
}

/** The statement `input` asks for, encoded (§6.1); refuses an invalid clock with "bad-value". */
function requestStatementFor(input: SignRequestInput): Uint8Array {
  const nowMs = input.now instanceof Date ? input.now.getTime() : Number.NaN;
  // An invalid Date gives NaN; refuse it here rather than let BigInt() throw a RangeError.
  if (!Number.isFinite(nowMs)) throw new ProtocolError("bad-value", "now is not a valid time");
  return encodeRequestStatement({
    deployment: input.deployment,
    keyId: input.keyId,
    method: input.method,
    path: input.path,
    issuedAt: Math.floor(nowMs / 1000),
    nonce: input.nonce ?? crypto.getRandomValues(new Uint8Array(16)),
    bodyHash: sha256(input.body),
    ...(input.audience ? { audience: input.audience } : {}),
  });
}

export function signRequest(input: SignRequestInput, secretKey: Uint8Array): Uint8Array {
  return signAppended(secretKey, "statement", requestStatementFor(input));
}

/**
 * Signs with a key the caller holds elsewhere (a non-extractable WebCrypto key, a hardware
 * token). `sign` gets exactly the bytes Ed25519 signs for the "statement" context,
 * `"LINTEL-V1 statement" ‖ 0x00 ‖ statement`, and returns the 64-byte Ed25519 signature; the
 * result is the same `statement ‖ signature` as {@link signRequest}. A signature of another
 * length is refused with "bad-length".
 */
export async function signRequestWith(
  input: SignRequestInput,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const payload = requestStatementFor(input);
  const signature = await sign(contextMessage("statement", payload));
  if (signature.length !== ED25519_SIGNATURE_BYTES)
    throw new ProtocolError("bad-length", "an Ed25519 signature is 64 bytes");
  return concatBytes(payload, signature);
}

/** Strict parse without verification (the verifier needs the key id to find the key). */
export function decodeRequestStatement(bytes: Uint8Array): SignedRequestStatement {
  const r = new Reader(bytes);
  if (r.u8() !== STATEMENT_TYPE) throw new ProtocolError("unknown-type", "not a request statement");
  const version = r.u8();
  if (version !== 1 && version !== 2)
    throw new ProtocolError("unknown-version", "unsupported statement version");
  const deployment = r.text8(32, "deployment");
  const keyId = r.fixed(4);
  const method = r.text8(7, "method");
  const path = r.text8(200, "path");
  const issued = r.u64();
  const nonce = r.fixed(16);
  const bodyHash = r.fixed(32);
  let audience: StatementAudience | undefined;
  if (version === 2) {
    const id = r.text8(32, "audienceId");
    if (id === "") throw new ProtocolError("bad-value", "an audience names its id");
    audience = { id, origin: r.text8(200, "audienceOrigin") };
  }
  const payloadLength = r.offset;
  const signature = r.fixed(ED25519_SIGNATURE_BYTES);
  r.end();
  checkMethodAndPath(method, path);
  if (issued > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProtocolError("bad-value", "issuedAt out of range");
  return {
    statement: {
      deployment,
      keyId,
      method,
      path,
      issuedAt: Number(issued),
      nonce,
      bodyHash,
      ...(audience ? { audience } : {}),
    },
    payload: bytes.slice(0, payloadLength),
    signature,
  };
}

export interface VerifyRequestInput {
  readonly deployment: string;
  readonly method: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly now: Date;
  readonly publicKey: Uint8Array;
  /** The receiver's own audience, where it requires one; absent, a statement naming one is refused. */
  readonly audience?: StatementAudience;
}

/** Whether a statement's audience is exactly the receiver's (both absent counts). */
export function isStatementAudience(
  statement: Pick<RequestStatement, "audience">,
  receiver: StatementAudience | undefined,
): boolean {
  const a = statement.audience;
  if (!a || !receiver) return !a && !receiver;
  return a.id === receiver.id && a.origin === receiver.origin;
}

/**
 * Verifies a decoded statement against the actual request. Throws "bad-signature", "bad-value"
 * (it is about another request), "wrong-audience" (made for another receiver) or "expired"
 * (clock skew beyond ±5 minutes). Replay of the nonce
 * is the caller's check: it needs storage.
 */
export function verifyRequestStatement(
  signed: SignedRequestStatement,
  request: VerifyRequestInput,
): RequestStatement {
  const s = signed.statement;
  if (!verifyInContext(request.publicKey, "statement", signed.payload, signed.signature)) {
    throw new ProtocolError("bad-signature", "the statement's signature does not verify");
  }
  if (
    s.deployment !== request.deployment ||
    s.method !== request.method ||
    s.path !== request.path ||
    !constantTimeEqual(s.bodyHash, sha256(request.body))
  ) {
    throw new ProtocolError("bad-value", "the statement was made for a different request");
  }
  if (!isStatementAudience(s, request.audience)) {
    throw new ProtocolError("wrong-audience", "the statement was made for another receiver");
  }
  const now = Math.floor(request.now.getTime() / 1000);
  // An invalid Date gives NaN, which compares false and would accept any issuedAt.
  if (!Number.isFinite(now)) throw new ProtocolError("bad-value", "now is not a valid time");
  if (Math.abs(now - s.issuedAt) > STATEMENT_MAX_SKEW_SECONDS) {
    throw new ProtocolError("expired", "the statement is too old or from the future");
  }
  return s;
}
