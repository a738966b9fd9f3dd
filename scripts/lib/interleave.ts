/**
 * Side-by-side timing of two implementations of one operation, interleaved, in CPU time.
 *
 *   for round = 0 … rounds−1:
 *     order = round even ? (a, b) : (b, a)      — neither side always runs on a warmer or
 *                                                  cooler machine than the other
 *     for each side in order: states = setup() × batch (untimed); t = cpu(); run(s) for each s;
 *                              perOp[side][round] = (cpu() − t) / batch
 *     ratio[round] = perOp[a][round] / perOp[b][round]
 *   result: median of each side's per-op times and median of the per-round ratios
 *
 * The ratio is taken within a round, then the median over rounds: both sides of a round ran
 * under the same load, so a busy moment moves both numbers of that round, not the ratio. CPU
 * time (process.cpuUsage: user + system, all threads of the process) is what each side cost,
 * not how long it waited for the other sessions on a shared machine. Pure apart from the
 * default clock: tests pass their own.
 */

/** A side's operation: `setup` makes the state one run consumes (not timed), `run` is timed. */
export interface Contestant<S = void> {
  readonly name: string;
  /** Runs of one batch: enough for a batch to take ≈100 ms, far above the clock's resolution. */
  readonly batch: number;
  readonly setup: () => S;
  readonly run: (state: S) => unknown;
}

export interface InterleavedResult {
  /** Per-operation milliseconds of each round, in round order. */
  readonly aPerRound: readonly number[];
  readonly bPerRound: readonly number[];
  readonly aMedianMs: number;
  readonly bMedianMs: number;
  /** Median over rounds of a ÷ b within the round. */
  readonly ratio: number;
  /** Which side ran first in each round. */
  readonly firstPerRound: readonly ("a" | "b")[];
}

/** Milliseconds of CPU this process has used (user + system, every thread). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The median; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  if (values.some((v) => !Number.isFinite(v))) throw new Error("median of a non-finite value");
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** a ÷ b, refusing a zero or negative denominator (a clock that did not move). */
export function ratio(a: number, b: number): number {
  if (!(b > 0)) throw new Error(`ratio: the second side took ${b} ms`);
  return a / b;
}

/** Which side runs first in a round: a in even rounds, b in odd ones. */
export function firstInRound(round: number): "a" | "b" {
  return round % 2 === 0 ? "a" : "b";
}

/** Per-operation time of one batch: states made first, untimed; then only the runs are timed. */
export function timeBatch<S>(c: Contestant<S>, clock: () => number = cpuMs): number {
  if (!Number.isInteger(c.batch) || c.batch < 1) throw new Error(`${c.name}: batch must be ≥ 1`);
  const states: S[] = [];
  for (let i = 0; i < c.batch; i++) states.push(c.setup());
  const start = clock();
  for (const s of states) c.run(s);
  return (clock() - start) / c.batch;
}

export interface InterleaveOptions {
  /** At least 5; an odd count makes each median one of the measured rounds. */
  readonly rounds: number;
  /** Untimed runs of each side before the first round (JIT tiers, WebAssembly compilation). */
  readonly warmup?: number;
  readonly clock?: () => number;
}

export function interleave<A, B>(
  a: Contestant<A>,
  b: Contestant<B>,
  options: InterleaveOptions,
): InterleavedResult {
  const { rounds, warmup = 2, clock = cpuMs } = options;
  if (!Number.isInteger(rounds) || rounds < 5) throw new Error("interleave: at least 5 rounds");
  for (let i = 0; i < warmup; i++) {
    a.run(a.setup());
    b.run(b.setup());
  }
  const aPerRound: number[] = [];
  const bPerRound: number[] = [];
  const firstPerRound: ("a" | "b")[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const first = firstInRound(round);
    firstPerRound.push(first);
    let aMs: number;
    let bMs: number;
    if (first === "a") {
      aMs = timeBatch(a, clock);
      bMs = timeBatch(b, clock);
    } else {
      bMs = timeBatch(b, clock);
      aMs = timeBatch(a, clock);
    }
    aPerRound.push(aMs);
    bPerRound.push(bMs);
    ratios.push(ratio(aMs, bMs));
  }
  return {
    aPerRound,
    bPerRound,
    aMedianMs: median(aPerRound),
    bMedianMs: median(bPerRound),
    ratio: median(ratios),
    firstPerRound,
  };
}
