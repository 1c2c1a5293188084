import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `canonicalEmail` (account.rules.ts) as it is when this migration is written: a migration never changes. */
const canonical = (email: string) => email.normalize('NFC').toLowerCase().normalize('NFC');

const isMysql = (queryRunner: QueryRunner) => ['mysql', 'mariadb'].includes(queryRunner.connection.driver.options.type);

/**
 * Emails compare as written (issue #11): every stored email in its canonical form (NFC, lower
 * case: `canonicalEmail`), and on MariaDB/MySQL the column compares bytes (`utf8mb4_bin`) instead
 * of the accent- and case-insensitive default, under which `victim@exämple.com` held the place of
 * `victim@example.com`. SQLite compares bytes already (BINARY); only the rows change there.
 */
export class EmailCanonical1766000000000 implements MigrationInterface {
  name = 'EmailCanonical1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = isMysql(queryRunner);
    // Bytes first, so that rows the old collation called equal stay two rows while we rewrite them.
    if (mysql)
      await queryRunner.query('ALTER TABLE `users` MODIFY `email` varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    const rows = (await queryRunner.query('SELECT id, email FROM users ORDER BY id')) as { id: number | string; email: string }[];
    const taken = new Set(rows.map((row) => row.email));
    for (const { id, email } of rows) {
      const wanted = canonical(email);
      if (wanted === email) continue;
      if (taken.has(wanted)) {
        // Another account holds that spelling: this one keeps its own (login by uid still works).
        const message = `users.id ${String(id)}: email left as stored, its canonical form belongs to another account`;
        queryRunner.connection.logger.log('warn', message, queryRunner);
        continue;
      }
      await queryRunner.query('UPDATE users SET email = ? WHERE id = ?', [wanted, id]);
      taken.delete(email);
      taken.add(wanted);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to the database's default collation (rows stay canonical: the old code lower-cased too).
    // It fails while two accounts differ only by accents or case: settle those first.
    if (isMysql(queryRunner)) await queryRunner.query('ALTER TABLE `users` MODIFY `email` varchar(254) NOT NULL');
  }
}
