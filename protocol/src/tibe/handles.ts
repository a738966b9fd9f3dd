/**
 * The casts between a backend's own point types and the opaque handles of backend.ts: one place,
 * so that the backends only name their types. Only backends call it.
 */
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
