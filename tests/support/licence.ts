/**
 * Fresh, valid unified social credit codes for tests: each venue a test registers needs a
 * licence number of its own (the service refuses a second registration of one), so fixtures
 * make one per application. Plain Web APIs only: worker tests (workerd) and e2e tests (Node)
 * both import it.
 */
import { creditCodeCheckCharacter } from "@lintel/contract";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** A random code: "91" (a company registered by market regulation), "440300", 9 random characters, its check character. */
export function freshLicenceNumber(): string {
  const random = crypto.getRandomValues(new Uint8Array(9));
  const body = `91440300${[...random].map((b) => ALPHABET[b % ALPHABET.length]).join("")}`;
  return body + creditCodeCheckCharacter(body);
}
