/**
 * The route table as one whole: route groups are written apart (one module each) and spread
 * into one table, so two of them could name one operation or one endpoint twice.
 */
import { describe, expect, it } from "vitest";
import { allRoutes } from "./index.ts";

const repeated = (names: readonly string[]) => names.filter((name, i) => names.indexOf(name) !== i);

describe("the route table", () => {
  it("names every operation once (its OpenAPI operationId)", () => {
    expect(repeated(allRoutes.map((r) => r.id))).toEqual([]);
  });

  it("declares every endpoint once", () => {
    expect(repeated(allRoutes.map((r) => `${r.method} ${r.path}`))).toEqual([]);
  });

  it("finds a repeat (the check can fail)", () => {
    expect(repeated(["a", "b", "a"])).toEqual(["a"]);
  });
});
