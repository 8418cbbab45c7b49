/**
 * `$1, $2, ..., $count`: the parameter list of an insert of `count` columns, so the SQL and the values arrays
 * of the row modules (shared with SQLite, whose statements use `?`) stay in step.
 *
 * @example
 *   `INSERT INTO accounts (id, created_at) VALUES (${placeholders(2)})` // → VALUES ($1, $2)
 */
export function placeholders(count: number): string {
  return Array.from({ length: count }, (_, index) => `$${index + 1}`).join(', ');
}
