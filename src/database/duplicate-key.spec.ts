import { QueryFailedError } from 'typeorm';
import { violatedUnique } from './duplicate-key.js';

const failure = (code: string, message: string) => new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { code }));

describe('violatedUnique', () => {
  it.each([
    ['MySQL/MariaDB, by index name', failure('ER_DUP_ENTRY', "Duplicate entry 'a@b.c' for key 'UQ_users_email'"), 'email'],
    ['SQLite, by column', failure('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: users.uid'), 'uid'],
  ])('names the column of a unique violation (%s)', (_name, error, column) => {
    expect(violatedUnique(error, 'users', ['email', 'uid'])).toBe(column);
  });

  it.each([
    ['another table', failure('ER_DUP_ENTRY', "Duplicate entry 'x' for key 'UQ_videos_id'")],
    ['another constraint', failure('SQLITE_CONSTRAINT_NOTNULL', 'NOT NULL constraint failed: users.email')],
    ['a plain error', new Error('UQ_users_email')],
    ['nothing', undefined],
  ])('is null for %s', (_name, error) => {
    expect(violatedUnique(error, 'users', ['email', 'uid'])).toBeNull();
  });
});
