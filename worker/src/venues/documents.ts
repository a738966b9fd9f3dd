/**
 * Application documents (licence, floor plan) in R2. Limits: 5 MiB; PDF, PNG or JPEG, where the
 * declared Content-Type must match the file's own signature bytes — a renamed executable or an
 * HTML file called "licence.pdf" is refused. Bytes are sealed at rest (crypto/at-rest.ts) and
 * served back only as attachments with `nosniff`, so no document can run in the service's origin.
 */
import {
  DOCUMENT_KINDS,
  type DOCUMENT_MEDIA_TYPES,
  type DocumentKind,
  MAX_DOCUMENT_BYTES,
} from "@lintel/contract";
import { toHex } from "@lintel/protocol";
import { openAtRest, sealAtRest } from "../crypto/at-rest.ts";
import type { Env } from "../env.ts";
import { ProblemError } from "../problems/problem.ts";

export { DOCUMENT_KINDS, type DocumentKind, MAX_DOCUMENT_BYTES };
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

const SIGNATURES: ReadonlyArray<{ type: DocumentMediaType; extension: string; magic: number[] }> = [
  { type: "application/pdf", extension: "pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: "image/png", extension: "png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", extension: "jpg", magic: [0xff, 0xd8, 0xff] },
];

/** The media type of an upload, checked against its first bytes. */
export function checkDocumentType(
  declared: string | undefined,
  bytes: Uint8Array,
): DocumentMediaType {
  const type = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const sig = SIGNATURES.find((s) => s.type === type);
  if (!sig?.magic.every((b, i) => bytes[i] === b)) {
    throw new ProblemError(
      "unsupported-document",
      "Upload a PDF, PNG or JPEG file, with its matching Content-Type.",
    );
  }
  if (bytes.length === 0) throw new ProblemError("unsupported-document", "The file is empty.");
  return sig.type;
}

export function documentExtension(mediaType: string): string {
  return SIGNATURES.find((s) => s.type === mediaType)?.extension ?? "bin";
}

const context = (venueId: string, kind: DocumentKind) => `document:${venueId}:${kind}`;

export interface StoredDocument {
  readonly objectKey: string;
  readonly sha256: string;
}

export async function storeDocument(
  env: Env,
  venueId: string,
  kind: DocumentKind,
  bytes: Uint8Array,
): Promise<StoredDocument> {
  const digest = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
  const objectKey = `venues/${venueId}/${kind}/${crypto.randomUUID()}`;
  const sealed = await sealAtRest(env, context(venueId, kind), bytes);
  await env.DOCUMENTS.put(objectKey, sealed);
  return { objectKey, sha256: digest };
}

export async function readDocument(
  env: Env,
  venueId: string,
  kind: DocumentKind,
  objectKey: string,
): Promise<Uint8Array> {
  const object = await env.DOCUMENTS.get(objectKey);
  if (!object) throw new ProblemError("not-found", "The document is missing from storage.");
  return openAtRest(env, context(venueId, kind), new Uint8Array(await object.arrayBuffer()));
}
