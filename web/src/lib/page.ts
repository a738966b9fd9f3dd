/**
 * The frame of a page that signs its calls (operator, registry): the deployment's public facts,
 * the session kept in this browser for the page's role, and one way to report failures. A
 * failure that ends the sign-in (an expired or revoked device) takes the page back to its
 * sign-in form, with the reason at the top.
 */
import { LintelError } from "@lintel/client-sdk";
import { accountSection, enrolSection, NO_PASSWORD_NOTE } from "./account.ts";
import { replaceChildren } from "./dom.ts";
import { endsSession } from "./problems.ts";
import { fetchPublicDeployment, type PublicDeployment, Session } from "./session.ts";
import { paragraph, showProblem } from "./ui.ts";

export interface AccountGate {
  /** Shown between the no-password note and the enrolment form (an introduction, a sign-up). */
  readonly before?: readonly Node[];
  /** Focused once an enrolment code signed this browser in. */
  readonly focusAfterSignIn: string;
  /** Focused after signing out; the enrolment code field by default. */
  readonly focusAfterSignOut?: string;
  /** Page state to drop on sign-out, before the page renders again. */
  readonly onSignOut?: () => void;
  /**
   * Draws the page once an enrolment code signed this browser in, focus included (a page whose
   * view loads before its heading exists); by default, render and focus `focusAfterSignIn`.
   */
  readonly afterSignIn?: () => void;
}

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

  /**
   * The account box every signed page has: signed out, the no-password note, `before` and the
   * enrolment form (the workspace is emptied); signed in, who this is and sign-out. Returns
   * whether the page is signed in, i.e. whether to render its workspace.
   */
  accountGate(accountBox: HTMLElement, workspace: HTMLElement, gate: AccountGate): boolean {
    if (!this.session) {
      replaceChildren(
        accountBox,
        paragraph(NO_PASSWORD_NOTE.en, NO_PASSWORD_NOTE.zh, { class: "note" }),
        ...(gate.before ?? []),
        enrolSection({
          deployment: this.deployment.id,
          role: this.role,
          onSignedIn: (s) => {
            this.session = s;
            if (gate.afterSignIn) {
              gate.afterSignIn();
              return;
            }
            this.render();
            document.getElementById(gate.focusAfterSignIn)?.focus();
          },
        }),
      );
      replaceChildren(workspace);
      return false;
    }
    replaceChildren(
      accountBox,
      accountSection(this.session, this.deployment.timezone, () => {
        this.session = undefined;
        gate.onSignOut?.();
        this.render();
        document.getElementById(gate.focusAfterSignOut ?? "enrolment-code")?.focus();
      }),
    );
    return true;
  }

  /** The page-wide error region, for failures that belong to no one part. */
  get error(): HTMLElement {
    return this.pageError;
  }
}
