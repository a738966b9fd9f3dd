/**
 * The keys of a deployment, each made on the machine of the party that holds it. Every maker
 * returns the party's Worker secrets (the names `wrangler secret put` takes) and the public
 * material it hands over — never the other way round. The demo (scripts/lib/demo-identities.ts)
 * makes its keys with these same functions.
 */
import {
  decodeBase64url,
  encodeBase64url,
  formatCosignatureVerifierKey,
  formatVerifierKey,
  generateEd25519KeyPair,
  generateTrusteeKey,
} from "@lintel/protocol";
import { x25519 } from "@noble/curves/ed25519.js";

export interface Ed25519Pair {
  readonly secretKey: string;
  readonly publicKey: string;
}

export function ed25519Pair(): Ed25519Pair {
  const { secretKey, publicKey } = generateEd25519KeyPair();
  return { secretKey: encodeBase64url(secretKey), publicKey: encodeBase64url(publicKey) };
}

/** 32 random bytes, base64url: a DATA_KEY. */
export const randomKey = (): string => encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));

/** What the main service's operator hands to the trustees, the witness and auditors. */
export interface ServicePublic {
  readonly format: "lintel-service-public/1";
  readonly deployment: string;
  readonly logOrigin: string;
  /** Ed25519 public keys, base64url. */
  readonly registryKey: string;
  readonly logKey: string;
  readonly receiptKey: string;
  /** The log's C2SP verifier key (name+hash+key), what auditors and witnesses pin. */
  readonly logVerifierKey: string;
}

export interface ServiceKeys {
  readonly secrets: {
    readonly REGISTRY_SIGNING_KEY: string;
    readonly LOG_SIGNING_KEY: string;
    readonly RECEIPT_SIGNING_KEY: string;
    readonly DATA_KEY: string;
  };
  readonly public: ServicePublic;
}

/** The main service's four secrets; the registry and the log key are two distinct keys. */
export function serviceKeys(
  deployment: string,
  logOrigin: string,
  pairs: { registry: Ed25519Pair; log: Ed25519Pair; receipt: Ed25519Pair; dataKey: string } = {
    registry: ed25519Pair(),
    log: ed25519Pair(),
    receipt: ed25519Pair(),
    dataKey: randomKey(),
  },
): ServiceKeys {
  return {
    secrets: {
      REGISTRY_SIGNING_KEY: pairs.registry.secretKey,
      LOG_SIGNING_KEY: pairs.log.secretKey,
      RECEIPT_SIGNING_KEY: pairs.receipt.secretKey,
      DATA_KEY: pairs.dataKey,
    },
    public: {
      format: "lintel-service-public/1",
      deployment,
      logOrigin,
      registryKey: pairs.registry.publicKey,
      logKey: pairs.log.publicKey,
      receiptKey: pairs.receipt.publicKey,
      logVerifierKey: formatVerifierKey(logOrigin, decodeBase64url(pairs.log.publicKey, 32)),
    },
  };
}

/** What a trustee hands to the registry: enough to enrol it in the log, nothing secret. */
export interface TrusteePublic {
  readonly format: "lintel-trustee-public/1";
  readonly id: string;
  readonly url: string;
  /** BLS12-381 share key (G1, 48 bytes) and its proof of possession (G2, 96 bytes), base64url. */
  readonly shareKey: string;
  readonly proofOfPossession: string;
  /** Ed25519 key the trustee signs its release entries with, base64url. */
  readonly signingKey: string;
}

export interface TrusteeKeys {
  readonly secrets: {
    readonly TRUSTEE_SHARE_KEY: string;
    readonly TRUSTEE_SIGNING_KEY: string;
    readonly DATA_KEY: string;
  };
  readonly public: TrusteePublic;
}

export function trusteeKeys(id: string, url: string): TrusteeKeys {
  const share = generateTrusteeKey();
  const signing = ed25519Pair();
  return {
    secrets: {
      TRUSTEE_SHARE_KEY: encodeBase64url(share.secretShare),
      TRUSTEE_SIGNING_KEY: signing.secretKey,
      DATA_KEY: randomKey(),
    },
    public: {
      format: "lintel-trustee-public/1",
      id,
      url,
      shareKey: encodeBase64url(share.publicKey),
      proofOfPossession: encodeBase64url(share.proofOfPossession),
      signingKey: signing.publicKey,
    },
  };
}

/** What a witness hands to the log's operator: its name, key and where to submit checkpoints. */
export interface WitnessPublic {
  readonly format: "lintel-witness-public/1";
  readonly name: string;
  readonly url: string;
  readonly publicKey: string;
  /** Its cosignature/v1 verifier key, what the log, trustees and auditors pin. */
  readonly verifierKey: string;
}

export interface WitnessKeys {
  readonly secrets: { readonly WITNESS_SIGNING_KEY: string };
  readonly public: WitnessPublic;
}

export function witnessKeys(name: string, url: string, pair = ed25519Pair()): WitnessKeys {
  return {
    secrets: { WITNESS_SIGNING_KEY: pair.secretKey },
    public: {
      format: "lintel-witness-public/1",
      name,
      url,
      publicKey: pair.publicKey,
      verifierKey: formatCosignatureVerifierKey(name, decodeBase64url(pair.publicKey, 32)),
    },
  };
}

/**
 * The health authority's box key (X25519, libsodium crypto_box): citizen cards seal the contact
 * record to its public half (PROTOCOL.md §5.4), which the main service publishes in its signed
 * deployment record (`LINTEL_AUTHORITY_BOX_KEY`). The secret file is what
 * `lintel-authority --authority-box-key-file` reads; it stays with the authority.
 */
export interface AuthorityPublic {
  readonly format: "lintel-authority-public/1";
  /** base64url, 32 bytes: the value of the main service's LINTEL_AUTHORITY_BOX_KEY. */
  readonly boxPublicKey: string;
}

export interface AuthorityKeys {
  readonly secrets: { readonly secretKey: string; readonly publicKey: string };
  readonly public: AuthorityPublic;
}

export function authorityBoxKeys(secretKey = x25519.utils.randomSecretKey()): AuthorityKeys {
  const publicKey = encodeBase64url(x25519.getPublicKey(secretKey));
  return {
    secrets: { secretKey: encodeBase64url(secretKey), publicKey },
    public: { format: "lintel-authority-public/1", boxPublicKey: publicKey },
  };
}
