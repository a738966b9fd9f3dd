/**
 * Inspections and the compliance view: photos are sealed at rest and kept to four; an inspection
 * day is a real day; the compliance view counts only orders past their deadline.
 */
import type { Mutation } from "./types.ts";

const WORKER_TESTS = ["tests/worker/inspections.test.ts"];

export const mutations: readonly Mutation[] = [
  {
    id: "inspection-photo-stored-plain",
    breaks: "An inspection photo (faces, licence plates) lies in R2 as it was taken.",
    guards: ["photos as documents, sealed at rest"],
    file: "worker/src/venues/inspection-store.ts",
    find: "    await env.DOCUMENTS.put(objectKey, sealed);",
    replace: "    await env.DOCUMENTS.put(objectKey, photo.bytes);",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "sealed at rest",
  },
  {
    id: "inspection-photos-unbounded",
    breaks:
      "An inspection takes a fifth photo, and more: one bucket filled through one inspection.",
    guards: ["photos as documents, bounded"],
    file: "worker/src/venues/inspection-store.ts",
    find: "          WHERE (SELECT COUNT(*) FROM inspection_photos WHERE inspection_id = ?1) < ?6`,",
    replace: "          WHERE ?6 > 0`,",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "sealed at rest|at once",
  },
  {
    id: "compliance-overdue-ignores-deadline",
    breaks: "Every unanswered order counts as overdue, however far its deadline.",
    guards: ["overdue rectifications on the compliance view"],
    file: "worker/src/venues/compliance-store.ts",
    find: "AND o.deadline < ?2",
    replace: "AND o.deadline > 0",
    project: "worker",
    tests: WORKER_TESTS,
    testNamePattern: "compliance view",
  },
];
