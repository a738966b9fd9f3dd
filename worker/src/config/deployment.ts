/**
 * The one typed, validated description of a deployment. It comes from `[vars.LINTEL_DEPLOYMENT]`
 * in wrangler.toml (public settings only; secrets arrive separately as Worker secrets). A worker
 * whose settings do not validate refuses every request with a `misconfigured` problem, naming the
 * setting that is wrong, instead of running with a guess.
 */
import { VENUE_REQUEST_GRANTS } from "@lintel/protocol";
import * as z from "zod";

const localized = z.strictObject({
  en: z.string().min(1).max(120),
  zh: z.string().min(1).max(120),
});

// 32 at most: every protocol structure carries the deployment id in a text8 of ≤ 32 bytes.
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "lower-case letters, digits and hyphens, at most 32");

export const deploymentSchema = z.strictObject({
  id: slug,
  role: z.enum(["main", "trustee", "witness"]),
  name: localized,
  timezone: z.string().refine(isTimeZone, "an IANA time zone such as Asia/Shanghai"),
  /**
   * The responsible health authority as the public reaches it: every public page's footer shows
   * it, in the reader's language. Optional so that a trustee or witness instance needs none.
   */
  contact: z
    .strictObject({
      name: localized,
      phone: z.string().regex(/^\+?[0-9 ()-]{3,30}$/, "a phone number: digits, spaces, + ( ) -"),
      address: localized,
      url: z.url({ protocol: /^https$/ }).optional(),
    })
    .optional(),
  retentionDays: z.number().int().min(1).max(60),
  slotMinutes: z.literal(60),
  epochKeysAheadDays: z.number().int().min(1).max(14),
  // The origin is also the name of the log's signing key, and C2SP key names exclude '+'.
  logOrigin: z
    .string()
    .regex(/^[\x21-\x2a\x2c-\x7e]{1,200}$/, "printable ASCII without spaces or '+'"),
  officerPolicy: z.strictObject({
    approvalsRequired: z.number().int().min(2).max(5),
    maxWindowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 7),
    maxEntrancesPerQuery: z.number().int().min(1).max(200),
    // The sweep limits the log's deployment entry carries (PROTOCOL.md §10.3): a query of more
    // than maxEntranceHoursPerQuery entrance-hours needs wideQueryApprovals officers and stays
    // within maxEntranceHoursWide; one case reference has at most maxQueriesPerCase queries
    // covering maxEntranceHoursPerCase entrance-hours; a filed draft waits at most
    // draftLifetimeSeconds for its approvals, then shows as expired.
    maxEntranceHoursPerQuery: z.number().int().min(1).max(65_535),
    wideQueryApprovals: z.number().int().min(3).max(8),
    maxEntranceHoursWide: z.number().int().min(1).max(65_535),
    maxEntranceHoursPerCase: z.number().int().min(1).max(65_535),
    maxQueriesPerCase: z.number().int().min(1).max(255),
    draftLifetimeSeconds: z
      .number()
      .int()
      .min(300)
      .max(7 * 86_400),
  }),
  trustees: z
    .array(
      z.strictObject({
        id: slug,
        name: z.string().min(1).max(120),
        url: z.url({ protocol: /^https?$/ }),
      }),
    )
    .min(1)
    .max(16)
    .refine((t) => new Set(t.map((x) => x.id)).size === t.length, "trustee ids must be unique"),
  /**
   * What an officer's approval of a venue's request for its own records gives the venue
   * (PROTOCOL.md §11.7): a warning on its behalf to everyone present, matched on their own
   * devices, and its check-ins per hour in the window. Shown to the operator before filing and to
   * the officer before approving; the approval's log entry carries it.
   */
  venueRequests: z
    .strictObject({
      grants: z
        .array(z.enum(VENUE_REQUEST_GRANTS))
        .min(1)
        .refine((g) => new Set(g).size === g.length, "each grant once"),
    })
    .default({ grants: ["warning", "counts"] }),
  /**
   * The districts whose local governments supervise venues (属地): a venue names one, and a
   * registry reviewer's scope may be limited to some. The first is where venues from before
   * districts belong (their district is unset in the database). Ids are kept in accounts' scopes:
   * rename a district's names freely, but never reuse an id for another district.
   */
  districts: z
    .array(z.strictObject({ id: slug, name: localized }))
    .min(1)
    .max(64)
    .refine((d) => new Set(d.map((x) => x.id)).size === d.length, "district ids must be unique")
    .default([{ id: "all", name: { en: "The whole area", zh: "全域" } }]),
  /**
   * Check-in storage: how many shards (Durable Objects, entrance-keyed) take the writes, and how
   * many check-ins one entrance may take in an hour before refusing (floods, photographed codes).
   * Changing `shards` moves entrances between shards: only on an empty deployment.
   */
  ingest: z
    .strictObject({
      shards: z.number().int().min(1).max(1024),
      maxPerEntranceHour: z.number().int().min(1).max(1_000_000),
    })
    .default({ shards: 4, maxPerEntranceHour: 5000 }),
  /**
   * Application documents in R2: how many, and how many bytes, one operator may keep over all
   * their applications (a replaced document counts once). Beyond it an upload is refused with
   * `quota-exceeded`, so no account can fill the bucket.
   */
  documents: z
    .strictObject({
      maxObjectsPerOperator: z.number().int().min(2).max(10_000),
      maxBytesPerOperator: z
        .number()
        .int()
        .min(5 * 1024 * 1024)
        .max(1024 * 1024 * 1024),
    })
    .default({ maxObjectsPerOperator: 20, maxBytesPerOperator: 40 * 1024 * 1024 }),
});

