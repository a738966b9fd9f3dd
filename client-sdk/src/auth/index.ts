/** Device keys and the requests they sign (PROTOCOL.md §6.1). */
export {
  createDeviceKey,
  type DeviceKey,
  deviceKeyFromCryptoKeyPair,
  deviceKeyFromSeed,
  type WebCryptoDeviceKey,
} from "./device-key.ts";
export {
  type DeviceKeyMeta,
  forgetDeviceKey,
  KEY_DATABASE,
  KEY_STORE,
  loadDeviceKey,
  type StoredDeviceKey,
  saveDeviceKey,
} from "./key-store.ts";
export {
  type SignedMethod,
  type SignedServiceOptions,
  STATEMENT_HEADER,
  signedCall,
  signedGetBytes,
  signedJson,
  signedUpload,
} from "./signed-fetch.ts";
