/**
 * The registry enrols the deployment's other parties in the log (every call signed by a registry
 * device of full scope: trustees and witnesses serve every district and sector):
 *
 *   POST /api/registry/trustees    a trustee's public file (`lintel-trustee-public/1`)
 *   POST /api/registry/witnesses   a witness's public file (`lintel-witness-public/1`)
 *
 * Each becomes the registry-signed `trustee-enrolment` / `witness-enrolment` entry the genesis
 * step makes (PROTOCOL.md §10.3); the log's policy refuses a second enrolment, a key share held
 * by another trustee and a proof of possession that does not verify. A trustee must be one the
 * deployment's settings name (its place in the deployment record); its public key share is also
 * written to `principals`, which GET /api/deployment publishes — first, and removed again if the
 * log refuses the entry, so the two never disagree.
 */
import { partyRoutes as routes } from "@lintel/contract";
import { encodeBase64url } from "@lintel/protocol";
import { Hono } from "hono";
import { loadDeployment } from "../config/deployment.ts";
import { publishTrusteeShare, unpublishTrusteeShare } from "../config/principals-store.ts";
import type { AppBindings } from "../env.ts";
import { appendToLog } from "../log/append.ts";
import { principalOf, signedBy } from "../middleware/auth/index.ts";
import { reply, validated } from "../middleware/contract/index.ts";
import { ProblemError } from "../problems/problem.ts";
import { requireFullScope } from "../venues/access.ts";
import { registryEntry } from "../venues/registry-entries.ts";

const registryOnly = signedBy(["registry"]);

export const registryPartyRoutes = new Hono<AppBindings>()
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
