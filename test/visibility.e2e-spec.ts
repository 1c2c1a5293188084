import type { AddressInfo } from 'node:net';
import type TestAgent from 'supertest/lib/agent.js';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { login, post, register, type Account } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { mp4 } from './support/fixtures.js';
import { randomEmail, randomIp } from './support/test-app.js';

/**
 * Visibility (issue #13, point 1): a private video is indistinguishable from a missing one for
 * anyone but its owner and admins, on every read path; unlisted ones are reachable by id and
 * listed only to their owner; bytes of non-public videos are not for shared caches.
 */
const adminEmail = randomEmail('vis-admin');
const { t, smtp } = useApp({ ADMIN_EMAILS: adminEmail });

let owner: TestAgent;
let other: TestAgent;
let admin: TestAgent;
let visitor: TestAgent;
let ownerAccount: Account;
const videos: Record<'public' | 'unlisted' | 'private', string> = { public: '', unlisted: '', private: '' };
let renditions: Record<string, string> = {};

async function loggedIn(account: Pick<Account, 'email' | 'password'>): Promise<TestAgent> {
  const client = t.client(randomIp());
  expect((await login(client, account)).body.errno).toBe(0);
  return client;
}

beforeAll(async () => {
  ownerAccount = await register(t.client(randomIp()), smtp, '主人');
  owner = await loggedIn(ownerAccount);
  other = await loggedIn(await register(t.client(randomIp()), smtp, '路人'));
  const code = await (async () => {
    await post(t.client(randomIp()), '/api/account/sendvcode', { email: adminEmail });
    return smtp.lastCode(adminEmail);
  })();
  const made = await post(t.client(randomIp()), '/api/account/register', {
    email: adminEmail,
    vcode: code,
    username: '管理员',
    password_1: 'secret123',
    password_2: 'secret123',
  });
  expect(made.body.errno).toBe(0);
  admin = await loggedIn({ email: adminEmail, password: 'secret123' });
  visitor = t.client(randomIp());
  for (const visibility of ['public', 'unlisted', 'private'] as const) {
    const uploaded = await owner
      .post('/api/videos/video_upload')
      .field('visibility', visibility)
      .attach('video', mp4(), `${visibility}.mp4`);
    expect(uploaded.body).toMatchObject({ errno: 0, video: { visibility } });
    videos[visibility] = uploaded.body.video.id as string;
  }
  await t.app.get(VideoProcessor).idle();
  renditions = {};
  for (const [visibility, id] of Object.entries(videos)) {
    const video = (await owner.get(`/api/videos/${id}`)).body.video;
    expect(video.status).toBe('ready');
    renditions[visibility] = video.playback.hls_url as string;
  }
}, 120_000);

/** Every read path of a video: its JSON and each kind of bytes. */
function paths(visibility: keyof typeof videos): string[] {
  const id = videos[visibility];
  const hls = renditions[visibility];
  return [`/api/videos/${id}/stream`, `/api/videos/${id}/cover`, hls, hls.replace('hls/master.m3u8', 'video.mp4')];
}

describe('a private video', () => {
  it('answers 2004 on detail to visitors and other accounts, as a missing id does', async () => {
    for (const client of [visitor, other]) {
      const res = await client.get(`/api/videos/${videos.private}`);
      expect(res.body).toEqual({ errno: 2004, msg: '视频不存在' });
    }
  });

  it('answers 404 / 2004 on the original, the cover, the HLS master, its segments and the MP4 rendition', async () => {
    const hls = (await owner.get(renditions.private)).text;
    const rung = hls.split('\n').find((line) => line.endsWith('.m3u8'))!;
    const rungUrl = renditions.private.replace('master.m3u8', rung);
    const segment = (await owner.get(rungUrl)).text.split('\n').find((line) => line.endsWith('.m4s'))!;
    const segmentUrl = rungUrl.replace('index.m3u8', segment);
    for (const path of [...paths('private'), rungUrl, segmentUrl]) {
      expect((await owner.get(path)).status).toBeLessThan(300);
      for (const client of [visitor, other]) {
        const res = await client.get(path);
        expect(res.status).toBe(404);
        expect(res.body.errno).toBe(2004);
      }
    }
  });

  it('is served to its owner and to admins, never for shared caches', async () => {
    for (const client of [owner, admin]) {
      expect((await client.get(`/api/videos/${videos.private}`)).body.video.visibility).toBe('private');
      for (const path of paths('private')) {
        const res = await client.get(path);
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toMatch(/^private\b/);
      }
    }
  });

  it('is listed only to its owner and admins, and not counted on the public profile', async () => {
    const listed = async (client: TestAgent) =>
      ((await client.get(`/api/videos?uid=${ownerAccount.uid}`)).body.videos as { id: string }[]).map((v) => v.id);
    expect(await listed(visitor)).toEqual([videos.public]);
    expect(await listed(other)).toEqual([videos.public]);
    expect(await listed(owner)).toEqual([videos.private, videos.unlisted, videos.public]);
    expect(await listed(admin)).toEqual([videos.private, videos.unlisted, videos.public]);
    expect((await visitor.get(`/api/videos?uid=${ownerAccount.uid}`)).body.total).toBe(1);
    expect((await visitor.get(`/api/users/${ownerAccount.uid}`)).body.user.video_count).toBe(1);
    expect((await owner.get('/api/account/me')).body.user.video_count).toBe(3);
  });

  it('cannot be deleted, edited or reprocessed by others: 2004 as if missing', async () => {
    expect((await other.delete(`/api/videos/${videos.private}`)).body.errno).toBe(2004);
    expect((await other.patch(`/api/videos/${videos.private}`).send({ title: 'x' })).body.errno).toBe(2004);
    expect((await post(other, `/api/videos/${videos.private}/reprocess`)).body.errno).toBe(2004);
  });
});

