/**
 * SQL text for `wrangler d1 execute --file`: rows written as INSERT OR IGNORE, so that running a
 * file again changes nothing that exists. Values are quoted here, never interpolated raw.
 */

export function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function insertOrIgnore(
  table: string,
  row: Readonly<Record<string, string | number | Uint8Array | null>>,
): string {
  const columns = Object.keys(row);
  const values = Object.values(row).map((v) =>
    v === null
      ? "NULL"
      : typeof v === "number"
        ? String(v)
        : v instanceof Uint8Array
          ? `X'${Buffer.from(v).toString("hex")}'`
          : quote(v),
  );
  return `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${values.join(", ")});`;
}
