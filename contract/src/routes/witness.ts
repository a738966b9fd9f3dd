/**
 * The witness role (C2SP tlog-witness, PROTOCOL.md §10.1): the same worker run with
 * `role = "witness"`, called by the logs it witnesses, server to server. Requests and answers are
 * the spec's text, not JSON, and so are its failures; on any other role the path answers the
 * problem 404 not-found.
 */
import { defineRoute, rawAnswer } from "../route.ts";

const failure = (what: string) => rawAnswer("text/plain", what);

export const witnessRoutes = {
  addCheckpoint: defineRoute({
    id: "witnessAddCheckpoint",
    method: "POST",
    path: "/witness/add-checkpoint",
    summary:
      "A log's new checkpoint with a consistency proof from the size this witness last cosigned; answers the cosignature",
    auth: "public",
    rawBody: rawAnswer(
      "text/plain",
      "A C2SP tlog-witness add-checkpoint request: the old size, the consistency proof lines, a blank line and the signed checkpoint",
    ),
    responses: { 200: rawAnswer("text/plain", "The witness's cosignature line(s)") },
    problems: ["not-found"],
    rawFailures: {
      400: failure("The body is not an add-checkpoint request"),
      403: failure("The checkpoint carries no valid signature by the log's key"),
      404: failure("The checkpoint's origin is not a log this witness knows"),
      409: rawAnswer(
        "text/x.tlog.size",
        "The old size is not the size this witness last cosigned: the body is that size",
      ),
      413: failure("The request is larger than this witness reads"),
      422: failure("The consistency proof does not verify"),
    },
  }),
} as const;
