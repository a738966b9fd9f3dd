/**
 * Waiting for a witness's cosignature of the log's newest checkpoint. The log signs a checkpoint
 * when it appends a batch and offers it to its witnesses afterwards (retrying one that failed),
 * so for a moment after an append the newest checkpoint carries no cosignature yet. An auditor
 * that requires a quorum of witnesses checks once they have cosigned, as a test should.
 */
import { callRoute } from "@lintel/client-sdk";
import { logRoutes } from "@lintel/contract";

/** Long enough for the writer's first retries of a failed offer; a bound, not a speed target. */
const COSIGNATURE_WAIT_MS = 120_000;

export async function waitForCosignature(baseUrl: string, witnessName: string): Promise<void> {
  const deadline = Date.now() + COSIGNATURE_WAIT_MS;
  let note = "";
  while (Date.now() < deadline) {
    note = new TextDecoder().decode(await callRoute({ baseUrl }, logRoutes.checkpoint));
    // C2SP signed note: each signature line is "— <name> <base64>".
    if (note.split("\n").some((line) => line.startsWith(`— ${witnessName} `))) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${witnessName} did not cosign the newest checkpoint in time:\n${note}`);
}
