/**
 * @lintel/client-sdk — what citizens' browsers, venue apps, authorities and auditors use to talk
 * to a Lintel deployment. Everything that needs trust is verified on the device.
 */

export {
  type AuditOptions,
  type AuditOutcome,
  auditLog,
  type EntryPolicy,
  type MisbehaviourProof,
} from "./audit/audit.ts";
export { memoryLogReader } from "./audit/memory-log.ts";
export { httpLogSource, type LogSource, SourceError, sourceFromReader } from "./audit/source.ts";
export { type AuditState, parseState } from "./audit/state.ts";
export {
  createDeviceKey,
  type DeviceKey,
  type DeviceKeyMeta,
  deviceKeyFromCryptoKeyPair,
  deviceKeyFromSeed,
  forgetDeviceKey,
  KEY_DATABASE,
  KEY_STORE,
  loadDeviceKey,
  type SignedMethod,
  type SignedServiceOptions,
  STATEMENT_HEADER,
  type StoredDeviceKey,
  saveDeviceKey,
  signedGetBytes,
  signedJson,
  signedUpload,
  type WebCryptoDeviceKey,
} from "./auth/index.ts";
export * from "./citizen/index.ts";
export {
  type DeploymentInfo,
  fetchDeployment,
  type Localized,
  type TrusteeInfo,
} from "./deployment/index.ts";
export { LintelError, type SdkErrorCode } from "./errors.ts";
export type { FetchLike, ServiceOptions } from "./http.ts";
export { buildPosterPdf, type PosterContext, type PosterEntrance } from "./venue/poster.ts";
