/**
 * The registry enrols and removes the deployment's other parties in the log (every change signed
 * by a registry device of full scope: trustees and witnesses serve every district and sector):
 *
 *   GET  /api/registry/parties            the trustees and witnesses the log enrols now
 *   POST /api/registry/trustees           a trustee's public file (`lintel-trustee-public/1`)
 *   POST /api/registry/witnesses          a witness's public file (`lintel-witness-public/1`)
 *   POST /api/registry/trustee-removals   {trusteeId}
 *   POST /api/registry/witness-removals   {name}
 *
 * Each becomes the registry-signed `trustee-enrolment` / `witness-enrolment` entry the genesis
 * step makes, or the `trustee-removal` / `witness-removal` entry (PROTOCOL.md §10.3); the log's
 * policy refuses a second enrolment, a key share held by another trustee, a proof of possession
 * that does not verify and the removal of a party not enrolled. A trustee must be one the
 * deployment's settings name (its place in the deployment record); its public key share is also
 * written to `principals`, which GET /api/deployment publishes — first, and removed again if the
 * log refuses the entry, so the two never disagree.
 *
 * Lintel's threshold is every trustee: a day's master key is the sum of the shares of every
 * trustee the settings name (and the epoch key), so a query needs each one's partial key, and a
 * trustee out of the log can no longer log its release. A trustee the settings name therefore
 * cannot be removed (`trustee-required`): the settings drop it first, and the registry removes it
 * from the log once the check-ins encrypted to it have left retention (DEPLOY.md).
 */
import { partyRoutes as routes } from "@lintel/contract";
import { encodeBase64url } from "@lintel/protocol";
import { Hono } from "hono";
import { loadDeployment } from "../config/deployment.ts";
import {
  publishTrusteeShare,
  restoreTrusteeShare,
  unpublishTrusteeShare,
  withdrawTrusteeShare,
} from "../config/principals-store.ts";
import type { AppBindings, Env } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { logWriterStub } from "../log/writer.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireFullScope } from "../venues/access.ts";
import { registryEntry } from "../venues/registry-entries.ts";

const registryOnly = signedBy(["registry"]);

function enrolledParties(env: Env): Promise<{ trustees: string[]; witnesses: string[] }> {
  return logWriterStub(env, loadDeployment(env.LINTEL_DEPLOYMENT).id).parties();
}

export const registryPartyRoutes = new Hono<AppBindings>()
  .get("/parties", registryOnly, validated(routes.listParties), async (c) => {
    const settings = loadDeployment(c.env.LINTEL_DEPLOYMENT).trustees;
    const enrolled = await enrolledParties(c.env);
    c.header("cache-control", "no-store");
    return reply(c, routes.listParties, 200, {
      trustees: [...enrolled.trustees].sort().map((id) => {
        const named = settings.find((t) => t.id === id);
        return { id, name: named?.name ?? null, required: named !== undefined };
      }),
      witnesses: [...enrolled.witnesses].sort().map((name) => ({ name })),
    });
  })
  .post("/trustee-removals", registryOnly, validated(routes.removeTrustee), async (c) => {
    requireFullScope(principalOf(c), "remove trustees");
    const { trusteeId } = c.req.valid("json");
    if (!(await enrolledParties(c.env)).trustees.includes(trusteeId)) {
      throw new ProblemError("not-found", "No trustee with this id is enrolled in the log.");
    }
    if (loadDeployment(c.env.LINTEL_DEPLOYMENT).trustees.some((t) => t.id === trusteeId)) {
      throw new ProblemError(
        "trustee-required",
        "The deployment's settings name this trustee: every check-in is encrypted to its share, so without it no query could be answered. Take it out of the settings first, and remove it once the check-ins encrypted to it have left retention.",
      );
    }
    const db = c.env.DB;
    const at = Math.floor(Date.now() / 1000);
    // Its published share goes first, and comes back if the log refuses the removal.
    const withdrawn = await withdrawTrusteeShare(db, trusteeId);
    try {
      const appended = await appendToLog(c.env, [
        registryEntry(c.env, { kind: "trustee-removal", trusteeId }, at),
      ]);
      return reply(c, routes.removeTrustee, 201, { index: appended.firstIndex });
    } catch (e) {
      if (withdrawn) await restoreTrusteeShare(db, withdrawn);
      throw e;
    }
  })
  .post("/witness-removals", registryOnly, validated(routes.removeWitness), async (c) => {
    requireFullScope(principalOf(c), "remove witnesses");
    const { name } = c.req.valid("json");
    if (!(await enrolledParties(c.env)).witnesses.includes(name)) {
      throw new ProblemError("not-found", "No witness with this name is enrolled in the log.");
    }
    const at = Math.floor(Date.now() / 1000);
    const appended = await appendToLog(c.env, [
      registryEntry(c.env, { kind: "witness-removal", name }, at),
    ]);
    return reply(c, routes.removeWitness, 201, { index: appended.firstIndex });
  })
  .post("/trustees", registryOnly, validated(routes.enrolTrustee), async (c) => {
    requireFullScope(principalOf(c), "enrol trustees");
    const t = c.req.valid("json");
    const configured = loadDeployment(c.env.LINTEL_DEPLOYMENT).trustees.find((x) => x.id === t.id);
    if (!configured) {
      throw new ProblemError(
        "invalid-body",
        "The deployment's settings name no trustee with this id.",
        {
          errors: [{ pointer: "/id", reason: "a trustee id of the deployment's settings" }],
        },
      );
    }
    const db = c.env.DB;
    const at = Math.floor(Date.now() / 1000);
    const shareKey = encodeBase64url(t.shareKey);
    // A row the genesis step wrote already stays; only a row written here is undone.
    const inserted = await publishTrusteeShare(db, {
      id: t.id,
      label: configured.name,
      shareKey,
      proofOfPossession: encodeBase64url(t.proofOfPossession),
    }).catch(() => {
      throw new ProblemError("log-policy-violation", "Another party already holds this key.");
    });
    try {
      const appended = await appendToLog(c.env, [
        registryEntry(
          c.env,
          {
            kind: "trustee-enrolment",
            trusteeId: t.id,
            url: t.url,
            shareKey: t.shareKey,
            proofOfPossession: t.proofOfPossession,
            signingKey: t.signingKey,
          },
          at,
        ),
      ]);
      return reply(c, routes.enrolTrustee, 201, { index: appended.firstIndex });
    } catch (e) {
      if (inserted) await unpublishTrusteeShare(db, t.id, shareKey);
      throw e;
    }
  })
  .post("/witnesses", registryOnly, validated(routes.enrolWitness), async (c) => {
    requireFullScope(principalOf(c), "enrol witnesses");
    const w = c.req.valid("json");
    const at = Math.floor(Date.now() / 1000);
    const appended = await appendToLog(c.env, [
      registryEntry(c.env, { kind: "witness-enrolment", name: w.name, publicKey: w.publicKey }, at),
    ]);
    return reply(c, routes.enrolWitness, 201, { index: appended.firstIndex });
  });
