/**
 * Byte-level checks that refuse, before any curve arithmetic, every Ed25519 input our strict
 * verifier (RFC 8032 §5.1.7 decoding, @noble/curves with `zip215: false`) refuses but a platform
 * verifier (OpenSSL, BoringSSL behind WebCrypto) may accept:
 *
 *  - S ≥ L, L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1.7 step 1);
 *  - a public key A or a commitment R whose y (the low 255 bits, little-endian) is ≥ p = 2^255 − 19:
 *    a non-canonical encoding (OpenSSL decodes such an A modulo p and verifies);
 *  - an A of small order: one of the eight points of the torsion subgroup E[8], whatever its sign
 *    bit. Their y coordinates are 1, p − 1, 0 and the ± pair of the order-8 points, so the test is on
 *    y alone; it also covers x = 0 with the sign bit set (y = ±1), which RFC 8032 decoding refuses.
 *    OpenSSL accepts signatures under such keys ("Taming the many EdDSAs", Chalkias et al., 2020,
 *    cases 0 and 1);
 *  - an R of x = 0 with the sign bit set (y = ±1): RFC 8032 decoding refuses it.
 *
 * What passes here is canonical, so a platform verifier that accepts it solved
 * [S]B = R + [k]A (cofactorless) or [8][S]B = [8]R + [8][k]A (cofactored) over the same decoded
 * points and the same k = SHA-512(R ‖ A ‖ M); either implies the cofactored equation noble checks.
 * The converse does not hold — a cofactorless verifier refuses an R or A with a torsion
 * component that the cofactored equation forgives — which no byte test can decide cheaply, so the
 * async verifier asks noble again whenever the platform says no (ed25519-async.ts).
 */

/** p = 2^255 − 19, little-endian. */
const P = leBytes(2n ** 255n - 19n);
/** L, the order of the prime subgroup, little-endian. */
const L = leBytes(2n ** 252n + 27742317777372353535851937790883648493n);

/**
 * The y coordinates of the eight small-order points (E[8] has five distinct y: the order-8 points
 * come in ±x pairs). A test recomputes the set with noble's point arithmetic.
 */
const SMALL_ORDER_Y = [
  0n, // (±√−1, 0): order 4
  1n, // the identity
  2n ** 255n - 20n, // (0, −1): order 2
  0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n, // order 8
  0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n, // order 8
].map(leBytes);

function leBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Compares the 32-byte little-endian numbers a (top bit masked off when `masked`) and b. */
function compareLe(a: Uint8Array, offset: number, b: Uint8Array, masked: boolean): number {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 && masked ? a[offset + i]! & 0x7f : a[offset + i]!;
    if (x !== b[i]) return x - b[i]!;
  }
  return 0;
}

/** Whether the 32 bytes at `offset` encode a y coordinate below p (the sign bit ignored). */
function canonicalY(bytes: Uint8Array, offset: number): boolean {
  return compareLe(bytes, offset, P, true) < 0;
}

function yIsOneOf(bytes: Uint8Array, offset: number, ys: readonly Uint8Array[]): boolean {
  return ys.some((y) => compareLe(bytes, offset, y, true) === 0);
}

/**
 * False when strict RFC 8032 verification refuses (publicKey, signature) whatever the message;
 * true means "decide by the equation". Expects a 32-byte key and a 64-byte signature.
 */
export function ed25519Precheck(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (compareLe(signature, 32, L, false) >= 0) return false;
  if (!canonicalY(publicKey, 0) || yIsOneOf(publicKey, 0, SMALL_ORDER_Y)) return false;
  if (!canonicalY(signature, 0)) return false;
  const rSignBit = (signature[31]! & 0x80) !== 0;
  if (rSignBit && yIsOneOf(signature, 0, [SMALL_ORDER_Y[1]!, SMALL_ORDER_Y[2]!])) return false;
  return true;
}

/** The small-order y coordinates, for the test that recomputes them. */
export const SMALL_ORDER_Y_FOR_TESTS: readonly Uint8Array[] = SMALL_ORDER_Y;
