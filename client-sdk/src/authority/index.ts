/**
 * The health authority's API (PROTOCOL.md §11): file and approve exposure queries, collect the
 * trustees' and the log's releases, verify and combine partial keys, fetch and decrypt the
 * query's ciphertexts on this device (in worker threads), list the contacts, export them as CSV,
 * and publish exposure warnings.
 */

export {
  type BrowserPoolOptions,
  createBrowserDecryptPool,
  defaultBrowserThreads,
} from "./browser-pool.ts";
export {
  ciphertextPages,
  fetchCiphertexts,
  SLOT_CIPHERTEXT_BYTES,
  venueRequestCiphertextPages,
} from "./ciphertexts.ts";
export { CONTACT_COLUMNS, contactsCsv, csvCell, csvDocument } from "./csv.ts";
export {
  DEFAULT_CHUNK,
  type DecryptQueryOptions,
  decryptIdentities,
  decryptQuery,
  type IdentityCiphertexts,
  type Progress,
  type QueryResult,
  type ReleaseSecretKey,
  releaseSecretKeyFor,
} from "./decrypt.ts";
export {
  type AuthorityDeployment,
  type AuthorityTrust,
  type AuthorityTrustee,
  fetchAuthorityDeployment,
} from "./deployment.ts";
export {
  type CombineInput,
  combineIdentityKeys,
  type IdentityKey,
  type ShareHolder,
} from "./keys.ts";
export {
  type AuditedLog,
  checkReleasesLogged,
  type ReadLogOptions,
  readAuditedLog,
} from "./log.ts";
export { ContactMerger } from "./merge.ts";
export { createNodeDecryptPool, defaultNodeThreads, type NodePoolOptions } from "./node-pool.ts";
export { type OfficerOptions, signedOptions } from "./officer.ts";
export { type DecryptPool, inThreadPool } from "./pool.ts";
export {
  fetchProof,
  type ProofTrust,
  type VerifiedEntryProof,
  type VerifiedQueryProof,
  verifyEntryProof,
  verifyQueryProof,
  type WaitOptions,
} from "./proof.ts";
export {
  type ApprovalOutcome,
  type ApproverChecks,
  approveQuery,
  buildQuery,
  buildWarning,
  type DraftQuery,
  fileQuery,
  listQueries,
  newReleaseKey,
  publishWarning,
  type QueryBody,
  type QueryRequest,
  type QueryReview,
  reviewQuery,
  verifyApproverChecks,
  type WarningBody,
  type WarningRequest,
} from "./query.ts";
export {
  indexedDbReleaseKeyStore,
  memoryReleaseKeyStore,
  type ReleaseKeyRecord,
  type ReleaseKeyStore,
} from "./release-key-store.ts";
export { type CollectedReleases, collectReleases, collectSealedReleases } from "./releases.ts";
export {
  type AuthorityBoxKeyPair,
  collectContacts,
  countFailures,
  type FoundContact,
  type FoundContactDetails,
  type IdentityOutcome,
} from "./results.ts";
export {
  type CiphertextPageSource,
  DEFAULT_WINDOW,
  type DecryptProgress,
  decryptStream,
  STREAM_CHUNK,
  type StreamIdentity,
  type StreamOptions,
} from "./stream.ts";
export {
  approveVenueRequest,
  forwardVenueRequestReleases,
  listVenueRequests,
  refuseVenueRequest,
  type VenueRequest,
  venueRequestEntryBody,
} from "./venue-requests.ts";
export {
  type DecryptJob,
  type DecryptOutcome,
  decryptJob,
  decryptPackedJob,
  type PackedDecryptJob,
  type PackedDecryptOutcome,
} from "./work.ts";
