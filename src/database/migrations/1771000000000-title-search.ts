import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A search's `total` counts the titles of a space that hold every word (`LIKE '%word%'`, which no
 * index can seek). With the titles and visibilities in an index after `uid`, the count reads that
 * index alone instead of every row of the space. `visibility` comes last: as the second column it
 * would tempt a planner with statistics to take this index for a page's equalities and sort the
 * whole space, instead of walking the index its order needs.
 */
export class TitleSearch1771000000000 implements MigrationInterface {
  name = 'TitleSearch1771000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('videos', new TableIndex({ name: 'IDX_videos_uid_title', columnNames: ['uid', 'title', 'visibility'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('videos', 'IDX_videos_uid_title');
  }
}
