/**
 * A log's side of C2SP tlog-witness (PROTOCOL.md §10.5): after each batch the log writer offers its
 * newest checkpoint to every configured witness (add-checkpoint, with a consistency proof from the
 * size that witness last cosigned), checks the cosignature that comes back against the witness's
 * key, and keeps it to serve with the checkpoint. A 409 tells the log which size the witness really
 * has; the writer records it and offers again once with a proof from there.
 */
import {
  formatAddCheckpointRequest,
  formatSignatureLine,
  parseCosignatureVerifierKey,
  parseLatestSize,
  parseSignatureLines,
  verifyCosignature,
} from "@lintel/protocol";

export interface WitnessTarget {
  readonly name: string;
  readonly key: string;
  readonly url: string;
}

export interface Submission {
  readonly oldSize: bigint;
  readonly proof: readonly Uint8Array[];
  readonly signedCheckpoint: string;
  readonly checkpointBody: string;
}

export type SubmitOutcome =
  | { readonly kind: "cosigned"; readonly line: string }
  | { readonly kind: "conflict"; readonly witnessSize: bigint }
  | { readonly kind: "failed"; readonly reason: string };

export async function submitCheckpoint(
  witness: WitnessTarget,
  submission: Submission,
  fetchImpl: typeof fetch = fetch,
): Promise<SubmitOutcome> {
  const body = formatAddCheckpointRequest({
    oldSize: submission.oldSize,
    proof: submission.proof,
    signedCheckpoint: submission.signedCheckpoint,
  });
  let res: Response;
  try {
    res = await fetchImpl(`${witness.url.replace(/\/+$/, "")}/add-checkpoint`, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body,
    });
  } catch (e) {
    return {
      kind: "failed",
      reason: `cannot reach ${witness.name}: ${e instanceof Error ? e.message : e}`,
    };
  }
  const text = await res.text();
  if (res.status === 409) {
    try {
      return { kind: "conflict", witnessSize: parseLatestSize(text) };
    } catch {
      return { kind: "failed", reason: `${witness.name} answered 409 without a size` };
    }
  }
  if (res.status !== 200)
    return { kind: "failed", reason: `${witness.name} answered ${res.status}: ${text.trim()}` };
  let key: ReturnType<typeof parseCosignatureVerifierKey>;
  let signatures: ReturnType<typeof parseSignatureLines>;
  try {
    key = parseCosignatureVerifierKey(witness.key);
    signatures = parseSignatureLines(text);
  } catch (e) {
    return {
      kind: "failed",
      reason: `${witness.name}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  for (const signature of signatures) {
    try {
      verifyCosignature(submission.checkpointBody, signature, key);
      return { kind: "cosigned", line: formatSignatureLine(signature) };
    } catch {
      // Not this witness's signature: look at the next line.
    }
  }
  return { kind: "failed", reason: `${witness.name} returned no valid cosignature` };
}
