/**
 * The deployment record (PROTOCOL.md §6.4): what a device encrypts to, signed by the registry —
 * the key the device already trusts for venue codes, because a device must learn which keys to
 * encrypt to from something the registry signed, never from an unsigned server answer
 * (docs/DESIGN.md "Threshold identity-based encryption").
 *
 *   record = u8 0x44 ('D') ‖ u8 1 ‖ text8 deployment ‖ u64 issuedAt
 *          ‖ fixed(32) log key ‖ fixed(32) receipt key ‖ fixed(32) authority box key
 *          ‖ u8 n (1–16)
 *          ‖ n × ( text8 trustee id ‖ fixed(48) P_i ‖ fixed(96) π_i )
 *   signed = record ‖ Ed25519(registry, "LINTEL-V1 deployment" ‖ 0x00 ‖ record)
 *
 * A device verifies the signature under its pinned registry key, then every trustee's proof of
 * possession; the log key then verifies the daily epoch-key statements (§4.6), the receipt key
 * the receipts (§6.2), and citizen cards are sealed to the authority box key (§5.4). Trustee ids are unique and in ascending byte order, so a record has one
 * encoding.
 */
import { Reader, Writer } from "../encoding/binary.ts";
import { ProtocolError } from "../errors.ts";
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES } from "../keys/ed25519.ts";
import { signAppended, verifyInContext } from "../keys/signing-context.ts";
import { PROOF_OF_POSSESSION_BYTES, SHARE_KEY_BYTES } from "../tibe/curve.ts";
import { verifyProofOfPossession } from "../tibe/trustee-key.ts";

export const DEPLOYMENT_RECORD_TYPE = 0x44;
export const MAX_RECORD_TRUSTEES = 16;

export interface RecordTrustee {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly proofOfPossession: Uint8Array;
}

export interface DeploymentRecord {
  readonly deployment: string;
  /** Unix seconds. */
  readonly issuedAt: number;
  readonly logKey: Uint8Array;
  readonly receiptKey: Uint8Array;
  /** The health authority's X25519 box key: citizen cards are sealed to it (§5.4). */
  readonly authorityBoxKey: Uint8Array;
  readonly trustees: readonly RecordTrustee[];
}

const compareText = (a: string, b: string) => {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

function checkTrustees(trustees: readonly RecordTrustee[]): void {
  if (trustees.length < 1 || trustees.length > MAX_RECORD_TRUSTEES) {
    throw new ProtocolError("bad-value", `a record names 1–${MAX_RECORD_TRUSTEES} trustees`);
  }
  for (let i = 1; i < trustees.length; i++) {
    if (compareText(trustees[i - 1]!.id, trustees[i]!.id) >= 0) {
      throw new ProtocolError("bad-value", "trustee ids must be unique and in ascending order");
    }
  }
}

export function encodeDeploymentRecord(r: DeploymentRecord): Uint8Array {
  if (!Number.isSafeInteger(r.issuedAt) || r.issuedAt < 0)
    throw new ProtocolError("bad-value", "issuedAt is Unix seconds");
  checkTrustees(r.trustees);
  const w = new Writer()
    .u8(DEPLOYMENT_RECORD_TYPE)
    .u8(1)
    .text8(r.deployment, 32, "deployment")
    .u64(BigInt(r.issuedAt))
    .fixed(r.logKey, ED25519_PUBLIC_KEY_BYTES)
    .fixed(r.receiptKey, ED25519_PUBLIC_KEY_BYTES)
    .fixed(r.authorityBoxKey, 32)
    .u8(r.trustees.length);
  for (const t of r.trustees) {
    w.text8(t.id, 32, "trustee id")
      .fixed(t.publicKey, SHARE_KEY_BYTES)
      .fixed(t.proofOfPossession, PROOF_OF_POSSESSION_BYTES);
  }
  return w.finish();
}

export function signDeploymentRecord(
  r: DeploymentRecord,
  registrySecretKey: Uint8Array,
): Uint8Array {
  return signAppended(registrySecretKey, "deployment", encodeDeploymentRecord(r));
}

/**
 * Strict decoding, then the registry's signature (`bad-signature`), the deployment when given
 * (`unknown-key`), and every trustee's proof of possession (`bad-proof-of-possession`).
 */
export function verifyDeploymentRecord(
  bytes: Uint8Array,
  registryPublicKey: Uint8Array,
  deployment?: string,
): DeploymentRecord {
  const r = new Reader(bytes);
  if (r.u8() !== DEPLOYMENT_RECORD_TYPE)
    throw new ProtocolError("unknown-type", "not a deployment record");
  if (r.u8() !== 1) throw new ProtocolError("unknown-version", "unsupported record version");
  const name = r.text8(32, "deployment");
  const issued = r.u64();
  const logKey = r.fixed(ED25519_PUBLIC_KEY_BYTES);
  const receiptKey = r.fixed(ED25519_PUBLIC_KEY_BYTES);
  const authorityBoxKey = r.fixed(32);
  const n = r.u8();
  const trustees: RecordTrustee[] = [];
  for (let i = 0; i < n; i++) {
    trustees.push({
      id: r.text8(32, "trustee id"),
      publicKey: r.fixed(SHARE_KEY_BYTES),
      proofOfPossession: r.fixed(PROOF_OF_POSSESSION_BYTES),
    });
  }
  const payloadLength = r.offset;
  const signature = r.fixed(ED25519_SIGNATURE_BYTES);
  r.end();
  const payload = bytes.subarray(0, payloadLength);
  if (!verifyInContext(registryPublicKey, "deployment", payload, signature)) {
    throw new ProtocolError("bad-signature", "the deployment record is not the registry's");
  }
  if (issued > BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProtocolError("bad-value", "issuedAt out of range");
  checkTrustees(trustees);
  if (deployment !== undefined && name !== deployment) {
    throw new ProtocolError("unknown-key", "the record belongs to another deployment");
  }
  for (const t of trustees) {
    if (!verifyProofOfPossession(t.publicKey, t.proofOfPossession)) {
      throw new ProtocolError("bad-proof-of-possession", `trustee ${t.id}: no proof of possession`);
    }
  }
  return {
    deployment: name,
    issuedAt: Number(issued),
    logKey,
    receiptKey,
    authorityBoxKey,
    trustees,
  };
}
