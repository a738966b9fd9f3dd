/**
 * What every backend of backend.ts shares, so that each names only its own types and calls: the
 * casts between its point types and the opaque handles, and the decoding and encoding rules
 * (lengths, typed errors, infinity refused both ways). Only backends call these.
 */
import { ProtocolError } from "../errors.ts";
import type { G1Handle, G2Handle, GtHandle } from "./backend.ts";

export interface HandleCasts<P1, P2, T> {
  g1(p: G1Handle): P1;
  g2(p: G2Handle): P2;
  gt(p: GtHandle): T;
  asG1(p: P1): G1Handle;
  asG2(p: P2): G2Handle;
  asGt(p: T): GtHandle;
}

export function handleCasts<P1, P2, T>(): HandleCasts<P1, P2, T> {
  const same = <A, B>(x: A) => x as unknown as B;
  return { g1: same, g2: same, gt: same, asG1: same, asG2: same, asGt: same };
}

/**
 * A point from its compressed encoding: "bad-length" for another length, "bad-point" when `parse`
 * throws (the backend's own checks: canonical, on the curve, in the subgroup) or the point is at
 * infinity.
 */
export function decodePoint<P>(
  bytes: Uint8Array,
  length: number,
  group: string,
  what: string,
  parse: (bytes: Uint8Array) => P,
  isZero: (point: P) => boolean,
): P {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length)
    throw new ProtocolError("bad-length", `${what} must be ${length} bytes`);
  let point: P;
  try {
    point = parse(bytes);
  } catch {
    throw new ProtocolError("bad-point", `${what} is not a valid ${group} point`);
  }
  if (isZero(point)) throw new ProtocolError("bad-point", `${what} is the point at infinity`);
  return point;
}

/** The compressed encoding; the point at infinity is never encoded by the protocol. */
export function encodePoint<P>(
  point: P,
  isZero: (point: P) => boolean,
  serialize: (point: P) => Uint8Array,
): Uint8Array {
  if (isZero(point)) throw new ProtocolError("bad-point", "the point at infinity is never encoded");
  return serialize(point);
}
