import { setTimeout as sleep } from 'node:timers/promises';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

const lastOf = new WeakMap<DataSource, Promise<unknown>>();

/** MariaDB gives up a transaction that waits on another waiting on it; run again, it goes through. */
const ATTEMPTS = 4;

/**
 * `work` in one transaction. SQLite has one connection per process, so its transactions take turns
 * here: a second one started while the first waits for a statement would begin inside it, which
 * SQLite refuses. MariaDB gives each transaction a pooled connection of its own, and runs `work`
 * again when InnoDB rolled it back as a deadlock's victim (writes to neighbouring index entries,
 * such as two titles' grams, can lock each other's gaps); `work` must therefore only touch the
 * database.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') return retried(dataSource, work);
  const turn = (lastOf.get(dataSource) ?? Promise.resolve()).then(() => dataSource.transaction(work));
  lastOf.set(
    dataSource,
    turn.catch(() => undefined),
  );
  return turn;
}

async function retried<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt === ATTEMPTS || !isDeadlock(error)) throw error;
      // Apart, so that the two do not meet again at once.
      await sleep(Math.random() * 20 * attempt);
    }
  }
}

function isDeadlock(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === 'ER_LOCK_DEADLOCK';
}
