/**
 * A targeted mutation of the code that keeps an invariant or a defence: `npm run mutate` applies
 * each one alone to a scratch copy of the tree, runs the tests named for it and expects at least
 * one to fail. A mutation whose tests still pass "survived": the defence it removes is not
 * guarded by any test.
 */
export interface Mutation {
  /** Stable, kebab-case name, unique across every list in this folder. */
  readonly id: string;
  /** What the mutation breaks, in a sentence (the defence removed). */
  readonly breaks: string;
  /** The invariant numbers (THREAT_MODEL.md) or attack classes it targets. */
  readonly guards: readonly string[];
  /** Path from the repository root. */
  readonly file: string;
  /** Exact text that must occur exactly once in `file` (otherwise the mutation is "stale"). */
  readonly find: string;
  /** What replaces it. */
  readonly replace: string;
  /** The vitest project the tests belong to. */
  readonly project: "unit" | "worker" | "e2e";
  /** Test files (from the repository root) to run; at least one test in them must fail. */
  readonly tests: readonly string[];
  /** Optional vitest `-t` name filter, to run only the tests that guard this defence. */
  readonly testNamePattern?: string;
}
