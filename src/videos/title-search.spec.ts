import { TitleGrams1772000000000 } from '../database/migrations/1772000000000-title-grams.js';
import { TitleGramCounts1773000000000 } from '../database/migrations/1773000000000-title-gram-counts.js';
import { titleGramsOf } from '../database/title-grams.js';
import { searchKey, titleGrams, wordGrams } from '../common/search-text.js';
import { databaseBefore, useVideoRepository, videoFields } from '../../test/support/database.js';
import { searchWords, type ListCursor } from './video-list.js';
import { VISIBILITIES, type Visibility } from './video.rules.js';

/** Pieces of titles and queries: CJK, Latin with case, accents and full width, marks that matter, compatibility forms. */
const PIECES = [
  '旅',
  '行',
  '海',
  '边',
  '旅行',
  'a',
  'b',
  'ab',
  'ba',
  'A',
  'B',
  'é',
  'É',
  'e',
  'Ｂ',
  'ａ',
  'café',
  'CAFE',
  'か',
  'が',
  '㍻',
  '平成',
  '1',
  '１',
  ' ',
  ' ',
  '  ',
];

/** A small seeded generator, so a failure names the seed that reproduces it. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]) => list[int(list.length)];
  return { int, pick };
}

/**
 * A title search answers what the words' keys say (common/search-text.ts): every video whose
 * title's key holds each word's key, of the visibilities asked, in the order asked, counted right
 * (the grams index for words of one or two characters, the key for longer ones). Checked against
 * that definition in JavaScript over random titles, across title edits, visibility changes and
 * deletes, on the suite's database (SQLite, or MariaDB in CI's second run).
 */
