import { QueryFailedError, type DataSource } from 'typeorm';
import { inTransaction } from './transaction.js';

const failure = (code: string) => new QueryFailedError('UPDATE …', [], Object.assign(new Error(code), { code }));

/** A MariaDB DataSource whose transactions fail with `errors`, one per attempt, then run the work. */
function mariadb(errors: Error[]) {
  const attempts: number[] = [];
  const dataSource = {
    options: { type: 'mysql' },
    transaction: async (work: (manager: unknown) => Promise<unknown>) => {
      attempts.push(attempts.length + 1);
      const error = errors.shift();
      if (error) throw error;
      return work({});
    },
  } as unknown as DataSource;
  return { dataSource, attempts };
}

describe('inTransaction on MariaDB', () => {
  it('runs a deadlock’s victim again', async () => {
    const { dataSource, attempts } = mariadb([failure('ER_LOCK_DEADLOCK'), failure('ER_LOCK_DEADLOCK')]);
    await expect(inTransaction(dataSource, () => Promise.resolve('done'))).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after four deadlocks, and at once on any other error', async () => {
    const stuck = mariadb(Array.from({ length: 9 }, () => failure('ER_LOCK_DEADLOCK')));
    await expect(inTransaction(stuck.dataSource, () => Promise.resolve('done'))).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(stuck.attempts).toHaveLength(4);
    const duplicate = mariadb([failure('ER_DUP_ENTRY')]);
    await expect(inTransaction(duplicate.dataSource, () => Promise.resolve('done'))).rejects.toThrow('ER_DUP_ENTRY');
    expect(duplicate.attempts).toHaveLength(1);
  });
});
