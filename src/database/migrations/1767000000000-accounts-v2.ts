import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Accounts v2 (issue #12): profile, avatar, admin controls and tombstones on `users`; sessions
 * findable by account; what a video's renditions take; the table of stored bytes waiting to be removed.
 */
export class AccountsV21767000000000 implements MigrationInterface {
  name = 'AccountsV21767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'bio', type: 'varchar', length: '200', default: "''" }),
      new TableColumn({ name: 'avatar_version', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'disabled', type: 'boolean', default: '0' }),
      new TableColumn({ name: 'storage_quota', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'deleted_at', type: 'datetime', isNullable: true }),
    ]);
    await queryRunner.addColumn('videos', new TableColumn({ name: 'rendition_bytes', type: 'bigint', default: 0 }));
    await queryRunner.addColumn('sessions', new TableColumn({ name: 'user_uid', type: 'bigint', isNullable: true }));
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'IDX_sessions_user_uid', columnNames: ['user_uid'] }));
    await queryRunner.createTable(
      new Table({
        name: 'storage_purges',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'storage_key', type: 'varchar', length: '255' },
          { name: 'prefix', type: 'boolean', default: '0' },
          { name: 'created_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('storage_purges');
    await queryRunner.dropIndex('sessions', 'IDX_sessions_user_uid');
    await queryRunner.dropColumn('sessions', 'user_uid');
    await queryRunner.dropColumn('videos', 'rendition_bytes');
    for (const column of ['deleted_at', 'storage_quota', 'disabled', 'avatar_version', 'bio'])
      await queryRunner.dropColumn('users', column);
  }
}
