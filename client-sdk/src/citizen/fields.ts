/** Reading a member of an answer that has not been checked to be an object yet. */
export function objectField(value: unknown, name: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as Record<string, unknown>)[name];
}
