/**
 * What a local dev server's check-in shards hold, read straight from their SQLite files (with
 * sqlite3, read-only): the entrance, slot, size and deletion hash of every stored ciphertext. How
 * a test proves a check-in was stored once, or not at all, without asking the service.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

export interface CiphertextRow {
  readonly entrance: string;
  readonly slot: number;
  readonly bytes: number;
  /** Hex of the deletion hash: one per person's check-in. */
  readonly deletion: string;
}

/** Every stored ciphertext of the dev server whose LINTEL_HOME is `home`. */
export function ciphertextRows(home: string): CiphertextRow[] {
  const dir = path.join(home, "state/v3/do/lintel-CheckinStore");
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    const out = execFileSync(
      "sqlite3",
      [
        "-readonly",
        "-json",
        path.join(dir, f),
        "SELECT entrance, slot, length(ciphertext) AS bytes, hex(deletion) AS deletion FROM ciphertexts",
      ],
      { encoding: "utf8" },
    ).trim();
    return out === "" ? [] : (JSON.parse(out) as CiphertextRow[]);
  });
}