describe('an unlisted video', () => {
  it('is reachable by id by anyone, with public caching of its bytes only for public videos', async () => {
    expect((await visitor.get(`/api/videos/${videos.unlisted}`)).body.video.visibility).toBe('unlisted');
    for (const path of paths('unlisted')) {
      const res = await visitor.get(path);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/^private\b/);
    }
    for (const path of paths('public')) expect((await visitor.get(path)).headers['cache-control']).toMatch(/^public\b/);
  });
});

describe('choosing and changing visibility', () => {
  it('takes visibility from the multipart field or the query, default DEFAULT_VISIBILITY, and 9000 for anything else', async () => {
    const byQuery = await owner.post('/api/videos/video_upload?visibility=private').attach('video', mp4(), 'q.mp4');
    expect(byQuery.body.video.visibility).toBe('private');
    const plain = await owner.post('/api/videos/video_upload').attach('video', mp4(), 'd.mp4');
    expect(plain.body.video.visibility).toBe('public');
    const bad = await owner.post('/api/videos/video_upload').field('visibility', 'secret').attach('video', mp4(), 'b.mp4');
    expect(bad.body.errno).toBe(9000);
    for (const res of [byQuery, plain]) await owner.delete(`/api/videos/${res.body.video.id as string}`);
  });

  it('takes visibility from tus metadata, and refuses an unknown one with 400 / 9000', async () => {
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const cookie = String((await login(t.client(randomIp()), ownerAccount)).headers['set-cookie']).split(';')[0];
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const create = (visibility: string, length: number) =>
      fetch(`${base}/api/videos/tus`, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': String(length),
          'Upload-Metadata': `filename ${b64('t.mp4')},visibility ${b64(visibility)}`,
        },
      });
    const refused = await create('everyone', 10);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errno: number }).errno).toBe(9000);
    const file = mp4();
    const created = await create('unlisted', file.length);
    expect(created.status).toBe(201);
    const finished = await fetch(new URL(created.headers.get('location')!, base), {
      method: 'PATCH',
      headers: { Cookie: cookie, 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(file),
    });
    const video = ((await finished.json()) as { video: { id: string; visibility: string } }).video;
    expect(video.visibility).toBe('unlisted');
    await owner.delete(`/api/videos/${video.id}`);
  });

  it('edits title, description and visibility by PATCH or POST …/edit: owner and admins only (2005), 9000 for bad values', async () => {
    const id = videos.public;
    const edited = await owner.patch(`/api/videos/${id}`).send({ title: ' 新标题 ', description: '说明', visibility: 'unlisted' });
    expect(edited.body).toMatchObject({ errno: 0, video: { id, title: '新标题', description: '说明', visibility: 'unlisted' } });
    expect((await visitor.get(`/api/videos?uid=${ownerAccount.uid}`)).body.videos).toEqual([]);
    expect((await post(other, `/api/videos/${id}/edit`, { title: '抢' })).body.errno).toBe(2005);
    expect((await post(owner, `/api/videos/${id}/edit`, { visibility: 'everyone' })).body.errno).toBe(9000);
    expect((await post(owner, `/api/videos/${id}/edit`, { title: '   ' })).body.errno).toBe(9000);
    expect((await post(owner, `/api/videos/${id}/edit`, { title: 'x'.repeat(81) })).body.errno).toBe(9000);
    expect((await post(visitor, `/api/videos/${id}/edit`, { title: 'x' })).body.errno).toBe(1011);
    const byAdmin = await post(admin, `/api/videos/${id}/edit`, { visibility: 'public' });
    expect(byAdmin.body).toMatchObject({ errno: 0, video: { visibility: 'public', title: '新标题' } });
    expect((await visitor.get(`/api/videos?uid=${ownerAccount.uid}`)).body.videos.map((v: { id: string }) => v.id)).toEqual([id]);
  });
});
