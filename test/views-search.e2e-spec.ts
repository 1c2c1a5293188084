import type TestAgent from 'supertest/lib/agent.js';
import { VideoRepository } from '../src/videos/video.repository.js';
import type { Visibility } from '../src/videos/video.rules.js';
import { ViewCounter } from '../src/videos/views/view-counter.js';
import { login, register, type Account } from './support/accounts.js';
import { videoFields } from './support/database.js';
import { useApp } from './support/e2e.js';
import { randomIp } from './support/test-app.js';

/**
 * Views (issue #13, point 3): counted once per viewer per video per 6 hours, buffered and written
 * in batches. Search and sort (point 4): `sort`, `q` and cursor paging of a space's list.
 * The interval is an hour here, so that only the flushes a test asks for write.
 */
const { t, smtp } = useApp({ VIEWS_FLUSH_MS: '3600000' });

const HOURS_6 = 6 * 60 * 60_000;

/** A video row as an upload leaves it (the bytes do not matter to views or lists). */
async function addVideo(uid: number, title: string, visibility: Visibility = 'public'): Promise<string> {
  const videos = t.app.get(VideoRepository);
  const fields = videoFields(uid, { title, visibility, sha256: '0'.repeat(64), createdAt: new Date() });
  await videos.insert(videos.build(fields));
  return fields.id;
}

async function loggedIn(account: Account, ip = randomIp()): Promise<TestAgent> {
  const client = t.client(ip);
  expect((await login(client, account)).body.errno).toBe(0);
  return client;
}

const view = async (client: TestAgent, id: string) =>
  (await client.post(`/api/videos/${id}/view`)).body as { errno: number; views?: number };
const stored = async (client: TestAgent, id: string) => ((await client.get(`/api/videos/${id}`)).body.video as { views: number }).views;

describe('views', () => {
  let owner: Account;
  let other: Account;

  beforeAll(async () => {
    owner = await register(t.client(randomIp()), smtp, '放映员');
    other = await register(t.client(randomIp()), smtp, '观众');
  });

  it('counts a view once per viewer per 6 hours, and again after them', async () => {
    const id = await addVideo(owner.uid, 'once');
    const visitor = t.client(randomIp());
    expect(await view(visitor, id)).toEqual({ errno: 0, msg: 'ok', views: 1 });
    expect(await view(visitor, id)).toEqual({ errno: 0, msg: 'ok', views: 1 });
    t.clock.advance(HOURS_6 - 60_000);
    expect((await view(visitor, id)).views).toBe(1);
    t.clock.advance(60_000);
    expect((await view(visitor, id)).views).toBe(2);
  });

  it('counts each viewer: other addresses, and an account apart from its address', async () => {
    const id = await addVideo(owner.uid, 'viewers');
    const ip = randomIp();
    expect((await view(t.client(ip), id)).views).toBe(1);
    expect((await view(t.client(randomIp()), id)).views).toBe(2);
    // The account is its own viewer, wherever it comes from.
    expect((await view(await loggedIn(other, ip), id)).views).toBe(3);
    expect((await view(await loggedIn(other), id)).views).toBe(3);
    // Requests at once count one view.
    const burst = t.client(randomIp());
    await Promise.all(Array.from({ length: 5 }, () => view(burst, id)));
    expect((await view(burst, id)).views).toBe(4);
  });

  it("answers 2004 for someone else's private video and for no video; the owner's views count", async () => {
    const id = await addVideo(owner.uid, 'hidden', 'private');
    expect(await view(t.client(randomIp()), id)).toEqual({ errno: 2004, msg: '视频不存在' });
    expect(await view(await loggedIn(other), id)).toEqual({ errno: 2004, msg: '视频不存在' });
    expect(await view(t.client(randomIp()), '0'.repeat(20))).toEqual({ errno: 2004, msg: '视频不存在' });
    expect(await view(t.client(randomIp()), 'not-an-id')).toEqual({ errno: 2004, msg: '视频不存在' });
    expect((await view(await loggedIn(owner), id)).views).toBe(1);
    await t.app.get(ViewCounter).flush();
    expect(await stored(await loggedIn(owner), id)).toBe(1);
  });

  it('writes views to the database only when flushed, and a restart keeps what was written', async () => {
    const id = await addVideo(owner.uid, 'flushed');
    const visitor = t.client(randomIp());
    for (let i = 0; i < 3; i++) await view(t.client(randomIp()), id);
    expect(await stored(visitor, id)).toBe(0);
    expect(await t.app.get(ViewCounter).flush()).toBeGreaterThanOrEqual(3);
    expect(await stored(visitor, id)).toBe(3);
    expect((await view(t.client(randomIp()), id)).views).toBe(4);
    await t.restart();
    // The view after the flush was written at shutdown.
    expect(await stored(t.client(randomIp()), id)).toBe(4);
    expect((await view(t.client(randomIp()), id)).views).toBe(5);
  });
});

