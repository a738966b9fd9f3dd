import { describe, expect, it } from "vitest";
import {
  type Contestant,
  firstInRound,
  interleave,
  median,
  ratio,
  timeBatch,
} from "./interleave.ts";

/** A clock that moves only when a contestant says so: timings are exact, never the machine's. */
function fakeClock() {
  let now = 0;
  return {
    clock: () => now,
    spend: (ms: number) => {
      now += ms;
    },
  };
}

describe("median", () => {
  it("takes the middle value of an odd count and the mean of the two middle of an even one", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("leaves its input in order", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("refuses no values and non-finite ones", () => {
    expect(() => median([])).toThrow(/no values/);
    expect(() => median([1, Number.NaN, 2])).toThrow(/non-finite/);
    expect(() => median([1, Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});

describe("ratio", () => {
  it("divides, and refuses a side whose clock did not move", () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(() => ratio(3, 0)).toThrow(/0 ms/);
    expect(() => ratio(3, -1)).toThrow();
  });
});

describe("firstInRound", () => {
  it("alternates which side goes first", () => {
    expect([0, 1, 2, 3, 4].map(firstInRound)).toEqual(["a", "b", "a", "b", "a"]);
  });
});

describe("timeBatch", () => {
  it("times only the runs, not the setup that makes their states", () => {
    const { clock, spend } = fakeClock();
    const c: Contestant<number> = {
      name: "x",
      batch: 4,
      setup: () => {
        spend(1000);
        return 2;
      },
      run: (ms) => spend(ms),
    };
    expect(timeBatch(c, clock)).toBe(2);
  });

  it("gives each run the state its own setup made", () => {
    const { clock } = fakeClock();
    let made = 0;
    const seen: number[] = [];
    timeBatch({ name: "x", batch: 3, setup: () => made++, run: (s) => seen.push(s) }, clock);
    expect(seen).toEqual([0, 1, 2]);
  });

  it("refuses an empty batch", () => {
    const c = { name: "x", batch: 0, setup: () => undefined, run: () => undefined };
    expect(() => timeBatch(c)).toThrow(/batch/);
  });
});

describe("interleave", () => {
  it("runs the sides alternately, the first mover swapping every round, after the warm-up", () => {
    const { clock, spend } = fakeClock();
    const calls: string[] = [];
    const side = (name: string, ms: number) => ({
      name,
      batch: 2,
      setup: () => undefined,
      run: () => {
        calls.push(name);
        spend(ms);
      },
    });
    const r = interleave(side("a", 3), side("b", 2), { rounds: 5, warmup: 1, clock });
    expect(calls).toEqual([
      ..."ab", // warm-up
      ..."aabb",
      ..."bbaa",
      ..."aabb",
      ..."bbaa",
      ..."aabb",
    ]);
    expect(r.firstPerRound).toEqual(["a", "b", "a", "b", "a"]);
    expect(r.aMedianMs).toBe(3);
    expect(r.bMedianMs).toBe(2);
    expect(r.ratio).toBe(1.5);
  });

  it("takes the ratio within each round, so load that changes between rounds leaves it alone", () => {
    const { clock, spend } = fakeClock();
    // The machine gets busier round by round (each batch is a round's two runs): both sides of
    // a round slow down together, as on a shared machine.
    let runs = 0;
    const load = () => 1 + Math.floor(runs++ / 4);
    const side = (name: string, ms: number) => ({
      name,
      batch: 2,
      setup: () => undefined,
      run: () => spend(ms * load()),
    });
    const r = interleave(side("a", 6), side("b", 2), { rounds: 7, warmup: 0, clock });
    expect(r.aPerRound).toEqual([6, 12, 18, 24, 30, 36, 42]);
    expect(r.bPerRound).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(r.ratio).toBe(3);
    expect(r.aMedianMs).toBe(24);
  });

  it("reports the median round of each side, not the mean, so one disturbed round does not move it", () => {
    const { clock, spend } = fakeClock();
    let round = 0;
    const a = {
      name: "a",
      batch: 1,
      setup: () => undefined,
      run: () => spend(round++ === 2 ? 500 : 10),
    };
    const b = { name: "b", batch: 1, setup: () => undefined, run: () => spend(5) };
    const r = interleave(a, b, { rounds: 5, warmup: 0, clock });
    expect(r.aPerRound).toContain(500);
    expect(r.aMedianMs).toBe(10);
    expect(r.ratio).toBe(2);
  });

  it("pairs each round's two times: the ratio is the median of round ratios, not of medians", () => {
    const { clock, spend } = fakeClock();
    const scripted = (name: string, costs: readonly number[]) => {
      let i = 0;
      return { name, batch: 1, setup: () => undefined, run: () => spend(costs[i++]!) };
    };
    const r = interleave(scripted("a", [1, 2, 3, 4, 5]), scripted("b", [5, 1, 2, 3, 4]), {
      rounds: 5,
      warmup: 0,
      clock,
    });
    // Round ratios 0.2, 2, 1.5, 1.33…, 1.25: median 4/3; the medians alone would say 3 ÷ 3 = 1.
    expect(r.aMedianMs / r.bMedianMs).toBe(1);
    expect(r.ratio).toBeCloseTo(4 / 3, 12);
  });

  it("refuses fewer than 5 rounds", () => {
    const c = { name: "x", batch: 1, setup: () => undefined, run: () => undefined };
    expect(() => interleave(c, c, { rounds: 4 })).toThrow(/at least 5/);
    expect(() => interleave(c, c, { rounds: 5.5 })).toThrow(/at least 5/);
  });
});
