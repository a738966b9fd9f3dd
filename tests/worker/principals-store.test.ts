/**
 * The deployment's principals as routes read them (worker/src/config/principals-store.ts):
 * revoked keys are left out, columns come back under their API names.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { activePrincipals } from "../../worker/src/config/principals-store.ts";

describe("activePrincipals", () => {
  beforeEach(async () => {
    await env.DB.prepare("DELETE FROM principals").run();
  });

  it("lists the principals not revoked, with their keys", async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO principals (id, role, label, public_key, created_at) VALUES ('reg', 'registry', 'Registry', 'k-reg', 1)",
      ),
      env.DB.prepare(
        "INSERT INTO principals (id, role, label, public_key, proof_of_possession, created_at) VALUES ('t-a', 'trustee', 'Trustee A', 'k-ta', 'pop-a', 2)",
      ),
      env.DB.prepare(
        "INSERT INTO principals (id, role, label, public_key, created_at, revoked_at) VALUES ('old', 'officer', 'Gone', 'k-old', 3, 4)",
      ),
    ]);
    expect(await activePrincipals(env.DB)).toEqual([
      {
        id: "reg",
        role: "registry",
        label: "Registry",
        publicKey: "k-reg",
        proofOfPossession: null,
        createdAt: 1,
      },
      {
        id: "t-a",
        role: "trustee",
        label: "Trustee A",
        publicKey: "k-ta",
        proofOfPossession: "pop-a",
        createdAt: 2,
      },
    ]);
  });
});