describe('VideoRepository title search', () => {
  const suite = useVideoRepository();

  const newUid = () => 6_000_000_000 + Math.floor(Math.random() * 1e9);
  const video = (uid: number, title: string, visibility: Visibility) => suite.rows.build(videoFields(uid, { title, visibility }));

  it('finds what the keys say, through edits, visibility changes and deletes', async () => {
    const seed = Date.now() % 1e9;
    const random = generator(seed);
    const someTitle = () => {
      let title = '';
      for (let n = 1 + random.int(6); n > 0; n--) title += random.pick(PIECES);
      return title.trim() || '旅';
    };
    const uid = newUid();
    const kept = new Map<string, { seq: number; title: string; visibility: Visibility }>();
    const add = async () => {
      const one = video(uid, someTitle(), random.pick(VISIBILITIES));
      await suite.rows.insert(one);
      const [{ seq }] = await suite.db.query<{ seq: number }[]>('SELECT seq FROM videos WHERE id = ?', [one.id]);
      kept.set(one.id, { seq: Number(seq), title: one.title, visibility: one.visibility });
    };
    for (let i = 0; i < 60; i++) await add();
    // Another space with the same titles must never show.
    await suite.rows.insert(video(newUid(), [...kept.values()][0].title, 'public'));

    const queries = () => {
      const titles = [...kept.values()].map((one) => one.title);
      const word = () => {
        if (random.int(3)) return random.pick(PIECES) + (random.int(2) ? random.pick(PIECES) : '');
        // A piece of a real title, so longer words find something too.
        const title = [...random.pick(titles)];
        const start = random.int(title.length);
        return title.slice(start, start + 1 + random.int(5)).join('');
      };
      // One to three words: several short ones are counted from the grams alone.
      return Array.from({ length: 30 }, () => Array.from({ length: 1 + random.int(3) }, word).join(' ')).filter((q) => q.trim());
    };
    const check = async (round: string) => {
      for (const q of queries()) {
        const words = searchWords(q);
        for (const visibilities of [[...VISIBILITIES], ['public'] as Visibility[]]) {
          const expected = [...kept.entries()]
            .filter(([, one]) => visibilities.includes(one.visibility) && words.every((word) => searchKey(one.title).includes(word)))
            .sort(([, a], [, b]) => b.seq - a.seq)
            .map(([id]) => id);
          const found = await suite.rows.listByOwner(uid, visibilities, { sort: 'new', words, page: 1, pageSize: 100, after: null });
          const context = `seed ${seed}, ${round}, q ${JSON.stringify(q)}, ${visibilities.join('+')}`;
          expect(
            found.videos.map((one) => one.id),
            context,
          ).toEqual(expected);
          expect(found.total, context).toBe(expected.length);
          // Small pages: common words walk the sort's index (VideoRepository.walkPays), rare ones sort their matches.
          const list = (sort: 'new' | 'old', page: number, after: ListCursor | null) =>
            suite.rows.listByOwner(uid, visibilities, { sort, words, page, pageSize: 3, after });
          for (const [sort, order] of [
            ['new', expected],
            ['old', [...expected].reverse()],
          ] as const) {
            const first = await list(sort, 1, null);
            expect(
              first.videos.map((one) => one.id),
              `${context}, ${sort}`,
            ).toEqual(order.slice(0, 3));
            expect(first.total, context).toBe(expected.length);
            const byOffset = await list(sort, 2, null);
            expect(
              byOffset.videos.map((one) => one.id),
              `${context}, ${sort} page 2`,
            ).toEqual(order.slice(3, 6));
            if (first.next) expect((await list(sort, 1, first.next)).videos, `${context}, ${sort} after`).toEqual(byOffset.videos);
          }
        }
      }
    };

    await check('as uploaded');
    const ids = () => [...kept.keys()];
    for (const id of ids().slice(0, 20)) {
      const title = someTitle();
      await suite.rows.update(id, { title });
      kept.set(id, { ...kept.get(id)!, title });
    }
    for (const id of ids().slice(10, 30)) {
      const visibility = random.pick(VISIBILITIES);
      await suite.rows.update(id, { visibility });
      kept.set(id, { ...kept.get(id)!, visibility });
    }
    for (const id of ids().slice(25, 40)) {
      await suite.rows.remove(id);
      kept.delete(id);
    }
    await check('after edits');
    // Concurrent renames and uploads keep each video's grams its own.
    await Promise.all([
      ...ids()
        .slice(0, 15)
        .map(async (id) => {
          const title = someTitle();
          kept.set(id, { ...kept.get(id)!, title });
          await suite.rows.update(id, { title, visibility: 'public' });
          kept.set(id, { ...kept.get(id)!, visibility: 'public' });
        }),
      ...Array.from({ length: 10 }, add),
    ]);
    await check('after concurrent edits');
    const [{ stray }] = await suite.db.query<{ stray: number | string }[]>(
      'SELECT COUNT(*) AS stray FROM video_title_grams g LEFT JOIN videos v ON v.seq = g.seq WHERE v.seq IS NULL OR v.visibility <> g.visibility',
    );
    expect(Number(stray)).toBe(0);
    expect(await countsOff(uid)).toEqual([]);
  });

  it('removes a space’s grams with its videos', async () => {
    const uid = newUid();
    for (const title of ['旅行 one', '旅行 two']) await suite.rows.insert(video(uid, title, 'public'));
    await suite.db.transaction((manager) => suite.rows.removeAllOf(uid, manager));
    const [{ n }] = await suite.db.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM video_title_grams WHERE uid = ?', [uid]);
    expect(Number(n)).toBe(0);
    expect(await countsOff(uid)).toEqual([]);
  });

  /** The kept counts of a space (TitleGramCounts1773000000000) that differ from its grams' entries. */
  async function countsOff(uid: number): Promise<unknown[]> {
    return suite.db.query(
      'SELECT k.gram, k.visibility, k.n, COALESCE(g.n, 0) AS entries FROM video_title_gram_counts k ' +
        'LEFT JOIN (SELECT gram, visibility, COUNT(*) AS n FROM video_title_grams WHERE uid = ? GROUP BY gram, visibility) g ' +
        'ON g.gram = k.gram AND g.visibility = k.visibility WHERE k.uid = ? AND k.n <> COALESCE(g.n, 0) ' +
        'UNION ALL SELECT g.gram, g.visibility, NULL, COUNT(*) FROM video_title_grams g LEFT JOIN video_title_gram_counts k ' +
        'ON k.uid = g.uid AND k.gram = g.gram AND k.visibility = g.visibility WHERE g.uid = ? AND k.uid IS NULL GROUP BY g.gram, g.visibility',
      [uid, uid, uid],
    );
  }
});

