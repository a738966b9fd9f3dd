/**
 * Signing in without passwords, for the operator and registry pages. A device key is made in
 * the browser (non-extractable), enrolled by a request it signs itself, and kept in IndexedDB
 * under the account's role ("operator", "registry", …). Every later call is signed with it.
 */

import {
  callRoute,
  createDeviceKey,
  forgetDeviceKey,
  loadDeviceKey,
  type SignedServiceOptions,
  saveDeviceKey,
  signedCall,
  type WebCryptoDeviceKey,
} from "@lintel/client-sdk";
import { accountRoutes, citizenRoutes, type RouteAnswer } from "@lintel/contract";
import { deviceKeyName, encodeBase64url } from "@lintel/protocol";
import { endsSession } from "./problems.ts";

/** What the pages need of GET /api/deployment, as the API contract declares it. */
export type PublicDeployment = Pick<
  RouteAnswer<typeof citizenRoutes.deployment>,
  "id" | "name" | "timezone" | "retentionDays" | "registry" | "districts"
>;

/** Who this browser signs in as, and until when: what enrolment answers (GET /api/auth/me adds). */
export type Account = RouteAnswer<typeof accountRoutes.enrol>;

export function fetchPublicDeployment(): Promise<PublicDeployment> {
  return callRoute({ baseUrl: location.origin }, citizenRoutes.deployment);
}

function optionsFor(deployment: string, key: WebCryptoDeviceKey): SignedServiceOptions {
  return { baseUrl: location.origin, deployment, keyName: deviceKeyName(deployment), key };
}

export class Session {
  private constructor(
    readonly storeName: string,
    private readonly options: SignedServiceOptions,
    public account: Account,
  ) {}

  /**
   * The session kept in this browser under `storeName`, checked with GET /api/auth/me; undefined
   * when there is none. A key the service no longer accepts is forgotten, and the error thrown.
   */
  static async resume(storeName: string, deployment: string): Promise<Session | undefined> {
    const stored = await loadDeviceKey(storeName);
    if (!stored) return undefined;
    const options = optionsFor(deployment, stored);
    try {
      const account = await signedCall(options, accountRoutes.me);
      return new Session(storeName, options, account);
    } catch (e) {
      if (endsSession(e)) await forgetDeviceKey(storeName);
      throw e;
    }
  }

  /** A new venue operator account for a new device key (POST /api/auth/operators). */
  static signUpOperator(label: string, deployment: string): Promise<Session> {
    return Session.withNewKey(deployment, (options, publicKey) =>
      signedCall(options, accountRoutes.signUpOperator, { body: { label, publicKey } }),
    );
  }

  /**
   * Redeems a one-time enrolment code for a new device key (POST /api/auth/enrol). The key is
   * kept under the account's role, whichever page the code was typed into.
   */
  static enrol(code: string, deployment: string): Promise<Session> {
    return Session.withNewKey(deployment, (options, publicKey) =>
      signedCall(options, accountRoutes.enrol, { body: { code, publicKey } }),
    );
  }

  /**
   * A fresh device key, enrolled by a request it signs itself (`enrolKey` gets its public key in
   * base64url), then kept in this browser under the account's role.
   */
  private static async withNewKey(
    deployment: string,
    enrolKey: (options: SignedServiceOptions, publicKey: string) => Promise<Account>,
  ): Promise<Session> {
    const key = await createDeviceKey();
    const options = optionsFor(deployment, key);
    const account = await enrolKey(options, encodeBase64url(key.publicKey));
    await saveDeviceKey(account.role, key.cryptoKeyPair, account);
    return new Session(account.role, options, account);
  }

  /**
   * Signs this device out at the service, then forgets its key (also when the service already
   * refuses it). When the service cannot be reached the key is kept, so that signing out can be
   * retried rather than leave an enrolled device behind.
   */
  async signOut(): Promise<void> {
    try {
      await signedCall(this.options, accountRoutes.signOutDevice, { params: { id: "current" } });
    } catch (e) {
      if (!endsSession(e)) throw e;
    }
    await forgetDeviceKey(this.storeName);
  }
}