describe('search and sort', () => {
  let owner: Account;
  let ownerClient: TestAgent;
  /** Titles in insertion order (seq). */
  const titles = ['Summer Trip 2024', 'summer BBQ', 'Winter trip', '100% pure', 'a_b test', 'axb test', 'Hello!', '旅行 日记'];
  const ids: Record<string, string> = {};
  let privateId: string;

  beforeAll(async () => {
    owner = await register(t.client(randomIp()), smtp, '搜索者');
    ownerClient = await loggedIn(owner);
    for (const title of titles) ids[title] = await addVideo(owner.uid, title);
    privateId = await addVideo(owner.uid, 'summer secret', 'private');
  });

  const list = async (query: Record<string, string>, client: TestAgent = t.client(randomIp())) =>
    (await client.get('/api/videos').query({ uid: String(owner.uid), ...query })).body as {
      errno: number;
      total: number;
      page: number;
      page_size: number;
      next: string | null;
      videos: { id: string; title: string; views: number }[];
    };
  const titlesOf = async (query: Record<string, string>, client?: TestAgent) => (await list(query, client)).videos.map((v) => v.title);

  it('sorts newest first by default and with sort=new, oldest first with sort=old', async () => {
    expect(await titlesOf({})).toEqual([...titles].reverse());
    expect(await titlesOf({ sort: 'new' })).toEqual([...titles].reverse());
    expect(await titlesOf({ sort: 'old' })).toEqual(titles);
  });

  it('sorts by views (most first, then newest), from the written counts', async () => {
    const counter = t.app.get(ViewCounter);
    for (const [title, n] of [
      ['Winter trip', 3],
      ['100% pure', 1],
      ['summer BBQ', 3],
    ] as const)
      for (let i = 0; i < n; i++) await counter.count(ids[title], `ip:test-${i}`);
    await counter.flush();
    const answer = await list({ sort: 'views', page_size: '4' });
    expect(answer.videos.map((v) => [v.title, v.views])).toEqual([
      ['Winter trip', 3],
      ['summer BBQ', 3],
      ['100% pure', 1],
      ['旅行 日记', 0],
    ]);
  });

  it('finds titles with every word of q, in any case', async () => {
    expect(await titlesOf({ q: 'summer' })).toEqual(['summer BBQ', 'Summer Trip 2024']);
    expect(await titlesOf({ q: '  TRIP   summer ' })).toEqual(['Summer Trip 2024']);
    expect(await titlesOf({ q: 'trip', sort: 'old' })).toEqual(['Summer Trip 2024', 'Winter trip']);
    expect(await titlesOf({ q: '日记' })).toEqual(['旅行 日记']);
    expect(await titlesOf({ q: 'nothing-like-it' })).toEqual([]);
    expect((await list({ q: 'summer' })).total).toBe(2);
    expect(await titlesOf({ q: '   ' })).toHaveLength(titles.length);
  });

  it('takes % and _ (and the escape character !) in q literally', async () => {
    expect(await titlesOf({ q: '%' })).toEqual(['100% pure']);
    expect(await titlesOf({ q: 'a_b' })).toEqual(['a_b test']);
    expect(await titlesOf({ q: '_' })).toEqual(['a_b test']);
    expect(await titlesOf({ q: 'o!' })).toEqual(['Hello!']);
    expect(await titlesOf({ q: '!' })).toEqual(['Hello!']);
  });

  it('keeps visibility: a private match is listed to its owner only', async () => {
    expect(await titlesOf({ q: 'summer' }, ownerClient)).toEqual(['summer secret', 'summer BBQ', 'Summer Trip 2024']);
    expect((await list({ q: 'secret' })).videos).toEqual([]);
    expect(privateId).toBeTruthy();
  });

  it('answers 9000 for an unknown sort, a q past 100 characters or 10 words, and a bad cursor', async () => {
    for (const query of <Record<string, string>[]>[
      { sort: 'top' },
      { sort: '' },
      { sort: 'VIEWS' },
      { q: 'x'.repeat(101) },
      { q: Array.from({ length: 11 }, (_, i) => `w${i}`).join(' ') },
      { after: 'not a cursor' },
      { after: Buffer.from('n.12').toString('base64url'), sort: 'views' },
      { after: Buffer.from('v.1.x').toString('base64url'), sort: 'views' },
    ]) {
      expect(await list(query)).toEqual({ errno: 9000, msg: expect.any(String) as string });
    }
    expect((await list({ q: 'x'.repeat(100) })).errno).toBe(0);
    expect((await list({ q: Array.from({ length: 10 }, (_, i) => `w${i}`).join(' ') })).errno).toBe(0);
  });

  it('pages with page and page_size as before, with next until the last page', async () => {
    const first = await list({ page: '1', page_size: '3' });
    expect(first).toMatchObject({ errno: 0, total: titles.length, page: 1, page_size: 3 });
    expect(first.next).toEqual(expect.any(String));
    const last = await list({ page: '3', page_size: '3' });
    expect(last.videos.map((v) => v.title)).toEqual(titles.slice(0, 2).reverse());
    expect(last.next).toBeNull();
  });

  it('continues after the cursor unshifted while videos are added, in every sort; after wins over page', async () => {
    for (const sort of ['new', 'old', 'views']) {
      const all = await titlesOf({ sort, page_size: '100' });
      const seen: string[] = [];
      let answer = await list({ sort, page_size: '3' });
      seen.push(...answer.videos.map((v) => v.title));
      await addVideo(owner.uid, `added while paging ${sort}`);
      while (answer.next) {
        answer = await list({ sort, page_size: '3', after: answer.next, page: '2' });
        expect(answer.page).toBe(0);
        seen.push(...answer.videos.map((v) => v.title));
      }
      // Nothing repeated or skipped. The new video (no views, newest) lands behind the cursor in
      // `new`, at the end in `old`, and first among the unviewed in `views` (the first page ended at 1 view).
      const added = `added while paging ${sort}`;
      expect(seen).toEqual({ new: all, old: [...all, added], views: [...all.slice(0, 3), added, ...all.slice(3)] }[sort]);
    }
  });

  it('combines q, sort and the cursor', async () => {
    const first = await list({ q: 'trip', sort: 'views', page_size: '1' });
    expect(first.videos.map((v) => v.title)).toEqual(['Winter trip']);
    const second = await list({ q: 'trip', sort: 'views', page_size: '1', after: first.next! });
    expect(second.videos.map((v) => v.title)).toEqual(['Summer Trip 2024']);
    expect(second).toMatchObject({ total: 2, next: null });
  });
});
