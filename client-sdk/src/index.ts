/**
 * @lintel/client-sdk — what citizens' browsers, venue apps, authorities and auditors use to talk
 * to a Lintel deployment. Everything that needs trust is verified on the device.
 */

export {
  type AuditOptions,
  type AuditOutcome,
  type AuditState,
  auditLog,
  type EntryPolicy,
  type LogSource,
  type MisbehaviourProof,
  memoryLogReader,
  parseState,
  SourceError,
  sourceFromReader,
} from "@lintel/protocol";
export {
  checkTimeZone,
  REPORT_COUNTERS,
  type ReportCounter,
  type ReportCounts,
  type ReportCountsJson,
  type ReportMonth,
  reportCsv,
  reportJson,
  type TransparencyReport,
  type TransparencyReportJson,
  transparencyReport,
  type VerifiedAudit,
} from "./audit/report.ts";
export { httpLogSource } from "./audit/source.ts";
export {
  auditTransparency,
  type TransparencyAudit,
  type TransparencyOptions,
} from "./audit/transparency.ts";
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
  signedCall,
  signedGetBytes,
  signedJson,
  signedUpload,
  type WebCryptoDeviceKey,
} from "./auth/index.ts";
export * from "./authority/index.ts";
export * from "./citizen/index.ts";
export { loadNativeCurves, useNodeCurves } from "./curves/node-curves.ts";
export {
  type DeploymentInfo,
  fetchDeployment,
  type Localized,
  type TrusteeInfo,
} from "./deployment/index.ts";
export { LintelError, type SdkErrorCode } from "./errors.ts";
export {
  callRoute,
  errorFromResponse,
  errorOfProblem,
  type FetchLike,
  type InputArgs,
  type ServiceOptions,
} from "./http.ts";
export {
  type OpenVenueContactsOptions,
  openVenueContacts,
  type VenueContactsResult,
} from "./venue/contacts.ts";
export { buildPosterPdf, type PosterContext, type PosterEntrance } from "./venue/poster.ts";
