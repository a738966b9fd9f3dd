/** CSV exports use the protocol's one formula-safe rule (protocol/src/encoding/csv.ts). */
export { csvCell, csvDocument } from "@lintel/protocol";
