/**
 * @lintel/protocol — formats, cryptography and log algorithms shared by the worker, the SDK and
 * the pages. Pure: no I/O, no host APIs beyond those declared in globals.d.ts.
 * Sealing with libsodium lives behind the separate "@lintel/protocol/seal" entry point so that
 * the worker never loads it. The spec is PROTOCOL.md beside this folder.
 */

export {
  type CodeRequest,
  DEFAULT_STAY_MINUTES,
  newVenueCode,
  registryKeyName,
} from "./codes/issue.ts";
export {
  KIOSK_SECRET_BYTES,
  KIOSK_STEP_SECONDS,
  KIOSK_WINDOW_STEPS,
  kioskCodeUrl,
  kioskStep,
  kioskSuffix,
  verifyKioskSuffix,
} from "./codes/kiosk-code.ts";
export {
  CROCKFORD,
  formatManualCode,
  manualCodeFor,
  normalizeManualCode,
} from "./codes/manual-code.ts";
export {
  codeQrSymbol,
  codeQrVersion,
  codeUrlSegments,
  MAX_POSTER_QR_VERSION,
} from "./codes/qr-budget.ts";
export {
  CODE_PATH,
  type ContactFields,
  type DecodedVenueCode,
  dayNumber,
  decodeVenueCode,
  encodeVenueCodePayload,
  LIMITS as VENUE_CODE_LIMITS,
  type ParsedCodeUrl,
  parseCodeUrl,
  type SignedName,
  signVenueCode,
  VENUE_CATEGORIES,
  type VenueCategory,
  type VenueCode,
  type VerifyOptions as VenueCodeVerifyOptions,
  venueCodeUrl,
  verifyVenueCode,
} from "./codes/venue-code.ts";
export { decodeBase32, encodeBase32 } from "./encoding/base32.ts";
export { decodeBase64url, encodeBase64url } from "./encoding/base64url.ts";
export { Reader, Writer } from "./encoding/binary.ts";
export { concatBytes, constantTimeEqual, toHex } from "./encoding/bytes.ts";
export { csvCell, csvDocument } from "./encoding/csv.ts";
export { isProtocolError, ProtocolError, type ProtocolErrorCode } from "./errors.ts";
export {
  COMMITMENT_BYTES,
  commitmentsHash,
  keyCommitment,
  parseRelease,
  partialKeysHash,
  RELEASE_FORMAT,
  type Release,
  type ReleaseJson,
  releaseHash,
  releaseToJson,
} from "./exposure/release.ts";
export {
  inScope,
  MAX_SCOPE_IDENTITIES,
  type QueryWindow,
  queryScope,
  type ScopeIdentity,
} from "./exposure/scope.ts";
export {
  type OpenReleaseOptions,
  openSealedRelease,
  releaseInfo,
  SEALED_RELEASE_FORMAT,
  type SealedReleaseJson,
  sealRelease,
} from "./exposure/sealed-release.ts";
export {
  HPKE_PUBLIC_KEY_BYTES,
  HPKE_SECRET_KEY_BYTES,
  type HpkeKeyPair,
  hpkeKeyPair,
  hpkeOpen,
  hpkePublicKey,
  hpkeSeal,
} from "./hpke/hpke.ts";
export {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SECRET_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  type Ed25519KeyPair,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  generateEd25519KeyPair,
} from "./keys/ed25519.ts";
export {
  type Ed25519VerifyItem,
  ed25519VerifyAsync,
  ed25519VerifyBatch,
  ed25519WebCryptoAvailable,
} from "./keys/ed25519-async.ts";
export {
  contextMessage,
  type SigningContext,
  signInContext,
  verifyInContext,
} from "./keys/signing-context.ts";
export { VerifiedSignatures } from "./keys/verified-signatures.ts";
export {
  ed25519KeyId,
  formatVerifierKey,
  parseVerifierKey,
  type VerifierKey,
} from "./keys/verifier-key.ts";
export {
  type AuditOptions,
  type AuditOutcome,
  auditLog,
  type EntryPolicy,
  type MisbehaviourProof,
} from "./log/audit/audit.ts";
export { memoryLogReader } from "./log/audit/memory-log.ts";
export {
  type LogSource,
  type ReadPath,
  SourceError,
  sourceFromReader,
} from "./log/audit/source.ts";
export { type AuditState, makeState, parseState, stateFrontier } from "./log/audit/state.ts";
export { type TileHashReader, tileHashReader } from "./log/audit/tile-reader.ts";
export {
  type Checkpoint,
  type CheckpointFields,
  formatCheckpoint,
  parseCheckpoint,
} from "./log/checkpoint/checkpoint.ts";
export {
  type CheckpointPolicy,
  openCheckpoint,
  signCheckpoint,
  type VerifiedCheckpoint,
  verifyCheckpoint,
} from "./log/checkpoint/signed-checkpoint.ts";
export {
  CODE_REPLACEMENT_REASONS,
  type DeploymentLimits,
  deploymentLimits,
  ENTRY_KINDS,
  type EntryBody,
  type EntryKind,
  NO_RELEASE_KEY,
  releaseKeyOf,
  SUSPENSION_REASONS,
  type SuspensionReason,
  VENUE_REQUEST_GRANTS,
  VENUE_REQUEST_REASONS,
  type VenueRequestGrant,
  type VenueRequestReason,
} from "./log/entries/bodies.ts";
export {
  countersignEntry,
  countersignEntryWith,
  type DecodedEntry,
  decodeEntry,
  type EntrySignature,
  encodeEntry,
  entrySignedPart,
  type LogEntry,
  signEntry,
  type UnsignedEntry,
  validSigners,
} from "./log/entries/entry.ts";
export {
  BACKDATING_TOLERANCE_SECONDS,
  deploymentRuleBroken,
  entrySignatureItems,
  LOG_TRUSTEE_ID,
  LogPolicy,
  MIN_LEGAL_BASIS_CHARS,
  MIN_REASON_CHARS,
  POLICY_RULES,
  type PolicySnapshot,
  type QueryLimits,
  type QueryScope,
  queryIdentityCount,
  queryRuleBroken,
  SLOT_SECONDS,
  scopeRuleBroken,
} from "./log/entries/policy.ts";
export * from "./log/merkle/index.ts";
export {
  cosignatureKeyId,
  cosignCheckpoint,
  formatCosignatureVerifierKey,
  parseCosignatureVerifierKey,
  verifyCosignature,
} from "./log/note/cosignature.ts";
export {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatSignatureLine,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseNote,
  parseSignatureLines,
  signNote,
} from "./log/note/note.ts";
export {
  decodeEntryBundle,
  decodeTile,
  type EntryBundle,
  encodeEntryBundle,
  encodeTile,
  formatEntryBundlePath,
  formatTileIndex,
  formatTilePath,
  newEntryBundles,
  newTiles,
  parseEntryBundlePath,
  parseTileIndex,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Tile,
  tilesForSize,
} from "./log/tiles/tiles.ts";
export {
  formatTlogProof,
  parseTlogProof,
  type TlogProof,
  type TlogProofFields,
} from "./log/tiles/tlog-proof.ts";
export {
  type AddCheckpointFields,
  type AddCheckpointRequest,
  formatAddCheckpointRequest,
  formatLatestSize,
  parseAddCheckpointRequest,
  parseLatestSize,
} from "./log/tiles/witness.ts";
export type { Aead } from "./record/aead.ts";
export {
  CHECKIN_RECORD_BYTES,
  type CheckInRecord,
  decodeCheckInRecord,
  encodeCheckInRecord,
  type RecordedBy,
} from "./record/checkin-record.ts";
export {
  authorityKeyId,
  type CitizenCard,
  cardFromText,
  cardToText,
  decodeCitizenCard,
  encodeCitizenCard,
  maskName,
} from "./record/citizen-card.ts";
export { type Contact, decodeContact, encodeContact } from "./record/contact.ts";
export {
  deletionSecretMatches,
  deletionTokenHash,
  newDeletionSecret,
} from "./record/deletion-token.ts";
export { xchacha20poly1305Js } from "./record/xchacha20poly1305.ts";
export {
  DEPLOYMENT_RECORD_TYPE,
  type DeploymentRecord,
  encodeDeploymentRecord,
  MAX_RECORD_TRUSTEES,
  type RecordTrustee,
  signDeploymentRecord,
  verifyDeploymentRecord,
} from "./statements/deployment-record.ts";
export { deviceKeyId, deviceKeyName } from "./statements/device-key.ts";
export {
  ENROLMENT_CODE_CHARS,
  enrolmentCodeHash,
  newEnrolmentCode,
  normalizeEnrolmentCode,
} from "./statements/enrolment-code.ts";
export {
  encodeReceipt,
  hashCiphertexts,
  type Receipt,
  signReceipt,
  verifyReceipt,
} from "./statements/receipt.ts";
export {
  decodeRequestStatement,
  isStatementAudience,
  type RequestStatement,
  type SignedRequestStatement,
  type SignRequestInput,
  STATEMENT_MAX_SKEW_SECONDS,
  type StatementAudience,
  signRequest,
  signRequestWith,
  verifyRequestStatement,
} from "./statements/signed-request.ts";
export {
  type CurveBackend,
  curves,
  type G1Handle,
  type G2Handle,
  type GtHandle,
  type PreparedG2,
  useCurves,
} from "./tibe/backend.ts";
export { type CheckInEncryption, encryptCheckIn, type SlotCiphertext } from "./tibe/checkin.ts";
export {
  G1_BYTES,
  G2_BYTES,
  PARTIAL_KEY_BYTES,
  PROOF_OF_POSSESSION_BYTES,
  SHARE_KEY_BYTES,
} from "./tibe/curve.ts";
export {
  type EpochKey,
  type EpochKeyStatement,
  epochDay,
  epochDestructionDay,
  generateEpochKey,
  signEpochStatement,
  type VerifyEpochStatementOptions,
  verifyEpochStatement,
} from "./tibe/epoch-key.ts";
export {
  ciphertextBytes,
  decryptWithIdentityKey,
  encryptToIdentity,
  type ParsedCiphertext,
  parseCiphertext,
} from "./tibe/ibe.ts";
export {
  DEFAULT_SLOT_SECONDS,
  identityBytes,
  type SlotIdentity,
  slotsOverlapping,
} from "./tibe/identity.ts";
export { type KeyShare, PreparedMasterKey } from "./tibe/master-key.ts";
export { combinePartialKeys, extractPartialKey, verifyPartialKey } from "./tibe/partial-key.ts";
export {
  assertProofOfPossession,
  forgetRememberedProofs,
  G1_COMPRESSED_BYTES,
  G2_COMPRESSED_BYTES,
  generateTrusteeKey,
  POP_DST,
  rememberedProofs,
  rememberProofs,
  SCALAR_BYTES,
  shareKeyOf,
  type TrusteeKey,
  verifyProofOfPossession,
  verifyProofsOfPossession,
} from "./tibe/trustee-key.ts";
export { utcOffsetSeconds } from "./time/zone.ts";
