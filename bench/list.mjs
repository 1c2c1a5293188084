// A space of 100,000 videos (issue #13): `q` + `sort=views` at page 1, at page 1000 by offset and at
// the same depth by cursor, against page 1 without filters, in the same run; and the owner's
// `GET /api/account/me` (their counts and bytes) and the space's profile against an account
// without videos. On SQLite, and on
// MariaDB too when DATABASE_URL is set (its own database: the rows of the bench account are deleted
// at the end). The rows (with their titles' search keys and grams) go straight into the database; the
// requests go through the built server.
// Writes bench/list-result.json.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomIp, signUp, sleep, startApp } from './lib.mjs';
import { searchKey } from '../dist/src/common/search-text.js';
import { writeTitleGrams } from '../dist/src/database/title-grams.js';

const ROWS = Number(process.env.BENCH_LIST_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 30);
const ACCOUNT_ROUNDS = 10 * ROUNDS;
const PAGE_SIZE = 20;
const DEEP_PAGE = 1000;
/** The searched word, in about 30% of the titles: page 1000 (offset 19,980) still has matches. */
const WORD = '旅行';
const WORDS = [
  ...'日记 城市 夜景 美食 猫 狗 海边 山 雨 雪 春天 夏天 秋天 冬天 朋友 家人 生日 音乐 跑步 骑行 露营 咖啡 早餐 周末 练习 教程 开箱 游戏 读书 电影'.split(
    ' ',
  ),
  ...'vlog trip city night food cat dog beach mountain rain snow spring summer autumn winter friends family birthday music run ride camp coffee breakfast weekend practice tutorial unboxing game books movie'.split(
    ' ',
  ),
];

const pick = (list) => list[(Math.random() * list.length) | 0];
function title() {
  const words = Array.from({ length: 2 + ((Math.random() * 3) | 0) }, () => pick(WORDS));
  if (Math.random() < 0.3) words.splice((Math.random() * words.length) | 0, 0, WORD);
  return `${words.join(' ')} ${(Math.random() * 1000) | 0}`;
}

/** Skewed like real counts: most videos have few views, some many. */
const views = () => Math.floor(Math.random() ** 4 * 100_000);

function row(uid, createdAt) {
  const id = randomBytes(10).toString('hex');
  const text = title();
  return [id, uid, text, searchKey(text), '', 'public', 1000, 'video/mp4', '0'.repeat(64), 'ready', `videos/${id}`, 0, createdAt, views()];
}
const COLUMNS =
  'id, uid, title, title_key, description, visibility, size, mime, sha256, status, storage_key, rendition_bytes, created_at, views';

/**
 * The grams of every title of the account (what VideoRepository.insert writes beside each row),
 * 10,000 videos at a time, each batch in one transaction.
 */
async function writeGrams(query, uid, sqlite) {
  for (let after = 0; ;) {
    const videos = await query('SELECT seq, uid, visibility, title FROM videos WHERE uid = ? AND seq > ? ORDER BY seq LIMIT 10000', [
      uid,
      after,
    ]);
    if (!videos.length) return;
    await query('BEGIN', []);
    await writeTitleGrams(query, videos, { sqlite });
    await query('COMMIT', []);
    after = videos.at(-1).seq;
    await sleep(10);
  }
}

async function insertSqlite(file, uid) {
  const db = new Database(file, { timeout: 10_000 });
  const insert = db.prepare(
    `INSERT INTO videos (${COLUMNS}) VALUES (${COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`,
  );
  const createdAt = new Date().toISOString().replace('T', ' ').slice(0, 19);
  // Chunks of 10,000 rows, with a turn of this event loop after each: one transaction for all
  // would keep the server's writes waiting for seconds (longer than its 5 s busy timeout, with the
  // usage triggers), and this process's fetch would miss that the server closed an idle connection.
  const chunk = db.transaction((count) => {
    for (let i = 0; i < count; i++) insert.run(row(uid, createdAt));
  });
  for (let i = 0; i < ROWS; i += 10_000) {
    chunk(Math.min(10_000, ROWS - i));
    await sleep(10);
  }
  const query = (sql, parameters) => {
    const statement = db.prepare(sql);
    return Promise.resolve(statement.reader ? statement.all(parameters) : statement.run(parameters));
  };
  await writeGrams(query, uid, true);
  db.exec('ANALYZE');
  db.close();
}

async function insertMysql(url, uid) {
  const { createConnection } = await import('mysql2/promise');
  const db = await createConnection({ uri: url });
  const createdAt = new Date().toISOString().replace('T', ' ').slice(0, 19);
  for (let i = 0; i < ROWS; i += 2000) {
    const rows = Array.from({ length: Math.min(2000, ROWS - i) }, () => row(uid, createdAt));
    await db.query(`INSERT INTO videos (${COLUMNS}) VALUES ?`, [rows]);
  }
  await writeGrams(async (sql, parameters) => (await db.query(sql, parameters))[0], uid, false);
  await db.query('ANALYZE TABLE videos, video_title_grams');
  await db.end();
}

