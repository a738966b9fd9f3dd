/**
 * Hono's error and not-found hooks, turning every failure into problem details. Unknown errors
 * become a bare `internal` problem: their messages may contain anything, so they are logged by
 * name only and never sent to the client.
 */
import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { DeploymentConfigError } from "../config/deployment.ts";
import type { AppBindings } from "../env.ts";
import { ProblemError, problemResponse } from "./problem.ts";

export const onError: ErrorHandler<AppBindings> = (err) => {
  if (err instanceof ProblemError) {
    return problemResponse(err.code, err.detail, err.extensions, err.headers);
  }
  if (err instanceof DeploymentConfigError) {
    // The message names settings, not data; operators need it to fix the deployment.
    console.error(err.message);
    return problemResponse("misconfigured", err.message);
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return problemResponse("payload-too-large");
    if (err.status === 405) return problemResponse("method-not-allowed");
    if (err.status === 404) return problemResponse("not-found");
    if (err.status === 415) return problemResponse("unsupported-media-type");
    if (err.status === 400) return problemResponse("malformed-json");
  }
  console.error("unhandled error", err instanceof Error ? err.name : typeof err);
  return problemResponse("internal");
};

export const onNotFound: NotFoundHandler<AppBindings> = () => problemResponse("not-found");
