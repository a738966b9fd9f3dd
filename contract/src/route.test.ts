/**
 * The route-table format's own rules: raw content of one or several media types, and the
 * problems a route with a raw body may answer.
 */
import { describe, expect, it } from "vitest";
import { defineRoute, mediaTypesOf, problemsOf, rawAnswer } from "./route.ts";

describe("raw content", () => {
  it("keeps one media type as before, and names every one of several", () => {
    const one = rawAnswer("text/plain", "a note");
    expect(one).toEqual({ mediaType: "text/plain", description: "a note" });
    expect(mediaTypesOf(one)).toEqual(["text/plain"]);
    const several = rawAnswer(["image/png", "image/jpeg"], "a picture");
    expect(several.mediaType).toBe("image/png");
    expect(mediaTypesOf(several)).toEqual(["image/png", "image/jpeg"]);
  });

  it("gives a route with a raw body the body-size problem, and no JSON-body problems", () => {
    const route = defineRoute({
      id: "testUpload",
      method: "PUT",
      path: "/things/:id",
      summary: "test",
      auth: "public",
      rawBody: rawAnswer(["image/png"], "a picture"),
      responses: { 204: null },
      problems: [],
    });
    const problems = problemsOf(route);
    expect(problems.has("payload-too-large")).toBe(true);
    expect(problems.has("malformed-json")).toBe(false);
    const { rawBody: _, ...withoutRawBody } = route;
    expect(problemsOf(withoutRawBody).has("payload-too-large")).toBe(false);
  });
});
