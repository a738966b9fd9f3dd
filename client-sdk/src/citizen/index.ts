/** The citizen's side of check-in: scan, encrypt, submit, check out, keep a diary. */
export {
  type CheckInOptions,
  type ContactDetails,
  checkIn,
  checkReceipt,
  MAX_COMPANIONS,
  type PrepareCheckInOptions,
  prepareCheckIn,
} from "./checkin.ts";
export { type CheckOutResult, checkOut, deleteVisit, firstSlotAfter } from "./checkout.ts";
export { defaultServiceClock, type ServiceClock, serviceClock } from "./clock.ts";
export {
  dueForCheckOut,
  type Forgettable,
  forgetAll,
  indexedDbVisitStore,
  isVisit,
  listVisits,
  memoryVisitStore,
  pruneDiary,
  type VisitStore,
} from "./diary.ts";
export {
  type CheckExposureOptions,
  type CoveredVisit,
  checkExposure,
  type ExposureAuditRecord,
  type ExposureAuditStore,
  type ExposureCheck,
  type ExposureReport,
  indexedDbExposureAuditStore,
  isExposureAuditRecord,
  matchExposure,
  memoryExposureAuditStore,
  type QuerySigner,
  type VisitVenueRequest,
  type VisitWarning,
} from "./exposure/index.ts";
export {
  type EncryptionKeys,
  type EpochKeyEntry,
  encryptionKeysFromStatements,
  loadEncryptionKeys,
} from "./keys.ts";
export {
  authorityKeyIdOf,
  CARD_RESCAN_SECONDS,
  PAPER_BACKDATE_SECONDS,
  type PreparedStaffCheckIn,
  type PrepareStaffCheckInOptions,
  prepareStaffCheckIn,
  readCitizenCard,
  type StaffCheckInOptions,
  type StaffCheckInRequestBody,
  type StaffCheckInResult,
  type StaffPerson,
  type StaffRecordedBy,
  staffCheckIn,
  submitStaffCheckIn,
} from "./proxy.ts";
export {
  type CheckInQueue,
  type CheckInQueueOptions,
  type CheckInQueueStore,
  checkInQueue,
  type FlushResult,
  indexedDbQueueStore,
  isQueuedCheckIn,
  memoryQueueStore,
  type QueuedCheckIn,
  type QueuedOutcome,
  type SubmissionState,
} from "./queue.ts";
export { type CodeTrust, lookUpManualCode, readCode, type ScannedCode } from "./scan.ts";
export type { KeyedStore } from "./store.ts";
export {
  DIARY_TRANSFER_FORMAT,
  DIARY_TRANSFER_ITERATIONS,
  type DiaryContents,
  importDiary,
  MIN_PASSPHRASE_LENGTH,
  openDiary,
  sealDiary,
} from "./transfer.ts";
export {
  type CitizenDeployment,
  type CitizenDeploymentKeys,
  logVerifierKey,
  receiptPublicKey,
} from "./trust.ts";
export type {
  CheckInRequestBody,
  ConfirmedSubmission,
  PreparedCheckIn,
  PreparedSubmission,
  Visit,
} from "./visit.ts";
