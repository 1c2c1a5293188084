import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type TestAgent from 'supertest/lib/agent.js';
import { StoragePurger } from '../src/infra/storage/storage-purge.js';
import { StorageService } from '../src/infra/storage/storage.service.js';
import { VideoProcessor } from '../src/videos/processing/video-processor.js';
import { login, post, register } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { mp4 } from './support/fixtures.js';
import { randomIp } from './support/test-app.js';

/** Covers chosen by their owner (issue #13, point 2) and the duplicate check before an upload (point 6). */
const { t, smtp } = useApp();
let owner: TestAgent;
let other: TestAgent;
let id: string;
let firstCover: string;
const file = mp4();

async function loggedIn(name: string): Promise<TestAgent> {
  const client = t.client(randomIp());
  expect((await login(client, await register(t.client(randomIp()), smtp, name))).body.errno).toBe(0);
  return client;
}

const png = (color: string, width = 640, height = 360) =>
  sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();

beforeAll(async () => {
  owner = await loggedIn('封面');
  other = await loggedIn('别人');
  const uploaded = await owner.post('/api/videos/video_upload').attach('video', file, 'cover.mp4');
  id = uploaded.body.video.id as string;
  await t.app.get(VideoProcessor).idle();
  const video = (await owner.get(`/api/videos/${id}`)).body.video;
  expect(video.status).toBe('ready');
  firstCover = video.cover_url as string;
}, 60_000);

describe('a cover chosen by its owner', () => {
  it('takes the frame at a chosen second, under a new cover_url, as a JPEG', async () => {
    const res = await post(owner, `/api/videos/${id}/cover`, { at: '1.5' });
    expect(res.body).toMatchObject({ errno: 0, video: { id } });
    const url = res.body.video.cover_url as string;
    expect(url).not.toBe(firstCover);
    const image = await owner.get(url).buffer(true);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(image.body as Buffer).metadata()).format).toBe('jpeg');
  });

  it('takes an uploaded image, re-encoded as a JPEG (the uploaded bytes are never served)', async () => {
    const upload = await png('#ff0000');
    const res = await owner.post(`/api/videos/${id}/cover`).attach('cover', upload, 'red.png');
    expect(res.body.errno).toBe(0);
    const served = await owner.get(res.body.video.cover_url as string).buffer(true);
    const body = served.body as Buffer;
    expect(body.equals(upload)).toBe(false);
    const { data } = await sharp(body).resize(1, 1).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[1]).toBeLessThan(60);
  });

  it('answers 3001 to bytes that are not an image, 3002 over 5 MiB, and 9000 without `at` or image', async () => {
    const text = await owner.post(`/api/videos/${id}/cover`).attach('cover', Buffer.from('<svg onload=alert(1)>'), 'x.png');
    expect(text.body.errno).toBe(3001);
    const big = Buffer.concat([await png('#00ff00', 16, 16), Buffer.alloc(5 * 1024 * 1024)]);
    expect((await owner.post(`/api/videos/${id}/cover`).attach('cover', big, 'big.png')).body.errno).toBe(3002);
    expect((await post(owner, `/api/videos/${id}/cover`, {})).body.errno).toBe(9000);
  });

  it('answers 9000 for a second outside the video, 2005 to others, 2004 for an unknown id, 1011 without a login', async () => {
    expect((await post(owner, `/api/videos/${id}/cover`, { at: '99999' })).body.errno).toBe(9000);
    expect((await post(owner, `/api/videos/${id}/cover`, { at: '-1' })).body.errno).toBe(9000);
    expect((await post(owner, `/api/videos/${id}/cover`, { at: 'abc' })).body.errno).toBe(9000);
    expect((await post(other, `/api/videos/${id}/cover`, { at: '1' })).body.errno).toBe(2005);
    expect((await post(owner, `/api/videos/${'0'.repeat(20)}/cover`, { at: '1' })).body.errno).toBe(2004);
    expect((await post(t.client(randomIp()), `/api/videos/${id}/cover`, { at: '1' })).body.errno).toBe(1011);
  });

  it('removes the cover it replaces (not the rendition set’s own)', async () => {
    const storage = t.app.get(StorageService);
    const chosen = await post(owner, `/api/videos/${id}/cover`, { at: '0.5' });
    await t.app.get(StoragePurger).drain();
    const covers = (await storage.list('covers/')).filter(({ key }) => key.startsWith(`covers/${id}-`));
    expect(covers).toHaveLength(1);
    expect(chosen.body.video.cover_url).toContain(`?v=`);
    // The rendition set's cover.jpg stays: a reprocess or another choice may not need it, but it is the set's.
    const set = (chosen.body.video.playback.mp4_url as string).split('/')[5];
    expect(await storage.stat(`renditions/${id}/${set}/cover.jpg`)).not.toBeNull();
  });
});

describe('the duplicate check', () => {
  const sha256 = createHash('sha256').update(file).digest('hex');

  it('finds the owner’s own video with the same bytes, and nothing for others', async () => {
    const mine = await owner.get(`/api/videos/duplicates?sha256=${sha256}`);
    expect(mine.body).toMatchObject({ errno: 0, videos: [{ id, sha256 }] });
    expect((await other.get(`/api/videos/duplicates?sha256=${sha256}`)).body).toEqual({ errno: 0, msg: 'ok', videos: [] });
  });

  it('answers 9000 for anything but 64 lower-case hex digits and 1011 without a login', async () => {
    for (const bad of ['', 'abc', sha256.toUpperCase(), `${sha256}0`]) {
      expect((await owner.get(`/api/videos/duplicates?sha256=${bad}`)).body.errno).toBe(9000);
    }
    expect((await t.client(randomIp()).get(`/api/videos/duplicates?sha256=${sha256}`)).body.errno).toBe(1011);
  });
});
