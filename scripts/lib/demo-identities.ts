/**
 * The demo deployment's identities: generated with fresh randomness on first run, then kept in a
 * git-ignored JSON file (mode 0600) so that restarts reuse them. Every secret here would, in a
 * real deployment, live on its holder's own device or in Worker secrets; the demo keeps them
 * together so one person can play every role. The keys are made by the same functions as a
 * real deployment's (`npm run bootstrap`, scripts/lib/bootstrap/keys.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { authorityBoxKeys, ed25519Pair, randomKey, trusteeKeys } from "./bootstrap/keys.ts";

export interface SigningIdentity {
  readonly id: string;
  readonly label: string;
  readonly secretKey: string;
  readonly publicKey: string;
}

export interface TrusteeIdentity {
  readonly id: string;
  readonly label: string;
  readonly secretShare: string;
  readonly publicKey: string;
  readonly proofOfPossession: string;
  /** Ed25519 seed the trustee signs its release entries with. */
  readonly signingSecretKey: string;
  readonly signingPublicKey: string;
}

export interface DemoVenue {
  readonly id: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly category: string;
  readonly entrances: ReadonlyArray<{
    readonly id: string;
    readonly labelEn: string;
    readonly labelZh: string;
  }>;
}

export interface DemoIdentities {
  readonly format: "lintel-demo-identities/1";
  readonly createdAt: string;
  readonly registry: SigningIdentity;
  readonly log: SigningIdentity;
  /**
   * The health authority's box key pair (X25519, libsodium crypto_box): citizen cards seal the
   * contact record to its public half (PROTOCOL.md §5.4). The secret stays with the authority.
   */
  readonly authorityBox: { readonly publicKey: string; readonly secretKey: string };
  /** Signs check-in receipts (the RECEIPT_SIGNING_KEY secret). */
  readonly receipt: SigningIdentity;
  readonly trustees: readonly TrusteeIdentity[];
  readonly officers: readonly SigningIdentity[];
  readonly auditor: SigningIdentity;
  /** The demo witness: its cosignature/v1 key (the id is the witness's name). */
  readonly witness: SigningIdentity;
  readonly venue: DemoVenue;
  /** The service's DATA_KEY secret: seals personal data at rest (worker/src/crypto/at-rest.ts). */
  readonly dataKey: string;
  /**
   * The demo registry reviewer: its device key, which the demo and its tests sign with, enrolled
   * on first start through the service (scripts/lib/seed-accounts.ts).
   */
  readonly registryStaff: DemoAccount;
}

export interface DemoAccount {
  /** The account the service made for it (its first start; `a-registry-demo` until then). */
  readonly accountId: string;
  readonly label: string;
  /** Ed25519 seed of the account's device key (base64url). */
  readonly deviceSecretKey: string;
  readonly devicePublicKey: string;
}

function demoRegistryStaff(): DemoAccount {
  const { secretKey, publicKey } = ed25519Pair();
  return {
    accountId: "a-registry-demo",
    label: "Demo reviewer",
    deviceSecretKey: secretKey,
    devicePublicKey: publicKey,
  };
}

function authorityBox(): DemoIdentities["authorityBox"] {
  const { publicKey, secretKey } = authorityBoxKeys().secrets;
  return { publicKey, secretKey };
}

const newDataKey = randomKey;

export const DEMO_WITNESS_NAME = "lintel.localhost/demo/witness";

/** Trustee ids must match [[vars.LINTEL_DEPLOYMENT.trustees]] in wrangler.toml. */
export const DEMO_TRUSTEES = [
  { id: "trustee-a", label: "Trustee A (civil liberties council)" },
  { id: "trustee-b", label: "Trustee B (data protection office)" },
] as const;

function signer(id: string, label: string): SigningIdentity {
  return { id, label, ...ed25519Pair() };
}

