/**
 * The OpenAPI 3.1 document of the routes, made from their zod schemas with zod's own JSON
 * Schema output (draft 2020-12, the dialect OpenAPI 3.1 uses): requests as callers write them,
 * answers as the service writes them. Served at GET /api/openapi.json.
 */
import * as z from "zod";
import { PROBLEM_MEDIA_TYPE, problemDocumentSchema } from "./problem.ts";
import { type ProblemCode, problemCatalogue } from "./problems.ts";
import {
  isRawAnswer,
  mediaTypesOf,
  problemsOf,
  type RawAnswer,
  type RouteContract,
} from "./route.ts";

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Each schema is inlined whole, so the $schema member of a standalone document is dropped.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

/** OpenAPI's path template: "/api/entrances/{id}/code"; a final "*" is the parameter {path}. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, "{$1}").replace(/\/\*$/, "/{path}");
}

function parametersOf(route: RouteContract): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const object = schemaOf(schema, "input") as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === "path" || (object.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  // A placeholder the route does not describe is still a parameter: any text.
  for (const name of route.path.match(/(?<=:)[A-Za-z][A-Za-z0-9]*/g) ?? []) {
    if (!out.some((p) => p.name === name && p.in === "path")) {
      out.push({ name, in: "path", required: true, schema: { type: "string" } });
    }
  }
  if (route.path.endsWith("/*")) {
    out.push({
      name: "path",
      in: "path",
      required: true,
      description: "The rest of the path, slashes included (a C2SP tlog-tiles path).",
      schema: { type: "string" },
    });
  }
  return out;
}

function problemResponses(route: RouteContract): Record<string, JsonSchema> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemsOf(route)) {
    const { status } = problemCatalogue[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        String(status),
        {
          description: `Problem: ${codes.join(", ")}`,
          content: {
            [PROBLEM_MEDIA_TYPE]: {
              schema: {
                allOf: [
                  { $ref: "#/components/schemas/Problem" },
                  { properties: { code: { enum: codes } } },
                ],
              },
            },
          },
        },
      ]),
  );
}

/** Raw content: each of its media types, as bytes. */
function rawContent(raw: RawAnswer): JsonSchema {
  return Object.fromEntries(
    mediaTypesOf(raw).map((type) => [type, { schema: { type: "string" } }]),
  );
}

function requestBodyOf(route: RouteContract): JsonSchema | undefined {
  if (route.body) {
    return {
      required: true,
      content: { "application/json": { schema: schemaOf(route.body, "input") } },
    };
  }
  if (route.rawBody) {
    return {
      required: true,
      description: route.rawBody.description,
      content: rawContent(route.rawBody),
    };
  }
  return undefined;
}

function operationOf(route: RouteContract): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] =
      schema === null || schema === undefined
        ? { description: "No content" }
        : isRawAnswer(schema)
          ? { description: schema.description, content: rawContent(schema) }
          : {
              description: "Success",
              content: { "application/json": { schema: schemaOf(schema, "output") } },
            };
  }
  Object.assign(responses, problemResponses(route));
  for (const [status, raw] of Object.entries(route.rawFailures ?? {})) {
    // A status may also answer problems (a 404 from the service itself): both documents, then.
    const problems = responses[status] as
      | { description: string; content: Record<string, unknown> }
      | undefined;
    responses[status] = {
      description: problems ? `${raw.description}; or ${problems.description}` : raw.description,
      content: { ...problems?.content, ...rawContent(raw) },
    };
  }
  const parameters = parametersOf(route);
  const requestBody = requestBodyOf(route);
  return {
    operationId: route.id,
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.auth === "signed" ? { security: [{ LintelStatement: [] }] } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: Record<string, unknown>;
  readonly paths: Record<string, Record<string, JsonSchema>>;
  readonly components: JsonSchema;
  readonly [member: string]: unknown;
}

/** The OpenAPI 3.1 document of `routes`. */
export function openApiDocument(
  routes: readonly RouteContract[],
  info: OpenApiInfo,
): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: "3.1.1",
    info: {
      ...info,
      description:
        "Every error is an RFC 9457 problem document with a stable `code`; GET /problems lists them.",
    },
    paths,
    components: {
      schemas: { Problem: schemaOf(problemDocumentSchema, "output") },
      securitySchemes: {
        LintelStatement: {
          type: "apiKey",
          in: "header",
          name: "Lintel-Statement",
          description: "A request statement signed by an enrolled device key (PROTOCOL.md §6.1).",
        },
      },
    },
  };
}
