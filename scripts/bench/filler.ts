/**
 * Filler for a benchmark log: batches of registry-signed officer enrolments of fresh keys — the
 * commonest entry of a grown log, and one every policy replay must verify — as the JSON bodies
 * of POST /log/entries.
 */
import { encodeBase64url, encodeEntry, generateEd25519KeyPair, signEntry } from "@lintel/protocol";

export function enrolmentBatches(
  registrySecret: Uint8Array,
  batches: number,
  perBatch: number,
  tag: string,
): string[] {
  return Array.from({ length: batches }, (_, b) =>
    JSON.stringify({
      entries: Array.from({ length: perBatch }, (_, i) =>
        encodeBase64url(
          encodeEntry(
            signEntry(
              {
                deployment: "demo",
                issuedAt: Math.floor(Date.now() / 1000),
                body: {
                  kind: "officer-enrolment",
                  publicKey: generateEd25519KeyPair().publicKey,
                  label: `${tag} ${b}/${i}`,
                },
              },
              [registrySecret],
            ),
          ),
        ),
      ),
    }),
  );
}

/** Posts the batches to the log, one at a time; throws on the first refusal. */
export async function appendBatches(baseUrl: string, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) {
    const res = await fetch(`${baseUrl}/log/entries`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    if (!res.ok) throw new Error(`log append: ${res.status} ${await res.text()}`);
  }
}
