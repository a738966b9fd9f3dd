/**
 * The only host facilities the protocol library relies on. Declaring them here (instead of
 * pulling in the DOM or Node type libraries) keeps `protocol/` honest about being pure: code that
 * reaches for `fetch`, `process` or `window` fails to type-check. Browsers, Node ≥ 20 and workerd
 * all provide these.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare const crypto: {
  getRandomValues<T extends Uint8Array>(array: T): T;
  readonly subtle: LintelSubtleCrypto;
};
/** WebCrypto AES-GCM, for HPKE (hpke/hpke.ts): the one AEAD every runtime has without a library. */
interface LintelAesGcmParams {
  name: "AES-GCM";
  iv: Uint8Array;
  additionalData?: Uint8Array;
  tagLength?: number;
}
interface LintelSubtleCrypto {
  importKey(
    format: "raw",
    keyData: Uint8Array,
    algorithm: { name: "AES-GCM" },
    extractable: false,
    usages: ReadonlyArray<"encrypt" | "decrypt">,
  ): Promise<unknown>;
  encrypt(algorithm: LintelAesGcmParams, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: LintelAesGcmParams, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}
