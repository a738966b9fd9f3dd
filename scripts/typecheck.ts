/**
 * `npm run typecheck` — every TypeScript project of the repository, strict, exactly as `npm test`
 * checks them (the list is `TSCONFIG_FOLDERS` in lib/typecheck.ts).
 */
import { typecheckAll } from "./lib/typecheck.ts";

const failed = typecheckAll();
if (failed.length > 0) console.log(`\ntypecheck: failed in ${failed.join(", ")}`);
process.exit(failed.length === 0 ? 0 : 1);