export function generateDemoIdentities(): DemoIdentities {
  return {
    format: "lintel-demo-identities/1",
    createdAt: new Date().toISOString(),
    registry: signer("registry", "Demo registry"),
    log: signer("log", "Demo transparency log"),
    receipt: signer("receipts", "Demo receipt key"),
    authorityBox: authorityBox(),
    trustees: DEMO_TRUSTEES.map(({ id, label }) => {
      // The demo's trustees answer on ports chosen at start: their URLs are enrolled then.
      const key = trusteeKeys(id, "http://127.0.0.1/trustee");
      return {
        id,
        label,
        secretShare: key.secrets.TRUSTEE_SHARE_KEY,
        publicKey: key.public.shareKey,
        proofOfPossession: key.public.proofOfPossession,
        signingSecretKey: key.secrets.TRUSTEE_SIGNING_KEY,
        signingPublicKey: key.public.signingKey,
      };
    }),
    officers: [
      signer("officer-a", "Officer A (files queries)"),
      signer("officer-b", "Officer B (approves queries)"),
    ],
    auditor: signer("auditor-1", "Demo auditor"),
    witness: signer(DEMO_WITNESS_NAME, "Demo witness"),
    venue: {
      id: "hbr-lib",
      nameEn: "Harbour Public Library",
      nameZh: "海港公共图书馆",
      category: "library",
      entrances: [
        { id: "hbr-main", labelEn: "Main entrance", labelZh: "正门" },
        { id: "hbr-east", labelEn: "East entrance", labelZh: "东门" },
      ],
    },
    dataKey: newDataKey(),
    registryStaff: demoRegistryStaff(),
  };
}

export function loadOrCreateDemoIdentities(file: string): {
  identities: DemoIdentities;
  created: boolean;
} {
  if (existsSync(file)) {
    const identities = JSON.parse(readFileSync(file, "utf8")) as DemoIdentities;
    if (identities.format !== "lintel-demo-identities/1") {
      throw new Error(`${file} is not a Lintel demo identities file; move it away to start afresh`);
    }
    const upgraded = addMissingKeys(identities);
    if (upgraded !== identities)
      writeFileSync(file, `${JSON.stringify(upgraded, null, 2)}\n`, { mode: 0o600 });
    return { identities: upgraded, created: false };
  }
  const identities = generateDemoIdentities();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(identities, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return { identities, created: true };
}

/** Writes the identities back (a key or account the seeding had to make anew). */
export function saveDemoIdentities(file: string, ids: DemoIdentities): void {
  writeFileSync(file, `${JSON.stringify(ids, null, 2)}\n`, { mode: 0o600 });
}

/** Files made before trustees had signing keys get them now; existing keys are never replaced. */
function addMissingKeys(ids: DemoIdentities): DemoIdentities {
  if (
    ids.trustees.every((t) => t.signingSecretKey) &&
    ids.witness &&
    ids.dataKey &&
    ids.registryStaff &&
    ids.receipt &&
    ids.authorityBox
  )
    return ids;
  return {
    ...ids,
    dataKey: ids.dataKey ?? newDataKey(),
    receipt: ids.receipt ?? signer("receipts", "Demo receipt key"),
    authorityBox: ids.authorityBox ?? authorityBox(),
    registryStaff: ids.registryStaff ?? demoRegistryStaff(),
    witness: ids.witness ?? signer(DEMO_WITNESS_NAME, "Demo witness"),
    trustees: ids.trustees.map((t) => {
      if (t.signingSecretKey) return t;
      const signing = ed25519Pair();
      return { ...t, signingSecretKey: signing.secretKey, signingPublicKey: signing.publicKey };
    }),
  };
}

/**
 * Sets keys in a dotenv file (wrangler's .dev.vars format), keeping any other lines a developer
 * added. Values must be single-line. Returns whether the file changed.
 */
export function writeEnvFile(file: string, wanted: Readonly<Record<string, string>>): boolean {
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  const kept = before
    .split("\n")
    .filter(
      (line) => line.trim() !== "" && !Object.keys(wanted).some((k) => line.startsWith(`${k}=`)),
    );
  const lines = [...kept, ...Object.entries(wanted).map(([k, v]) => `${k}=${v}`)];
  const after = `${lines.join("\n")}\n`;
  if (after === before) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, after, { mode: 0o600 });
  return true;
}
