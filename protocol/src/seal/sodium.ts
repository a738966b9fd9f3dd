/**
 * The one place that loads libsodium-wrappers (its WebAssembly does not load in workerd, and the
 * worker never needs it). libsodium-wrappers ships its own type declarations.
 *
 * libsodium's functions exist only after its WebAssembly has been instantiated, so callers must
 * `await ready()` once before using anything in `@lintel/protocol/seal`. The functions then run
 * synchronously; calling one before `ready()` has resolved throws an Error (a programming error,
 * not a ProtocolError) instead of failing in a way that could look like bad input.
 */
import sodium from "libsodium-wrappers";

let loaded = false;

/** Loads libsodium. Idempotent; await it once before calling anything else in this entry point. */
export async function ready(): Promise<void> {
  await sodium.ready;
  loaded = true;
}

/** libsodium, after {@link ready}. */
export function lib(): typeof sodium {
  if (!loaded) throw new Error("@lintel/protocol/seal: await ready() before using it");
  return sodium;
}
