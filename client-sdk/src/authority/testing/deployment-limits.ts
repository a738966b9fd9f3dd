/**
 * The deployment limits of the test logs and fixtures: looser than the demo's (48 entrance-hours
 * with two officers, eight queries per case), so that a test's several queries fit one deployment.
 */
import type { DeploymentLimits } from "@lintel/protocol";

export const TEST_DEPLOYMENT_LIMITS: DeploymentLimits = {
  retentionDays: 21,
  approvalsRequired: 2,
  maxWindowHours: 48,
  maxEntrancesPerQuery: 20,
  maxEntranceHoursPerQuery: 48,
  wideQueryApprovals: 3,
  maxEntranceHoursWide: 96,
  maxEntranceHoursPerCase: 192,
  maxQueriesPerCase: 8,
  draftLifetimeSeconds: 86_400,
};