describe('TitleGrams1772000000000', () => {
  it('indexes the titles written before it, and its triggers follow them (SQLite)', async () => {
    const db = await databaseBefore(TitleGrams1772000000000);
    try {
      const insert = (id: string, uid: number, title: string, visibility: string) =>
        db.query(
          'INSERT INTO videos (id, uid, title, description, size, mime, sha256, status, storage_key, created_at, rendition_bytes, visibility) ' +
            "VALUES (?, ?, ?, '', 1, 'video/mp4', 'x', 'ready', 'k', '2020-01-01 00:00:00', 0, ?)",
          [id, uid, title, visibility],
        );
      await insert('a'.repeat(20), 1, 'Café 旅行', 'public');
      await insert('b'.repeat(20), 1, 'ＴＲＩＰ', 'private');
      const runner = db.createQueryRunner();
      try {
        await new TitleGrams1772000000000().up(runner);
      } finally {
        await runner.release();
      }
      const grams = async (id: string) =>
        (
          await db.query<{ gram: number; visibility: string }[]>(
            'SELECT g.gram, g.visibility FROM video_title_grams g JOIN videos v ON v.seq = g.seq WHERE v.id = ? ORDER BY g.gram',
            [id],
          )
        ).map((row) => [Number(row.gram), row.visibility]);
      expect(await db.query('SELECT title_key FROM videos ORDER BY seq')).toEqual([{ title_key: 'cafe 旅行' }, { title_key: 'trip' }]);
      expect(await grams('a'.repeat(20))).toEqual(
        titleGrams('cafe 旅行')
          .sort((x, y) => x - y)
          .map((gram) => [gram, 'public']),
      );
      await db.query("UPDATE videos SET visibility = 'unlisted' WHERE id = ?", ['b'.repeat(20)]);
      expect(await grams('b'.repeat(20))).toEqual(
        titleGrams('trip')
          .sort((x, y) => x - y)
          .map((gram) => [gram, 'unlisted']),
      );
      await db.query('DELETE FROM videos WHERE id = ?', ['a'.repeat(20)]);
      expect(await grams('a'.repeat(20))).toEqual([]);
      expect(await db.query('SELECT COUNT(*) AS n FROM video_title_grams')).toEqual([{ n: titleGrams('trip').length }]);

      const back = db.createQueryRunner();
      try {
        await new TitleGrams1772000000000().down(back);
        expect(await back.hasTable('video_title_grams')).toBe(false);
        expect(await back.hasColumn('videos', 'title_key')).toBe(false);
      } finally {
        await back.release();
      }
    } finally {
      await db.destroy();
    }
  });
});

describe('TitleGramCounts1773000000000', () => {
  it('counts the grams written before it, and its triggers follow them (SQLite)', async () => {
    const db = await databaseBefore(TitleGramCounts1773000000000);
    try {
      const insert = (id: string, title: string, visibility: string) =>
        db.query(
          'INSERT INTO videos (id, uid, title, description, size, mime, sha256, status, storage_key, created_at, rendition_bytes, visibility) ' +
            "VALUES (?, 1, ?, '', 1, 'video/mp4', 'x', 'ready', 'k', '2020-01-01 00:00:00', 0, ?)",
          [id, title, visibility],
        );
      const grams = (id: string, title: string) => db.query(titleGramsOf(id, title)[0][0], titleGramsOf(id, title)[0][1]);
      await insert('a'.repeat(20), '旅行', 'public');
      await grams('a'.repeat(20), '旅行');
      await insert('b'.repeat(20), '旅', 'public');
      await grams('b'.repeat(20), '旅');
      const runner = db.createQueryRunner();
      try {
        await new TitleGramCounts1773000000000().up(runner);
      } finally {
        await runner.release();
      }
      const [[travel], [journey]] = ['旅', '旅行'].map(wordGrams);
      const counts = async () =>
        Object.fromEntries(
          (
            await db.query<{ gram: number; visibility: string; n: number }[]>(
              'SELECT gram, visibility, n FROM video_title_gram_counts WHERE gram IN (?, ?) AND n > 0 ORDER BY gram, visibility',
              [travel, journey],
            )
          ).map((row) => [`${row.gram === travel ? '旅' : '旅行'} ${row.visibility}`, row.n]),
        );
      expect(await counts()).toEqual({ '旅 public': 2, '旅行 public': 1 });
      await insert('c'.repeat(20), '旅行', 'private');
      await grams('c'.repeat(20), '旅行');
      await db.query("UPDATE videos SET visibility = 'unlisted' WHERE id = ?", ['a'.repeat(20)]);
      expect(await counts()).toEqual({ '旅 private': 1, '旅 public': 1, '旅 unlisted': 1, '旅行 private': 1, '旅行 unlisted': 1 });
      await db.query('DELETE FROM videos WHERE id IN (?, ?)', ['b'.repeat(20), 'c'.repeat(20)]);
      expect(await counts()).toEqual({ '旅 unlisted': 1, '旅行 unlisted': 1 });

      const back = db.createQueryRunner();
      try {
        await new TitleGramCounts1773000000000().down(back);
        expect(await back.hasTable('video_title_gram_counts')).toBe(false);
      } finally {
        await back.release();
      }
      // The grams keep working without their counts.
      await db.query('DELETE FROM videos WHERE id = ?', ['a'.repeat(20)]);
      expect(await db.query('SELECT COUNT(*) AS n FROM video_title_grams')).toEqual([{ n: 0 }]);
    } finally {
      await db.destroy();
    }
  });
});
