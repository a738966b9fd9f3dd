/**
 * The account label a person picks ("Reviewer 3", "Front desk"; not a real name), as the API
 * contract declares it, for routes that read one outside an account route of their own.
 */
export { accountLabel as labelSchema } from "@lintel/contract";
