/**
 * Moving a diary to another browser: everything the device keeps about its visits (the diary,
 * the offline queue, and whatever the app adds, such as remembered details) sealed with a
 * passphrase into one file, and opened again elsewhere. The format, `lintel-diary/1`, is specified
 * in the client-sdk README ("Diary transfer file") with a vector (transfer.test.ts).
 *
 * The key is PBKDF2-HMAC-SHA-256 of the passphrase (600,000 iterations, a random 16-byte salt)
 * and the contents are sealed with AES-256-GCM, both from WebCrypto (browsers and Node alike);
 * the file's header is the AEAD's associated data, so no parameter can be changed unnoticed. A
 * wrong passphrase and a damaged file fail alike, at the tag, before anything is read: an import
 * is all or nothing. The file holds deletion secrets and, where kept, names and phone numbers:
 * only the passphrase protects it.
 */
import { decodeBase64url, encodeBase64url } from "@lintel/protocol";
import { LintelError } from "../errors.ts";
import { isVisit, type VisitStore } from "./diary.ts";
import { type CheckInQueueStore, isQueuedCheckIn, type QueuedCheckIn } from "./queue.ts";
import type { Visit } from "./visit.ts";

export const DIARY_TRANSFER_FORMAT = "lintel-diary/1";
export const DIARY_TRANSFER_ITERATIONS = 600_000;
/** Accepted on import: fewer is too weak to have been written by this SDK, more is a stall. */
const MIN_ITERATIONS = 100_000;
const MAX_ITERATIONS = 10_000_000;
/** A passphrase shorter than this is refused when sealing. */
export const MIN_PASSPHRASE_LENGTH = 8;

export interface DiaryContents {
  /** The deployment the visits belong to (a file from another deployment is refused). */
  readonly deployment: string;
  /** Unix seconds. */
  readonly exportedAt: number;
  readonly visits: readonly Visit[];
  readonly queue: readonly QueuedCheckIn[];
  /** Anything else the app keeps (JSON; byte arrays allowed); checked by the app on import. */
  readonly app?: unknown;
}

interface Header {
  readonly format: typeof DIARY_TRANSFER_FORMAT;
  readonly kdf: {
    readonly name: "PBKDF2-SHA-256";
    readonly iterations: number;
    readonly salt: string;
  };
  readonly cipher: "AES-256-GCM";
  readonly nonce: string;
}

const BYTES_TAG = "$bytes";

/** A copy on its own ArrayBuffer, as WebCrypto's types ask. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** JSON with byte arrays as `{"$bytes": base64url}` (the diary keeps receipts as bytes). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { [BYTES_TAG]: encodeBase64url(v) } : v,
  );
}

function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === BYTES_TAG && typeof o[BYTES_TAG] === "string") {
        return decodeBase64url(o[BYTES_TAG]);
      }
    }
    return v;
  });
}

/** The associated data: the header's fields in a fixed order, so the check is byte-exact. */
function associatedData(h: Header): Uint8Array {
  return new TextEncoder().encode(
    `${h.format}\n${h.kdf.name}\n${h.kdf.iterations}\n${h.kdf.salt}\n${h.cipher}\n${h.nonce}`,
  );
}

async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number) {
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(passphrase.normalize("NFC")),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: own(salt), iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** The file's text. `fixed` (salt, nonce) is for vectors only. */
export async function sealDiary(
  contents: DiaryContents,
  passphrase: string,
  fixed: { readonly salt?: Uint8Array; readonly nonce?: Uint8Array } = {},
): Promise<string> {
  if (passphrase.normalize("NFC").length < MIN_PASSPHRASE_LENGTH) {
    throw new LintelError(
      "transfer-passphrase-short",
      `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`,
    );
  }
  const salt = fixed.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const nonce = fixed.nonce ?? crypto.getRandomValues(new Uint8Array(12));
  const header: Header = {
    format: DIARY_TRANSFER_FORMAT,
    kdf: {
      name: "PBKDF2-SHA-256",
      iterations: DIARY_TRANSFER_ITERATIONS,
      salt: encodeBase64url(salt),
    },
    cipher: "AES-256-GCM",
    nonce: encodeBase64url(nonce),
  };
  const key = await deriveKey(passphrase, salt, DIARY_TRANSFER_ITERATIONS);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: own(nonce), additionalData: own(associatedData(header)) },
    key,
    new TextEncoder().encode(toJson(contents)),
  );
  return `${JSON.stringify({ ...header, ciphertext: encodeBase64url(new Uint8Array(sealed)) })}\n`;
}

