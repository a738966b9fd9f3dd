/**
 * Progress for long steps, on standard error only, with counts and an estimate of the time left.
 * Lines, not a redrawn bar: they stay readable in logs and under `2>file`. Throttled — the first
 * line of a step, then at most one per interval, and its last count always — so a step of ten
 * thousand items prints a handful of lines however fast or slow the machine is.
 */
import type { TextSink } from "./io.ts";

export interface ProgressOptions {
  readonly sink: TextSink;
  readonly enabled: boolean;
  /** Milliseconds; injectable for tests. */
  readonly now?: () => number;
  readonly intervalMs?: number;
}

export interface ProgressReporter {
  /** A step without counts (one line). */
  step(label: string): void;
  /** `done` of `of` items of a step; `unit` names them ("ciphertexts"). */
  count(label: string, done: number, of: number, unit: string): void;
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
export function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

export function progressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 1000;
  let current: { label: string; started: number; printed: number; last: string } | undefined;
  const write = (line: string) => {
    if (options.enabled) options.sink.write(`${line}\n`);
  };
  const begin = (label: string) => {
    if (current?.label !== label) current = { label, started: now(), printed: -Infinity, last: "" };
    return current;
  };
  return {
    step(label) {
      const s = begin(label);
      if (s.last === label) return;
      s.last = label;
      write(`${label}…`);
    },
    count(label, done, of, unit) {
      const s = begin(label);
      const t = now();
      const final = done >= of;
      if (!final && t - s.printed < interval && s.printed !== -Infinity) return;
      const percent = of > 0 ? Math.floor((done / of) * 100) : 100;
      const elapsed = t - s.started;
      const eta =
        final || done === 0 || elapsed <= 0
          ? final
            ? `, took ${duration(elapsed)}`
            : ""
          : `, about ${duration((elapsed / done) * (of - done))} left`;
      const line = `${label}: ${done}/${of} ${unit} (${percent}%)${eta}`;
      if (line === s.last) return;
      s.printed = t;
      s.last = line;
      write(line);
    },
  };
}
