/**
 * For tests: a GET /api/deployment answer as the API contract declares it, every member filled
 * with a harmless default unless given. Fakes of the service build theirs here, so an answer the
 * contract changes is a compile error in every fake, not a silent difference.
 */
import type { citizenRoutes, RouteReply } from "@lintel/contract";

export type DeploymentAnswer = RouteReply<typeof citizenRoutes.deployment, 200>;

export function deploymentAnswer(fields: Partial<DeploymentAnswer> = {}): DeploymentAnswer {
  return {
    id: "demo",
    role: "main",
    name: { en: "Demo", zh: "演示" },
    timezone: "Asia/Shanghai",
    retentionDays: 21,
    slotMinutes: 60,
    logOrigin: "example/log",
    log: { origin: "example/log", verifierKey: null, witnesses: [] },
    officerPolicy: {
      approvalsRequired: 2,
      maxWindowHours: 24,
      maxEntrancesPerQuery: 20,
      maxEntranceHoursPerQuery: 48,
      wideQueryApprovals: 3,
      maxEntranceHoursWide: 480,
      maxQueriesPerCase: 10,
      maxEntranceHoursPerCase: 960,
      draftLifetimeSeconds: 86_400,
    },
    authority: null,
    record: null,
    receipt: { verifierKey: null },
    registry: null,
    trustees: [],
    districts: [{ id: "all", name: { en: "The whole area", zh: "全域" } }],
    officers: [],
    auditors: [],
    ...fields,
  };
}
