/**
 * The OpenAPI document made from the contract is valid OpenAPI 3.1 by a well-kept validator
 * (@apidevtools/swagger-parser, which checks it against the OpenAPI 3.1 schema and resolves
 * every $ref), and it names every route of the contract with its inputs and answers.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { openApiDocument, openApiPath } from "./openapi.ts";
import { allRoutes } from "./routes/index.ts";

const document = () => openApiDocument(allRoutes, { title: "Lintel", version: "1" });

type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
};

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const doc = document();
    expect(doc.openapi).toMatch(/^3\.1\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  }, 60_000);

  it("is refused by the validator when broken (the check can fail)", async () => {
    const { info: _, ...withoutInfo } = document();
    await expect(SwaggerParser.validate(withoutInfo as never)).rejects.toThrow();
  }, 60_000);

  it("has every route with its parameters, body, answers and problems", () => {
    const paths = document().paths as Record<string, Record<string, Operation>>;
    for (const route of allRoutes) {
      const op = paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(op?.operationId, route.id).toBe(route.id);
      if (!op) continue;
      for (const name of route.path.match(/(?<=:)[A-Za-z0-9]+/g) ?? []) {
        expect(op.parameters, route.id).toContainEqual(
          expect.objectContaining({ name, in: "path" }),
        );
      }
      expect(op.requestBody !== undefined, route.id).toBe(
        route.body !== undefined || route.rawBody !== undefined,
      );
      for (const status of [
        ...Object.keys(route.responses),
        ...Object.keys(route.rawFailures ?? {}),
      ])
        expect(op.responses).toHaveProperty(status);
      for (const code of route.problems) {
        expect(JSON.stringify(op.responses), `${route.id} ${code}`).toContain(`"${code}"`);
      }
    }
  });

  it("describes a text request and the failures its protocol answers in text", () => {
    const paths = document().paths as Record<string, Record<string, Operation>>;
    const op = paths["/witness/add-checkpoint"]?.post;
    expect(Object.keys(op?.requestBody?.content ?? {})).toEqual(["text/plain"]);
    expect(Object.keys(op?.responses["200"]?.content ?? {})).toEqual(["text/plain"]);
    expect(Object.keys(op?.responses["409"]?.content ?? {})).toEqual(["text/x.tlog.size"]);
    // 404 is the spec's text for an unknown log, or the service's problem on another role.
    expect(Object.keys(op?.responses["404"]?.content ?? {}).sort()).toEqual([
      "application/problem+json",
      "text/plain",
    ]);
  });

  it("describes an upload and an answer that may each be one of several media types", () => {
    const paths = document().paths as Record<string, Record<string, Operation>>;
    const documentPath = paths["/api/applications/{id}/documents/{kind}"];
    const types = ["application/pdf", "image/png", "image/jpeg"];
    expect(Object.keys(documentPath?.put?.requestBody?.content ?? {})).toEqual(types);
    expect(Object.keys(documentPath?.get?.responses["200"]?.content ?? {})).toEqual(types);
    // A one-type answer is described as before.
    expect(Object.keys(paths["/log/checkpoint"]?.get?.responses["200"]?.content ?? {})).toEqual([
      "text/plain",
    ]);
  });

  it("describes a check-in's ciphertexts as the JSON text callers send", () => {
    const paths = document().paths as Record<string, Record<string, Operation>>;
    const body = paths["/api/checkins"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(body).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["code", "idempotencyKey", "deletionHash", "slots"]),
      additionalProperties: false,
      properties: { slots: { items: { properties: { ciphertext: { type: "string" } } } } },
    });
  });
});
