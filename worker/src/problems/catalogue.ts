/**
 * The catalogue of problem codes lives in the API contract (`@lintel/contract`), which the SDK
 * and the pages read too; the worker names it from here.
 */
export { isProblemCode, type ProblemCode, problemCatalogue } from "@lintel/contract";
