import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** users and sessions, written with the Table API so that one migration serves SQLite and MySQL. */
export class Accounts1764000000000 implements MigrationInterface {
  name = 'Accounts1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'uid', type: 'bigint' },
          { name: 'username', type: 'varchar', length: '20' },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'created_at', type: 'datetime' },
        ],
        indices: [
          { name: 'UQ_users_uid', columnNames: ['uid'], isUnique: true },
          { name: 'UQ_users_email', columnNames: ['email'], isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'sid', type: 'varchar', length: '128', isPrimary: true },
          { name: 'expires_at', type: 'bigint' },
          { name: 'data', type: 'text' },
        ],
        indices: [{ name: 'IDX_sessions_expires_at', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
