/** Rewrites worker/README.md's route table from the contract (see scripts/lib/route-table.ts). */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { allRoutes } from "@lintel/contract";
import { repoRoot } from "./lib/paths.ts";
import { routeTable, withRouteTable } from "./lib/route-table.ts";

const readmePath = path.join(repoRoot, "worker/README.md");
const before = readFileSync(readmePath, "utf8");
const after = withRouteTable(before, routeTable(allRoutes));
if (after === before) {
  console.log("worker/README.md: the route table is up to date");
} else {
  writeFileSync(readmePath, after);
  console.log(`worker/README.md: route table rewritten (${allRoutes.length} routes)`);
}
