import { searchKey, titleGrams } from '../common/search-text.js';
import type { Statement } from './prepared-statements.js';

/** What `video_title_grams` keeps of one video (see migration TitleGrams1772000000000). */
export interface GrammedVideo {
  seq: number;
  uid: number;
  visibility: string;
  title: string;
}

type Query = (sql: string, parameters: unknown[]) => Promise<unknown>;

/** Rows per INSERT: four parameters each, far below either database's limit. */
const ROWS_PER_INSERT = 500;

/**
 * Writes the grams of these videos' titles. `ignore`: rows already there stay (the backfill, while
 * a running instance may write the same video's).
 */
export async function writeTitleGrams(
  query: Query,
  videos: GrammedVideo[],
  { sqlite, ignore = false }: { sqlite: boolean; ignore?: boolean },
) {
  const rows = videos.flatMap((video) => titleGrams(searchKey(video.title)).map((gram) => [video.uid, gram, video.visibility, video.seq]));
  const verb = !ignore ? 'INSERT' : sqlite ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await query(
      `${verb} INTO video_title_grams (uid, gram, visibility, seq) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      chunk.flat(),
    );
  }
}

/**
 * The statement that writes the grams of `title` for the video `id`, its uid, visibility and seq
 * read from its row in the same statement (nothing when there is no such row); none for a title
 * without grams.
 */
export function titleGramsOf(id: string, title: string): Statement[] {
  // Ascending, as a delete by seq walks them: two writers of shared grams' counts lock them in one order.
  const grams = titleGrams(searchKey(title)).sort((x, y) => x - y);
  if (!grams.length) return [];
  return [
    [
      'INSERT INTO video_title_grams (uid, gram, visibility, seq) SELECT v.uid, g.gram, v.visibility, v.seq FROM videos v ' +
        `CROSS JOIN (${grams.map(() => 'SELECT ? AS gram').join(' UNION ALL ')}) g WHERE v.id = ?`,
      [...grams, id],
    ],
  ];
}
