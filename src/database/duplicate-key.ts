import { QueryFailedError } from 'typeorm';

/**
 * When `error` is a unique-index violation, the index's column name (as given in `columns`);
 * else null. MySQL names the index (`UQ_users_email`), SQLite the column (`users.email`).
 */
export function violatedUnique<C extends string>(error: unknown, table: string, columns: readonly C[]): C | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; message?: string } | undefined;
  const code = driverError?.code ?? '';
  if (code !== 'ER_DUP_ENTRY' && code !== 'SQLITE_CONSTRAINT_UNIQUE') return null;
  const message = driverError?.message ?? '';
  return columns.find((column) => message.includes(`UQ_${table}_${column}`) || message.includes(`${table}.${column}`)) ?? null;
}
