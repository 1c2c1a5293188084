import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Who may see a video (issue #13): existing videos stay public, as they were. */
export class Visibility1768000000000 implements MigrationInterface {
  name = 'Visibility1768000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('videos', new TableColumn({ name: 'visibility', type: 'varchar', length: '16', default: "'public'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('videos', 'visibility');
  }
}
