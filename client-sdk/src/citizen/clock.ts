/**
 * The service's clock as this device sees it. Slots are the service's hours: a phone whose clock
 * runs a few minutes fast encrypts for the next hour just after the boundary, and the service
 * refuses it ("bad-slots"). So the SDK learns the offset from the service's own times — the
 * signed `storedAt` of every receipt and the `serviceTime` of a bad-slots problem — and uses
 * `now()` wherever it would use the device's clock for a slot. Differences under two seconds are
 * ignored (both times are whole seconds).
 */

export interface ServiceClock {
  /** The service's time as best known: the device's clock corrected by the last offset seen. */
  now(): Date;
  /** A time (Unix seconds) the service just reported. */
  observe(serviceSeconds: number): void;
  /** The correction in milliseconds (service − device); 0 until the service said otherwise. */
  offsetMs(): number;
}

const IGNORED_MS = 2000;

export function serviceClock(deviceNow: () => number = () => Date.now()): ServiceClock {
  let offset = 0;
  return {
    now: () => new Date(deviceNow() + offset),
    observe(serviceSeconds) {
      if (!Number.isSafeInteger(serviceSeconds) || serviceSeconds < 0) return;
      // The service's second started somewhere in the last 1000 ms: take its middle.
      const seen = serviceSeconds * 1000 + 500 - deviceNow();
      offset = Math.abs(seen) < IGNORED_MS ? 0 : seen;
    },
    offsetMs: () => offset,
  };
}

/** The clock every call uses unless given another. */
export const defaultServiceClock: ServiceClock = serviceClock();
