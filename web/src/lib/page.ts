/**
 * The frame of a page that signs its calls (operator, registry): the deployment's public facts,
 * the session kept in this browser for the page's role, and one way to report failures. A
 * failure that ends the sign-in (an expired or revoked device) takes the page back to its
 * sign-in form, with the reason at the top.
 */
import { LintelError } from "@lintel/client-sdk";
import { endsSession } from "./problems.ts";
import { fetchPublicDeployment, type PublicDeployment, Session } from "./session.ts";
import { showProblem } from "./ui.ts";

export class SignedPage {
  deployment!: PublicDeployment;
  session: Session | undefined;
  private readonly pageError: HTMLElement;

  constructor(
    readonly role: string,
    private readonly render: () => void,
  ) {
    this.pageError = document.getElementById("page-error")!;
  }

  /** Loads the deployment and the stored session, then renders. */
  async start(): Promise<void> {
    try {
      this.deployment = await fetchPublicDeployment();
    } catch (e) {
      document.getElementById("account")?.replaceChildren();
      showProblem(this.pageError, e);
      return;
    }
    try {
      this.session = await Session.resume(this.role, this.deployment.id);
    } catch (e) {
      this.session = undefined;
      showProblem(this.pageError, e);
    }
    this.render();
  }

  signedIn(): Session {
    if (!this.session) throw new LintelError("session-expired", "Not signed in.");
    return this.session;
  }

  /** Shows `e` in `region`; if it ended the sign-in, goes back to the sign-in form instead. */
  fail(region: HTMLElement, e: unknown): void {
    if (endsSession(e)) {
      this.session = undefined;
      this.render();
      showProblem(this.pageError, e);
      return;
    }
    showProblem(region, e);
  }

  /** The page-wide error region, for failures that belong to no one part. */
  get error(): HTMLElement {
    return this.pageError;
  }
}
