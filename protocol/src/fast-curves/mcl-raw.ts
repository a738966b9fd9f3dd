/**
 * Two C functions of mcl that mcl-wasm 2.4.1 compiles in but its JavaScript API does not wrap,
 * called directly on its wasm stack, the way its own wrappers call the others:
 *
 *   mclBnG2_hashAndMapToWithDst(G2 *out, msg, msgLen, dst, dstLen)
 *       RFC 9380 hash_to_curve for G2 under any DST, in one call: the two field elements are
 *       mapped and added before the cofactor is cleared once (mapToG2 twice clears it twice:
 *       ~0.6 ms more per hash, and identities and proofs of possession are all hashed to G2);
 *   mclBn_millerLoopVec(GT *out, const G1 *xs, const G2 *ys, n)
 *       Π f(x_i, y_i) with the Fp12 squarings shared across the pairs, for the pairing-product
 *       checks of proofs of possession and partial keys.
 *
 * Both depend on mcl-wasm's memory layout (points as MCLBN_G*_SIZE-byte structs, copied with the
 * public copyToMem/copyFromMem) and are pinned with it: the cross-backend tests compare every
 * result with @noble/curves.
 */
import type * as McLib from "mcl-wasm";

type Fn = (...args: number[]) => number;

/** The module-level helpers of mcl-wasm's dist/mcl.js (same instance as the API's). */
interface McWasmModule {
  stackSave(): number;
  stackAlloc(bytes: number): number;
  stackRestore(position: number): void;
  sallocBytes(bytes: Uint8Array): number;
  readonly mod: Record<string, Fn | undefined>;
}

export interface McRaw {
  hashToG2(message: Uint8Array, dst: Uint8Array): McLib.G2;
  /** Π e(p_i, q_i) before the final exponentiation. */
  millerLoopVec(ps: readonly McLib.G1[], qs: readonly McLib.G2[]): McLib.GT;
}

const FP_BYTES = 48;
const G1_BYTES = FP_BYTES * 3;
const G2_BYTES = FP_BYTES * 6;
const GT_BYTES = FP_BYTES * 12;

/**
 * The two functions, or undefined where mcl-wasm's module state cannot be reached as the same
 * instance its API initialised (vitest's workerd module runner loads CommonJS files apart; a
 * bundle made by esbuild, as for the pages and wrangler, shares one instance). The backend then
 * uses mcl-wasm's public API for the same results, a little slower.
 */
export async function loadMclRaw(mcl: typeof McLib): Promise<McRaw | undefined> {
  const imported = (await import("mcl-wasm/dist/mcl.js")) as unknown as Partial<McWasmModule> & {
    default?: Partial<McWasmModule>;
  };
  const wasm = (imported.mod ? imported : imported.default) as McWasmModule | undefined;
  const hashAndMap = wasm?.mod?._mclBnG2_hashAndMapToWithDst;
  const millerLoopVec = wasm?.mod?._mclBn_millerLoopVec;
  if (!wasm || !hashAndMap || !millerLoopVec) return undefined;
  const live: McWasmModule = wasm;

  function onStack<T>(body: () => T): T {
    const stack = live.stackSave();
    try {
      return body();
    } finally {
      live.stackRestore(stack);
    }
  }

  return {
    hashToG2: (message, dst) =>
      onStack(() => {
        const out = live.stackAlloc(G2_BYTES);
        const msg = live.sallocBytes(message);
        const tag = live.sallocBytes(dst);
        if (hashAndMap(out, msg, message.length, tag, dst.length) !== 0)
          throw new Error("mclBnG2_hashAndMapToWithDst failed");
        const q = new mcl.G2();
        q.copyFromMem(out);
        return q;
      }),
    millerLoopVec: (ps, qs) =>
      onStack(() => {
        const n = ps.length;
        const xs = live.stackAlloc(n * G1_BYTES);
        const ys = live.stackAlloc(n * G2_BYTES);
        for (let i = 0; i < n; i++) {
          ps[i]!.copyToMem(xs + i * G1_BYTES);
          qs[i]!.copyToMem(ys + i * G2_BYTES);
        }
        const out = live.stackAlloc(GT_BYTES);
        millerLoopVec(out, xs, ys, n);
        const f = new mcl.GT();
        f.copyFromMem(out);
        return f;
      }),
  };
}
