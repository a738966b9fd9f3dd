/**
 * Progress for long steps, on standard error only, with counts and an estimate of the time left.
 * Lines, not a redrawn bar: they stay readable in logs and under `2>file`. Throttled — the first
 * line of a step, then at most one per interval, and its last count always — so a step of ten
 * thousand items prints a handful of lines however fast or slow the machine is. A step whose
 * work comes in large pieces (combining keys runs one job per thread) says it is still running
 * when nothing else was printed for a while, so a long step never looks hung.
 */
import type { TextSink } from "./io.ts";

export interface ProgressOptions {
  readonly sink: TextSink;
  readonly enabled: boolean;
  /** Milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** Least time between two counts of one step. */
  readonly intervalMs?: number;
  /** After this long without a line, an unfinished step says it is still running. */
  readonly heartbeatMs?: number;
  /** Calls `tick` every `ms` until the returned function is called; injectable for tests. */
  readonly every?: (ms: number, tick: () => void) => () => void;
}

export interface ProgressReporter {
  /** A step without counts (one line). */
  step(label: string): void;
  /** `done` of `of` items of a step; `unit` names them ("ciphertexts"). */
  count(label: string, done: number, of: number, unit: string): void;
  /**
   * A count whose caller knows the time left (the SDK's decryption progress): `total` may be
   * unknown for a while ("?"), and the estimate is the caller's, not this reporter's.
   */
  estimate(
    label: string,
    progress: {
      readonly done: number;
      readonly total?: number;
      readonly elapsedMs: number;
      readonly etaMs?: number;
    },
    unit: string,
  ): void;
  /** Stops the heartbeat; call when the command ends. */
  close(): void;
}

/** "45 s", "3 min 05 s", "1 h 02 min". */
export function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** A timer that does not keep the process alive. */
function unrefInterval(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

interface Step {
  readonly label: string;
  readonly started: number;
  printed: number;
  last: string;
  finished: boolean;
}

export function progressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 1000;
  const heartbeat = options.heartbeatMs ?? 5000;
  let current: Step | undefined;
  /** When the last announced step began: the counts that follow it are its work. */
  let announced: number | undefined;
  let lastWrite = 0;
  let stop: (() => void) | undefined;

  const beat = () => {
    const t = now();
    if (!current || current.finished || t - lastWrite < heartbeat) return;
    write(`${current.label}: still working, ${duration(t - current.started)} so far`);
  };
  const write = (line: string) => {
    if (!options.enabled) return;
    // Checked every second (at most), so a quiet spell is reported soon after it reaches
    // `heartbeat`, not up to twice that.
    stop ??= (options.every ?? unrefInterval)(Math.min(1000, heartbeat), beat);
    lastWrite = now();
    options.sink.write(`${line}\n`);
  };
  const begin = (label: string): Step => {
    if (current?.label !== label) {
      const started = announced ?? now();
      current = { label, started, printed: -Infinity, last: "", finished: false };
      announced = undefined;
    }
    return current;
  };

  /** One count's line, throttled; `of` undefined: the total is not known yet. */
  const show = (
    s: Step,
    done: number,
    of: number | undefined,
    unit: string,
    elapsed: number,
    etaMs: number | undefined,
  ) => {
    const t = now();
    const final = of !== undefined && done >= of;
    s.finished = final;
    if (!final && t - s.printed < interval) return;
    const share = of === undefined ? "" : ` (${of > 0 ? Math.floor((done / of) * 100) : 100}%)`;
    const eta = final
      ? `, took ${duration(elapsed)}`
      : etaMs !== undefined
        ? `, about ${duration(etaMs)} left`
        : "";
    const line = `${s.label}: ${done}/${of ?? "?"} ${unit}${share}${eta}`;
    if (line === s.last) return;
    s.printed = t;
    s.last = line;
    write(line);
  };

  return {
    step(label) {
      if (current?.label === label) return;
      const t = now();
      current = { label, started: t, printed: t, last: label, finished: false };
      announced = t;
      write(`${label}…`);
    },
    count(label, done, of, unit) {
      const s = begin(label);
      const elapsed = now() - s.started;
      show(
        s,
        done,
        of,
        unit,
        elapsed,
        done > 0 && elapsed > 0 ? (elapsed / done) * (of - done) : undefined,
      );
    },
    estimate(label, p, unit) {
      show(begin(label), p.done, p.total, unit, p.elapsedMs, p.etaMs);
    },
    close() {
      stop?.();
      stop = undefined;
    },
  };
}
