import { describe, expect, it } from "vitest";
import { duration, progressReporter } from "./progress.ts";

function collector() {
  const lines: string[] = [];
  return {
    lines,
    sink: { write: (text: string) => lines.push(...text.split("\n").filter(Boolean)) },
  };
}

describe("progress on standard error", () => {
  it("prints a step's first count, then at most one a second, then its last, with an estimate", () => {
    const { lines, sink } = collector();
    let now = 0;
    const p = progressReporter({ sink, enabled: true, now: () => now });
    p.step("asking 2 trustees and the log to release keys");
    for (let done = 0; done <= 4800; done += 100) {
      now = done * 10; // 100 ciphertexts per second
      p.count("decrypting", done, 4800, "ciphertexts");
    }
    expect(lines[0]).toBe("asking 2 trustees and the log to release keys…");
    expect(lines[1]).toBe("decrypting: 0/4800 ciphertexts (0%)");
    // 48 s of work, one line a second at most: never one per job.
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThanOrEqual(2 + 48 + 1);
    expect(lines).toContain("decrypting: 1200/4800 ciphertexts (25%), about 36 s left");
    expect(lines.at(-1)).toBe("decrypting: 4800/4800 ciphertexts (100%), took 48 s");
  });

  it("shows the caller's own estimate, with the total unknown until it is known", () => {
    const { lines, sink } = collector();
    let now = 0;
    const p = progressReporter({ sink, enabled: true, now: () => now });
    const report = (done: number, total: number | undefined, etaMs?: number) => {
      now = done * 10;
      p.estimate(
        "decrypting",
        {
          done,
          ...(total !== undefined ? { total } : {}),
          elapsedMs: now,
          ...(etaMs !== undefined ? { etaMs } : {}),
        },
        "ciphertexts",
      );
    };
    report(0, undefined);
    report(100, undefined, 300_000);
    report(250, undefined, 290_000);
    // Half a second after the last line: throttled.
    report(300, 3000, 27_000);
    report(1800, 3000, 12_000);
    report(3000, 3000, 0);
    expect(lines).toEqual([
      "decrypting: 0/? ciphertexts",
      "decrypting: 100/? ciphertexts, about 5 min 00 s left",
      "decrypting: 250/? ciphertexts, about 4 min 50 s left",
      "decrypting: 1800/3000 ciphertexts (60%), about 12 s left",
      "decrypting: 3000/3000 ciphertexts (100%), took 30 s",
    ]);
  });

  it("starts a new step's clock and always shows its first line", () => {
    const { lines, sink } = collector();
    let now = 0;
    const p = progressReporter({ sink, enabled: true, now: () => now });
    p.count("releases", 1, 3, "holders answered");
    now = 10;
    p.count("releases", 2, 3, "holders answered");
    now = 20;
    p.count("releases", 3, 3, "holders answered");
    p.count("combining keys", 4, 48, "entrance-hours");
    expect(lines).toEqual([
      "releases: 1/3 holders answered (33%)",
      "releases: 3/3 holders answered (100%), took 1 s",
      "combining keys: 4/48 entrance-hours (8%)",
    ]);
  });

  it("times counts from the step announced before them", () => {
    const { lines, sink } = collector();
    let now = 1000;
    const p = progressReporter({ sink, enabled: true, now: () => now });
    p.step("verifying and combining the partial keys");
    now = 11_000;
    p.count("combining keys", 24, 48, "entrance-hours");
    now = 21_000;
    p.count("combining keys", 48, 48, "entrance-hours");
    now = 22_000;
    p.count("fetching ciphertexts", 0, 48, "entrance-hours");
    now = 24_000;
    p.count("fetching ciphertexts", 48, 48, "entrance-hours");
    expect(lines).toEqual([
      "verifying and combining the partial keys…",
      "combining keys: 24/48 entrance-hours (50%), about 10 s left",
      "combining keys: 48/48 entrance-hours (100%), took 20 s",
      "fetching ciphertexts: 0/48 entrance-hours (0%)",
      "fetching ciphertexts: 48/48 entrance-hours (100%), took 2 s",
    ]);
  });

  it("says a step without counts is still running when nothing was printed for a while", () => {
    const { lines, sink } = collector();
    let now = 0;
    let tick = () => {};
    let stopped = false;
    const p = progressReporter({
      sink,
      enabled: true,
      now: () => now,
      heartbeatMs: 5000,
      every: (ms, fn) => {
        expect(ms).toBe(1000);
        tick = fn;
        return () => {
          stopped = true;
        };
      },
    });
    p.step("verifying and combining the partial keys");
    now = 4000;
    tick(); // not yet five seconds without a line
    now = 6000;
    tick();
    now = 9000;
    tick(); // three seconds since the last line
    now = 12_000;
    p.count("combining keys", 24, 48, "entrance-hours");
    now = 17_500;
    tick();
    p.count("combining keys", 48, 48, "entrance-hours");
    now = 30_000;
    tick(); // the step finished: nothing to say
    p.close();
    expect(stopped).toBe(true);
    expect(lines).toEqual([
      "verifying and combining the partial keys…",
      "verifying and combining the partial keys: still working, 6 s so far",
      "combining keys: 24/48 entrance-hours (50%), about 12 s left",
      "combining keys: still working, 18 s so far",
      "combining keys: 48/48 entrance-hours (100%), took 18 s",
    ]);
  });

  it("prints nothing when not enabled", () => {
    const { lines, sink } = collector();
    const p = progressReporter({ sink, enabled: false });
    p.step("auditing the log");
    p.count("auditing the log", 1, 1, "entry bundles");
    expect(lines).toEqual([]);
  });

  it("writes durations people read", () => {
    expect(duration(400)).toBe("1 s");
    expect(duration(59_000)).toBe("59 s");
    expect(duration(185_000)).toBe("3 min 05 s");
    expect(duration(3_720_000)).toBe("1 h 02 min");
  });
});
