import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Processing runs, renditions and visible progress (issue #9). */
export class Renditions1765000000000 implements MigrationInterface {
  name = 'Renditions1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('videos', [
      new TableColumn({ name: 'run', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'rendition_key', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'stage', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'percent', type: 'integer', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['percent', 'stage', 'rendition_key', 'run']) await queryRunner.dropColumn('videos', column);
  }
}
