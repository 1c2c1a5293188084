import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The videos table, with the Table API so that one migration serves SQLite and MySQL. */
export class Videos1764100000000 implements MigrationInterface {
  name = 'Videos1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'videos',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '32' },
          { name: 'uid', type: 'bigint' },
          { name: 'title', type: 'varchar', length: '80' },
          { name: 'description', type: 'text' },
          { name: 'size', type: 'bigint' },
          { name: 'mime', type: 'varchar', length: '64' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'duration', type: 'double', isNullable: true },
          { name: 'width', type: 'integer', isNullable: true },
          { name: 'height', type: 'integer', isNullable: true },
          { name: 'codec', type: 'varchar', length: '32', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'failure', type: 'varchar', length: '255', isNullable: true },
          { name: 'storage_key', type: 'varchar', length: '128' },
          { name: 'cover_key', type: 'varchar', length: '128', isNullable: true },
          { name: 'created_at', type: 'datetime' },
        ],
        indices: [
          { name: 'UQ_videos_id', columnNames: ['id'], isUnique: true },
          { name: 'IDX_videos_uid_seq', columnNames: ['uid', 'seq'] },
          { name: 'IDX_videos_status', columnNames: ['status'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('videos');
  }
}
