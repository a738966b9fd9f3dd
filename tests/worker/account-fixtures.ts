/**
 * Accounts for worker tests: device keys made here, rows written straight into D1 (as an
 * operator's enrolment or the demo seed would), and requests signed exactly as clients sign them
 * (PROTOCOL.md §6.1).
 */

import { env } from "cloudflare:workers";
import {
  deviceKeyId,
  ed25519PublicKey,
  encodeBase64url,
  type StatementAudience,
  signRequest,
  toHex,
} from "@lintel/protocol";
import { officerLogLabel } from "../../worker/src/accounts/officer-log.ts";
import type { AccountRole } from "../../worker/src/env.ts";
import { freshLicenceNumber } from "../support/licence.ts";
import { BASE, call } from "./helpers.ts";
import { deploymentLog, ensureLogStarted, entry, registrySecret } from "./log-fixtures.ts";

export const DEPLOYMENT = "demo";

export interface TestDevice {
  readonly accountId: string;
  readonly role: AccountRole;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly deviceId: string;
}

let counter = 0;

export function newKey(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = crypto.getRandomValues(new Uint8Array(32));
  return { secretKey, publicKey: ed25519PublicKey(secretKey) };
}

/** An account with one enrolled device, written directly. */
export async function makeAccount(
  role: AccountRole,
  options: { venueId?: string; label?: string; entrances?: readonly string[] } = {},
): Promise<TestDevice> {
  counter += 1;
  const accountId = `a-test-${role}-${counter}`;
  const deviceId = `d-test-${counter}`;
  const { secretKey, publicKey } = newKey();
  const now = Math.floor(Date.now() / 1000);
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO accounts (id, role, label, venue_id, created_at) VALUES (?, ?, ?, ?, ?)",
    ).bind(accountId, role, options.label ?? `${role} ${counter}`, options.venueId ?? null, now),
    env.DB.prepare(
      "INSERT INTO devices (id, account_id, public_key, key_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).bind(
      deviceId,
      accountId,
      encodeBase64url(publicKey),
      toHex(deviceKeyId(DEPLOYMENT, publicKey)),
      now,
      now,
      now + 86_400,
    ),
    ...(options.entrances ?? []).map((e) =>
      env.DB.prepare("INSERT INTO staff_entrances (account_id, entrance_id) VALUES (?, ?)").bind(
        accountId,
        e,
      ),
    ),
  ]);
  return { accountId, role, secretKey, publicKey, deviceId };
}

export interface SignedInit {
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
  readonly now?: Date;
  readonly nonce?: Uint8Array;
  /** Sign for another path/method/body than the one sent (tampering tests). */
  readonly signedPath?: string;
  readonly signedBody?: Uint8Array;
  /** The receiver the statement names (a release, PROTOCOL.md §6.1 v2). */
  readonly audience?: StatementAudience;
  /** The caller's address as Cloudflare would pass it; random by default (rate limits). */
  readonly clientIp?: string;
}

const randomIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

export function statementFor(
  key: { secretKey: Uint8Array; publicKey: Uint8Array },
  method: string,
  path: string,
  body: Uint8Array,
  init: SignedInit = {},
): string {
  return encodeBase64url(
    signRequest(
      {
        deployment: DEPLOYMENT,
        keyId: deviceKeyId(DEPLOYMENT, key.publicKey),
        method,
        path: init.signedPath ?? path,
        body: init.signedBody ?? body,
        now: init.now ?? new Date(),
        ...(init.nonce ? { nonce: init.nonce } : {}),
        ...(init.audience ? { audience: init.audience } : {}),
      },
      key.secretKey,
    ),
  );
}

/** A request signed by `key` (a device or a bare key pair), as the client SDK sends it. */
export function signed(
  key: { secretKey: Uint8Array; publicKey: Uint8Array } | null,
  method: string,
  path: string,
  init: SignedInit = {},
): Promise<Response> {
  const body =
    init.body === undefined
      ? new Uint8Array(0)
      : typeof init.body === "string"
        ? new TextEncoder().encode(init.body)
        : init.body;
  const headers: Record<string, string> = { "cf-connecting-ip": init.clientIp ?? randomIp() };
  if (key) headers["lintel-statement"] = statementFor(key, method, path, body, init);
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  return call(path, {
    method,
    headers,
    ...(init.body !== undefined ? { body } : {}),
  });
}

export function signedJson(
  key: { secretKey: Uint8Array; publicKey: Uint8Array } | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return signed(key, method, path, body === undefined ? {} : { body: JSON.stringify(body) });
}

/** A new venue each call: its own licence number (one registration per venue). */
export const sampleApplication = (overrides: Record<string, unknown> = {}) => ({
  name: { en: "Corner Tea House", zh: "街角茶馆" },
  address: "1 Harbour Road",
  licenceNumber: freshLicenceNumber(),
  category: "restaurant",
  contact: { person: "Chan Tai Man", phone: "+852 5555 0100" },
  entrances: [{ label: { en: "Front", zh: "前门" } }, { label: { en: "Back", zh: "后门" } }],
  ...overrides,
});

export const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
export const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);

export interface Application {
  id: string;
  status: string;
  entrances: Array<{ id: string; label: { en: string; zh: string }; codeVersion: number }>;
  feedback: string | null;
  contact: { person: string; phone: string } | null;
  licenceNumber: string | null;
  events: Array<{ action: string; actorId: string; detail: string | null; at: number }>;
  documents: Array<{ kind: string; mediaType: string; size: number }>;
  name: { en: string; zh: string };
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A draft with both documents uploaded; optionally submitted and approved. */
export async function applicationIn(
  state: "draft" | "submitted" | "approved" | "rejected",
  operator: TestDevice,
  registry?: TestDevice,
  body: Record<string, unknown> = sampleApplication(),
): Promise<Application> {
  const app = await ok<Application>(
    await signedJson(operator, "POST", "/api/applications", body),
    201,
  );
  await ok(
    await signed(operator, "PUT", `/api/applications/${app.id}/documents/licence`, {
      body: PDF,
      contentType: "application/pdf",
    }),
    201,
  );
  await ok(
    await signed(operator, "PUT", `/api/applications/${app.id}/documents/floor-plan`, {
      body: PNG,
      contentType: "image/png",
    }),
    201,
  );
  if (state === "draft")
    return ok(await signedJson(operator, "GET", `/api/applications/${app.id}`));
  const submitted = await ok<Application>(
    await signedJson(operator, "POST", `/api/applications/${app.id}/submit`),
  );
  if (state === "submitted") return submitted;
  const reviewer = registry ?? (await makeAccount("registry"));
  if (state === "rejected") {
    return ok(
      await signedJson(reviewer, "POST", `/api/registry/applications/${app.id}/reject`, {
        feedback: "Licence is unreadable",
      }),
    );
  }
  await ensureLogStarted();
  return ok(await signedJson(reviewer, "POST", `/api/registry/applications/${app.id}/approve`));
}

export { BASE, ok };

/** An officer account whose device key the registry enrolled in the log, as signing in does. */
export async function enrolledOfficer(label: string): Promise<TestDevice> {
  const officer = await makeAccount("officer", { label });
  const outcome = await deploymentLog().append([
    entry(
      {
        kind: "officer-enrolment",
        publicKey: officer.publicKey,
        label: officerLogLabel(label, officer.accountId),
      },
      [registrySecret()],
    ),
  ]);
  if (!outcome.ok) throw new Error(`the officer was not enrolled: ${outcome.reason}`);
  return officer;
}
