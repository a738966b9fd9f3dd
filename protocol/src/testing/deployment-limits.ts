/** Test helper: the deployment limits the protocol's log tests use (a deployment entry's body). */
export const TEST_LIMITS = {
  retentionDays: 21,
  approvalsRequired: 2,
  maxWindowHours: 48,
  maxEntrancesPerQuery: 20,
  maxEntranceHoursPerQuery: 48,
  wideQueryApprovals: 3,
  maxEntranceHoursWide: 96,
  maxEntranceHoursPerCase: 120,
  maxQueriesPerCase: 3,
  draftLifetimeSeconds: 86_400,
} as const;
