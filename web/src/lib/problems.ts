/**
 * Turning errors into messages people can act on: a sentence in the chosen language picked by the
 * stable problem code (problem-text.ts), then, for a person reading English, the service's own
 * `detail` text (which never holds personal data) so that nothing the service explained is lost.
 */
import { LintelError } from "@lintel/client-sdk";
import { type Bi, bi } from "./i18n.ts";
import { language } from "./language.ts";
import { problemText } from "./problem-text.ts";

export function problemCode(e: unknown): string {
  return e instanceof LintelError ? e.code : "unknown";
}

/** How long to wait, in words, for a Retry-After in seconds. */
export function waitText(seconds: number): Bi {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1
    ? { en: "about a minute", zh: "约 1 分钟" }
    : { en: `about ${minutes} minutes`, zh: `约 ${minutes} 分钟` };
}

/**
 * The sentence that says what failed, in the chosen language; its code (for a test, or for
 * support to look up at /problems/<code>) is an attribute, not text a person has to read.
 */
export function sentenceNode(code: string, text: Bi): HTMLParagraphElement {
  const main = document.createElement("p");
  main.className = "problem";
  main.dataset.code = code;
  main.append(bi(text.en, text.zh));
  return main;
}

/**
 * The service's own explanation, after our sentence, where it adds something: it is written in
 * English (never with personal data), so it is shown only to a person reading English.
 */
export function serviceDetail(e: unknown, shown?: Bi): Node[] {
  if (!(e instanceof LintelError) || !e.message || e.message === shown?.en) return [];
  if (language() !== "en") return [];
  const detail = document.createElement("p");
  detail.className = "detail";
  detail.textContent = e.message;
  return [detail];
}

/** The nodes of an error message: the bilingual sentence, then the service's detail. */
export function problemNodes(e: unknown): Node[] {
  const code = problemCode(e);
  const nodes: Node[] = [sentenceNode(code, problemText(code))];
  // The SDK's errors carry the service's Retry-After, whichever way the call was made.
  if (e instanceof LintelError && e.code === "rate-limited" && e.retryAfterSeconds !== undefined) {
    const wait = waitText(e.retryAfterSeconds);
    const p = document.createElement("p");
    p.append(bi(`Try again in ${wait.en}.`, `请在${wait.zh}后重试。`));
    nodes.push(p);
  }
  nodes.push(...serviceDetail(e, problemText(code)));
  // Not a service answer: a bug on this page. Keep it visible to whoever debugs it.
  if (!(e instanceof LintelError)) console.error(e);
  return nodes;
}

/** Errors after which the stored key is of no more use: the page should sign out locally. */
export function endsSession(e: unknown): boolean {
  return (
    e instanceof LintelError &&
    (e.code === "session-expired" || e.code === "bad-statement" || e.code === "unauthenticated")
  );
}