const notAFile = () =>
  new LintelError("transfer-file", "This is not a Lintel diary file, or it is damaged.");

function readHeader(text: string): {
  header: Header;
  ciphertext: Uint8Array;
  salt: Uint8Array;
  nonce: Uint8Array;
} {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw notAFile();
  }
  const kdf = o?.kdf as Record<string, unknown> | undefined;
  if (
    o?.format !== DIARY_TRANSFER_FORMAT ||
    o.cipher !== "AES-256-GCM" ||
    kdf?.name !== "PBKDF2-SHA-256" ||
    !Number.isSafeInteger(kdf.iterations) ||
    (kdf.iterations as number) < MIN_ITERATIONS ||
    (kdf.iterations as number) > MAX_ITERATIONS ||
    typeof kdf.salt !== "string" ||
    typeof o.nonce !== "string" ||
    typeof o.ciphertext !== "string"
  ) {
    throw notAFile();
  }
  try {
    const header: Header = {
      format: DIARY_TRANSFER_FORMAT,
      kdf: { name: "PBKDF2-SHA-256", iterations: kdf.iterations as number, salt: kdf.salt },
      cipher: "AES-256-GCM",
      nonce: o.nonce,
    };
    const salt = decodeBase64url(kdf.salt);
    const nonce = decodeBase64url(o.nonce, 12);
    if (salt.length < 16) throw notAFile();
    return { header, ciphertext: decodeBase64url(o.ciphertext), salt, nonce };
  } catch {
    throw notAFile();
  }
}

/**
 * Opens a file sealed by {@link sealDiary}. Throws LintelError "transfer-passphrase" when the
 * passphrase is wrong (or the sealed part was changed), "transfer-file" when the file is not one.
 */
export async function openDiary(text: string, passphrase: string): Promise<DiaryContents> {
  const { header, ciphertext, salt, nonce } = readHeader(text);
  const key = await deriveKey(passphrase, salt, header.kdf.iterations);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: own(nonce), additionalData: own(associatedData(header)) },
      key,
      own(ciphertext),
    );
  } catch {
    throw new LintelError(
      "transfer-passphrase",
      "The passphrase is wrong, or the file was changed after it was made.",
    );
  }
  let o: Record<string, unknown>;
  try {
    o = fromJson(new TextDecoder("utf-8", { fatal: true }).decode(plain)) as Record<
      string,
      unknown
    >;
  } catch {
    throw notAFile();
  }
  if (
    typeof o?.deployment !== "string" ||
    !Number.isSafeInteger(o.exportedAt) ||
    !Array.isArray(o.visits) ||
    !Array.isArray(o.queue) ||
    !o.visits.every(isVisit) ||
    !o.queue.every(isQueuedCheckIn)
  ) {
    throw notAFile();
  }
  return {
    deployment: o.deployment,
    exportedAt: o.exportedAt as number,
    visits: o.visits,
    queue: o.queue,
    ...(o.app === undefined ? {} : { app: o.app }),
  };
}

/**
 * Adds what a file holds to this device's stores: a visit or queued check-in already here (the
 * same id) is left as it is, so importing twice adds nothing. Checked in full first (deployment),
 * so nothing is written when the file does not fit.
 */
export async function importDiary(
  contents: DiaryContents,
  stores: {
    readonly visits: VisitStore;
    readonly queue: CheckInQueueStore;
    readonly deployment: string;
  },
): Promise<{ readonly added: number; readonly alreadyHere: number }> {
  if (contents.deployment !== stores.deployment) {
    throw new LintelError(
      "transfer-deployment",
      `This diary belongs to the deployment "${contents.deployment}", not this one.`,
    );
  }
  const foreign = [...contents.visits, ...contents.queue.map((q) => q.prepared)].some(
    (v) => v.deployment !== stores.deployment,
  );
  if (foreign) {
    throw new LintelError("transfer-deployment", "This diary holds visits of another deployment.");
  }
  const visitIds = new Set((await stores.visits.list()).map((v) => v.id));
  const queuedIds = new Set((await stores.queue.list()).map((q) => q.id));
  let added = 0;
  let alreadyHere = 0;
  for (const visit of contents.visits) {
    if (visitIds.has(visit.id)) alreadyHere++;
    else {
      await stores.visits.put(visit);
      added++;
    }
  }
  for (const item of contents.queue) {
    // A check-in the queue here already sent is in the diary under the same id.
    if (queuedIds.has(item.id) || visitIds.has(item.id)) alreadyHere++;
    else {
      await stores.queue.put(item);
      added++;
    }
  }
  return { added, alreadyHere };
}
