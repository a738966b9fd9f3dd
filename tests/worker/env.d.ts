import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../../worker/src/env.ts";

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("../../worker/src/entry/main.ts");
      durableNamespaces: "LogWriter";
    }
    interface Env extends WorkerEnv {
      readonly TEST_MIGRATIONS: D1Migration[];
    }
  }
}