async function deleteMysql(url, uid) {
  const { createConnection } = await import('mysql2/promise');
  const db = await createConnection({ uri: url });
  await db.query('DELETE FROM videos WHERE uid = ?', [uid]);
  await db.end();
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function timed(url, cookie) {
  const started = performance.now();
  const response = await fetch(url, { headers: { 'X-Forwarded-For': randomIp(), ...(cookie ? { Cookie: cookie } : {}) } });
  const body = await response.json();
  const ms = performance.now() - started;
  if (body.errno !== 0) throw new Error(`${url}: ${JSON.stringify(body)}`);
  return { ms, body };
}

async function measure(label, env, insert, cleanup = async () => {}) {
  const app = await startApp(env);
  let uid;
  try {
    let cookie;
    ({ uid, cookie } = await signUp(app, `list-${randomBytes(4).toString('hex')}@example.com`));
    const empty = await signUp(app, `empty-${randomBytes(4).toString('hex')}@example.com`);
    const started = performance.now();
    await insert(app, uid);
    const insertS = +((performance.now() - started) / 1000).toFixed(1);
    const list = `${app.base}/api/videos?uid=${uid}&page_size=${PAGE_SIZE}`;
    const search = `${list}&q=${encodeURIComponent(WORD)}&sort=views`;
    const before = (await timed(`${search}&page=${DEEP_PAGE - 1}`)).body;
    const cases = {
      plain_page_1: list,
      search_page_1: search,
      search_page_1000_offset: `${search}&page=${DEEP_PAGE}`,
      search_page_1000_cursor: `${search}&after=${before.next}`,
    };
    // The two ways to page 1000 must answer the same videos.
    const [offset, cursor] = await Promise.all([timed(cases.search_page_1000_offset), timed(cases.search_page_1000_cursor)]);
    if (JSON.stringify(offset.body.videos.map((v) => v.id)) !== JSON.stringify(cursor.body.videos.map((v) => v.id)))
      throw new Error('page 1000 by offset and by cursor differ');
    const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let round = -5; round < ROUNDS; round++) {
      for (const [name, url] of Object.entries(cases)) {
        const { ms } = await timed(url);
        if (round >= 0) samples[name].push(ms);
      }
    }
    // The account's totals: cheap requests, in their own rounds, each pair in turns first (a
    // request right after a deep page pays for its garbage).
    const me = `${app.base}/api/account/me`;
    const owner = (await timed(me, cookie)).body;
    if (owner.user.video_count !== ROWS) throw new Error(`me counts ${owner.user.video_count} videos, not ${ROWS}`);
    const pairs = [
      [
        ['me_owner', me, cookie],
        ['me_empty', me, empty.cookie],
      ],
      [
        ['profile_owner', `${app.base}/api/users/${uid}`],
        ['profile_empty', `${app.base}/api/users/${empty.uid}`],
      ],
    ];
    for (const [name] of pairs.flat()) samples[name] = [];
    for (let round = -20; round < ACCOUNT_ROUNDS; round++) {
      for (const pair of pairs) {
        for (const [name, url, as] of round % 2 ? [...pair].reverse() : pair) {
          const { ms } = await timed(url, as);
          if (round >= 0) samples[name].push(ms);
        }
      }
    }
    const ms = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, +median(values).toFixed(2)]));
    const ratio = (name) => +(ms[name] / ms.plain_page_1).toFixed(2);
    return {
      database: label,
      rows: ROWS,
      matches: before.total,
      insert_s: insertS,
      median_ms: ms,
      ratio_to_plain: {
        search_page_1: ratio('search_page_1'),
        search_page_1000_offset: ratio('search_page_1000_offset'),
        search_page_1000_cursor: ratio('search_page_1000_cursor'),
      },
      me_owner_to_empty: +(ms.me_owner / ms.me_empty).toFixed(2),
      profile_owner_to_empty: +(ms.profile_owner / ms.profile_empty).toFixed(2),
    };
  } finally {
    app.child.kill();
    if (uid) await cleanup(uid);
  }
}

// Empty: the embedded defaults, whatever the environment says.
const results = [
  await measure('SQLite', { DATABASE_URL: '', REDIS_URL: '' }, (app, uid) => insertSqlite(join(app.dataDir, 'personal-space.sqlite'), uid)),
];
const mysqlUrl = process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : undefined;
if (mysqlUrl)
  results.push(
    await measure(
      'MariaDB',
      { DATABASE_URL: mysqlUrl },
      (_app, uid) => insertMysql(mysqlUrl, uid),
      (uid) => deleteMysql(mysqlUrl, uid),
    ),
  );
const report = { word: WORD, page_size: PAGE_SIZE, deep_page: DEEP_PAGE, rounds: ROUNDS, results };
console.log(JSON.stringify(report, null, 2));
writeFileSync('bench/list-result.json', `${JSON.stringify(report, null, 2)}\n`);
