import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** View counts (issue #13): a column the flush adds to, and the index a space sorted by views walks. */
export class Views1769000000000 implements MigrationInterface {
  name = 'Views1769000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('videos', new TableColumn({ name: 'views', type: 'integer', default: 0 }));
    await queryRunner.createIndex('videos', new TableIndex({ name: 'IDX_videos_uid_views_seq', columnNames: ['uid', 'views', 'seq'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('videos', 'IDX_videos_uid_views_seq');
    await queryRunner.dropColumn('videos', 'views');
  }
}
