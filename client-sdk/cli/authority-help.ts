/**
 * lintel-authority's help texts: one overview, one page per command. Kept apart from the
 * program so the pages read as a whole.
 */
import { EXIT_CODES_HELP } from "./exit-codes.ts";

export const COMMANDS = ["file", "list", "approve", "decrypt", "warn"] as const;
export type Command = (typeof COMMANDS)[number];

export const isCommand = (text: string | undefined): text is Command =>
  (COMMANDS as readonly string[]).includes(text ?? "");

const COMMON = `options for every command:
  --service <url>          the Lintel service (default http://127.0.0.1:8787)
  --key-file <file>        {"secretKey": "<base64url Ed25519 seed>"} or the demo identities file
  --officer <id>           with the demo identities file: which officer (e.g. officer-a)
  --registry-key <key>     pin the registry: base64url public key or C2SP verifier key
  --release-keys <file>    the queries' release keys (default: release-keys.json next to
                           the key file; written by file, read by decrypt)
  --json                   print the result, or the failure, as one JSON document on stdout
  --progress               progress on stderr even when it is not a terminal
  --debug                  print the stack trace of an internal error
  -h, --help               this help;  --version  the version`;

const TIMES = `times: ISO 8601 with a zone — 2026-11-21T10:00+08:00 or 2026-11-21T02:00Z. A time
without a zone (2026-11-21T10:00) is read in the deployment's time zone, as the console reads
it, and the answer says so; never in this machine's zone. Times are shown in the deployment's
zone with their offset.`;

const PAGES: Record<Command, string> = {
  file: `usage: lintel-authority file --entrance <id>... --from <time> --to <time> --case <reference>
                             --legal-basis <text> --legal-document <file> --reason <text>

Files an exposure query as a draft, signed by this officer. The case reference and the legal
document are hashed here and never sent. The query's release key is made here; its secret half
is kept in the release-key file, so only this key file's directory can decrypt the query.

  --entrance <id>          an entrance in scope (repeat for several)
  --from, --to <time>      the window, whole hours`,
  list: `usage: lintel-authority list

Lists the deployment's query drafts: awaiting approval, logged (with their log entry), or
expired and why.`,
  approve: `usage: lintel-authority approve <draftId> --case <reference> --legal-document <file> [--yes]

Shows the draft, checks your own copy of the case reference and legal document against its
hashes (nothing is signed on a mismatch), asks for confirmation and countersigns it.

  --case <reference>       the case reference, as you have it
  --legal-document <file>  your copy of the legal order
  --yes                    do not ask (required when stdin is not a terminal)`,
  decrypt: `usage: lintel-authority decrypt <queryIndex> [--csv <out.csv>] [--threads N]
                                [--authority-box-key-file <file>] [--cosignatures N]

Verifies the logged query's proof, collects every trustee's and the log's release, audits the
log, verifies and combines the partial keys and decrypts the query's check-ins on this machine.
Decrypted data is printed, or written only to --csv (mode 0600); it is never sent anywhere.

  --csv <file>             write the contacts to this new file instead of printing them
  --threads N              worker threads for combining and decrypting (0: this thread;
                           default: one per core)
  --authority-box-key-file <file>  opens citizen cards ({"secretKey"} or the identities file)
  --cosignatures N         witness cosignatures to wait for (default: every witness named)`,
  warn: `usage: lintel-authority warn <queryIndex> --entrance <id> --from <time> --to <time>

Publishes an exposure warning for one entrance and window inside a logged query.`,
};

const OVERVIEW = `usage: lintel-authority <command> [options]

The health authority's command line (PROTOCOL.md §11):
  file       file an exposure query as a draft
  list       list drafts and logged queries
  approve    countersign a colleague's draft
  decrypt    release and decrypt a logged query on this machine
  warn       publish an exposure warning

Run lintel-authority <command> --help for a command's options.`;

function page(...parts: string[]): string {
  return `${parts.join("\n\n")}\n`;
}

/** The overview, or a command's page. */
export function helpText(command?: Command): string {
  return command
    ? page(PAGES[command], COMMON, TIMES, EXIT_CODES_HELP)
    : page(OVERVIEW, COMMON, TIMES, EXIT_CODES_HELP);
}