export type Deployment = z.infer<typeof deploymentSchema>;

const verifierKeyText = z
  .string()
  .regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/, "a C2SP verifier key name+hash+base64");

/**
 * The witnesses a log submits its checkpoints to (main role), from the LINTEL_WITNESSES variable:
 * a JSON list, because the demo's witness keys are made on first run and cannot sit in
 * wrangler.toml. `key` is the witness's cosignature/v1 verifier key.
 */
export const witnessesSchema = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(100),
      key: verifierKeyText,
      url: z.url({ protocol: /^https?$/ }),
    }),
  )
  .max(16);

/** What a witness instance witnesses (witness role), from the LINTEL_WITNESS variable. */
export const witnessRoleSchema = z.strictObject({
  name: z.string().min(1).max(100),
  logs: z
    .array(z.strictObject({ origin: z.string().min(1).max(200), key: verifierKeyText }))
    .min(1)
    .max(64),
});

function parseJsonSetting<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  setting: string,
): z.output<S> {
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DeploymentConfigError(`${setting} is not valid JSON`);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new DeploymentConfigError(`${setting} is invalid: ${where}`);
  }
  return parsed.data;
}

/**
 * What a trustee instance needs besides its secrets (trustee role), from the LINTEL_TRUSTEE
 * variable: its id in the log, where the log is, the log's verifier key, the witnesses whose
 * cosignatures it requires (cosignature/v1 verifier keys) and how many, and the registry key the
 * log's first entry must name.
 */
export const trusteeRoleSchema = z.strictObject({
  id: slug,
  /** Where officers reach this trustee (its enrolled URL); default: the request's own origin. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  logUrl: z.url({ protocol: /^https?$/ }),
  logKey: verifierKeyText,
  witnesses: z.array(verifierKeyText).max(16).default([]),
  quorum: z.number().int().min(0).max(16).optional(),
  registryKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a base64url Ed25519 public key"),
});

export function loadTrusteeRole(raw: unknown): z.output<typeof trusteeRoleSchema> {
  if (raw === undefined || raw === "")
    throw new DeploymentConfigError("LINTEL_TRUSTEE is not set for a trustee");
  const role = parseJsonSetting(trusteeRoleSchema, raw, "LINTEL_TRUSTEE");
  if ((role.quorum ?? 0) > role.witnesses.length) {
    throw new DeploymentConfigError("LINTEL_TRUSTEE is invalid: quorum: more than the witnesses");
  }
  return role;
}

/**
 * Where each trustee answers, when it differs from wrangler.toml (LINTEL_TRUSTEE_URLS, a JSON
 * object trustee id → URL): the demo's trustees run on ports chosen at start.
 */
export function trusteeUrl(
  env: { LINTEL_TRUSTEE_URLS?: string },
  trustee: { id: string; url: string },
): string {
  if (!env.LINTEL_TRUSTEE_URLS) return trustee.url;
  const urls = parseJsonSetting(
    z.record(z.string(), z.url({ protocol: /^https?$/ })),
    env.LINTEL_TRUSTEE_URLS,
    "LINTEL_TRUSTEE_URLS",
  );
  return urls[trustee.id] ?? trustee.url;
}

export function loadWitnesses(raw: unknown): z.output<typeof witnessesSchema> {
  return raw === undefined || raw === ""
    ? []
    : parseJsonSetting(witnessesSchema, raw, "LINTEL_WITNESSES");
}

export function loadWitnessRole(raw: unknown): z.output<typeof witnessRoleSchema> {
  if (raw === undefined || raw === "")
    throw new DeploymentConfigError("LINTEL_WITNESS is not set for a witness");
  return parseJsonSetting(witnessRoleSchema, raw, "LINTEL_WITNESS");
}

export class DeploymentConfigError extends Error {
  override readonly name = "DeploymentConfigError";
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const cache = new WeakMap<object, Deployment>();

/** Validates once per settings object (the env object is stable for an isolate). */
export function loadDeployment(raw: unknown): Deployment {
  if (typeof raw === "object" && raw !== null) {
    const hit = cache.get(raw);
    if (hit) return hit;
  }
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new DeploymentConfigError(`LINTEL_DEPLOYMENT is invalid: ${where}`);
  }
  if (typeof raw === "object" && raw !== null) cache.set(raw, parsed.data);
  return parsed.data;
}
