/**
 * Protocol figures, measured in Node: medians over repeated runs after a warm-up.
 */
import {
  decodeBase64url,
  ed25519Sign,
  ed25519Verify,
  generateEd25519KeyPair,
  generateTrusteeKey,
  verifyProofOfPossession,
} from "@lintel/protocol";

export interface Figure {
  readonly value: number;
  readonly unit: string;
}

export function medianMs(fn: () => unknown, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function protocolBenchmarks(): Promise<Record<string, Figure>> {
  const signer = generateEd25519KeyPair();
  const message = new Uint8Array(200);
  const signature = ed25519Sign(signer.secretKey, message);
  const trustee = generateTrusteeKey();
  const encoded = "A".repeat(1000);
  return {
    "protocol.ed25519_verify_ms": {
      value: medianMs(() => ed25519Verify(signer.publicKey, message, signature), 50),
      unit: "ms",
    },
    "protocol.trustee_pop_verify_ms": {
      value: medianMs(
        () => verifyProofOfPossession(trustee.publicKey, trustee.proofOfPossession),
        10,
      ),
      unit: "ms",
    },
    "protocol.base64url_decode_750B_us": {
      value: medianMs(() => decodeBase64url(encoded), 200) * 1000,
      unit: "µs",
    },
  };
}
