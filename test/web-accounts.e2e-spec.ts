import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { VCODE_RULES } from '../src/account/vcode.store.js';
import { mp4 } from './support/fixtures.js';
import { useApp } from './support/e2e.js';
import { randomEmail, randomIp } from './support/test-app.js';
import { form, launchChromium, RETRY_RESET } from './support/browser.js';

const SHOTS = join('test-artifacts', 'screens');
const PASSWORD = 'secret123';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

const adminEmail = randomEmail('web-admin');
const { t, smtp } = useApp({ ADMIN_EMAILS: adminEmail });
let browser: Browser;
let base: string;
const files = join(tmpdir(), `ps-web-accounts-${process.pid}`);
const contexts: BrowserContext[] = [];

const DESKTOP = { width: 1100, height: 800 };
const PHONE = { width: 390, height: 780 };

/** A browser profile of its own (cookies, and its own address: per-IP limits live on across runs in Redis). */
async function openContext(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: DESKTOP,
    extraHTTPHeaders: { 'X-Forwarded-For': randomIp() },
    ...options,
  });
  contexts.push(context);
  // Well inside the test's own timeout, so that a failure names the step.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The desktop and the phone picture of what the page shows now. */
async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await shot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await shot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

/** The code of the newest mail to `email`, whatever its purpose and language. */
function mailedCode(email: string): string {
  const code = smtp
    .mailsTo(email)
    .at(-1)
    ?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return code;
}

/** Registers through the API with the context's cookies; `login` leaves that context logged in. */
async function signUp(context: BrowserContext, email: string, username: string, login = true): Promise<number> {
  const sent = await (await context.request.post(`${base}/api/account/sendvcode`, form({ email }))).json();
  expect(sent.errno).toBe(0);
  const reply = await context.request.post(
    `${base}/api/account/register`,
    form({ email, vcode: mailedCode(email), username, password_1: PASSWORD, password_2: PASSWORD }),
  );
  const registered = await reply.json();
  expect(registered.errno).toBe(0);
  if (login) await logIn(context, email);
  return registered.uid as number;
}

async function logIn(context: BrowserContext, user: string, password = PASSWORD): Promise<void> {
  expect((await (await context.request.post(`${base}/api/account/login`, form({ user, password }))).json()).errno).toBe(0);
}

const title = (page: Page) => page.evaluate(() => document.title);

/** A picture that has loaded and decoded. */
async function loadedImage(page: Page, selector: string): Promise<{ src: string; width: number }> {
  await page.waitForFunction((s) => {
    const img = document.querySelector<HTMLImageElement>(s);
    return !!img && img.complete && img.naturalWidth > 0;
  }, selector);
  return page.$eval(selector, (img: HTMLImageElement) => ({ src: img.getAttribute('src') ?? '', width: img.naturalWidth }));
}

/** The colour in the middle of a loaded picture (same origin: the canvas may read it). */
function centreColour(page: Page, selector: string): Promise<number[]> {
  return page.$eval(selector, (img: HTMLImageElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    return [...g.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data.slice(0, 3)];
  });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(files, { recursive: true });
  const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  // Wider than tall, so that the square crop shows; a second one, taller than wide, in another colour.
  ffmpeg(['-f', 'lavfi', '-i', 'color=red:s=300x200', '-frames:v', '1', join(files, 'red.png')]);
  ffmpeg(['-f', 'lavfi', '-i', 'color=blue:s=200x320', '-frames:v', '1', join(files, 'blue.jpg')]);
  writeFileSync(join(files, 'not-an-image.png'), 'plain text, not a picture\n'.repeat(20));
  writeFileSync(join(files, 'clip.mp4'), mp4());
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
});

describe('forms and pages before logging in', () => {
  let page: Page;
  beforeAll(async () => {
    ({ page } = await openContext());
  });

  it('never sends an empty login: the browser says what is missing instead of 请先注册', async () => {
    const logins: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/account/login')) logins.push(request.url());
    });
    await page.goto(`${base}/login`);
    await page.waitForSelector('#login-submit');
    expect(await title(page)).toBe('登录 · 个人空间');
    expect(await page.getAttribute('#user', 'required')).not.toBeNull();
    await page.click('#login-submit');
    await page.waitForSelector('#user-error:has-text("请填写此项")');
    expect(await page.textContent('#password-error')).toBe('请填写此项');
    expect(logins).toEqual([]);
    expect(await page.isVisible('text=请先注册')).toBe(false);
  });

  it('shows the username and password rules before anything is typed, and again in the error', async () => {
    await page.goto(`${base}/register`);
    await page.waitForSelector('#register-submit');
    expect(await title(page)).toBe('注册 · 个人空间');
    expect(await page.textContent('#username-hint')).toBe('1–20 个字符');
    expect(await page.textContent('#password1-hint')).toBe('8–64 个字符，至少包含一个字母和一个数字');
    expect(await page.getAttribute('#code', 'inputmode')).toBe('numeric');
    expect(await page.getAttribute('#code', 'autocomplete')).toBe('one-time-code');
    await page.fill('#email', randomEmail('web-rules'));
    await page.fill('#code', '123456');
    await page.fill('#username', '规则');
    await page.fill('#password1', 'onlyletters');
    await page.fill('#password2', 'onlyletters');
    await page.click('#register-submit');
    await page.waitForSelector('#password1-error:has-text("密码格式错误：8–64 个字符，至少包含一个字母和一个数字")');
    await shots(page, 'register-rules');
  });

  it("says that an unknown uid's space does not exist", async () => {
    await page.goto(`${base}/space/1000000001`);
    await page.waitForSelector('#space-error:has-text("用户不存在")');
    expect(await page.isVisible('text=请先注册')).toBe(false);
    expect(await title(page)).toBe('用户不存在 · 个人空间');
  });

  it('shows neither 登录 nor the account in the header until /me has answered', async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/account/me', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${base}/login`);
    await page.waitForSelector('#nav-pending');
    expect(await page.$('#nav-login')).toBeNull();
    expect(await page.$('#nav-user')).toBeNull();
    release();
    await page.waitForSelector('#nav-login');
    expect(await page.$('#nav-pending')).toBeNull();
    await page.unroute('**/api/account/me');
  });

  it('says for how long a login is locked after five wrong passwords', async () => {
    const { context } = await openContext();
    const email = randomEmail('web-lock');
    await signUp(context, email, '锁定', false);
    await page.goto(`${base}/login`);
    await page.fill('#user', email);
    const answered = () => page.waitForResponse((response) => response.url().endsWith('/api/account/login'));
    for (let i = 0; i < 5; i++) {
      await page.fill('#password', `wrong-pass-${i}`);
      const answer = answered();
      await page.click('#login-submit');
      expect((await (await answer).json()).errno).toBe(1002);
    }
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('.error[role="alert"]:has-text("请 15 分钟后再试")');
    await shot(page, 'login-locked-desktop');
  });
});

describe('forgot password', () => {
  it('resets the password with the mailed code and logs in with the new one', async () => {
    const { context, page } = await openContext();
    const email = randomEmail('web-forgot');
    await signUp(context, email, '忘记密码', false);
    await page.goto(`${base}/login`);
    await page.click('#forgot-link');
    await page.waitForURL(/\/forgot$/);
    expect(await title(page)).toBe('找回密码 · 个人空间');
    expect(await page.getAttribute('#code', 'inputmode')).toBe('numeric');
    await page.fill('#email', email);
    // The register code went to this address a moment ago: one code a minute, whatever its purpose.
    t.clock.advance(VCODE_RULES.resendCooldownMs);
    await page.click('#send-code');
    await page.waitForSelector('text=秒后重发');
    const code = mailedCode(email);
    expect(smtp.mailsTo(email).at(-1)?.subject).toContain('重置密码');
    await page.fill('#code', code);
    await page.fill('#password1', 'newpass456');
    await page.fill('#password2', 'newpass457');
    await page.click('#reset-submit');
    await page.waitForSelector('#password2-error:has-text("两次输入的密码不同")');
    await shots(page, 'forgot');
    await page.fill('#password2', 'newpass456');
    await page.click('#reset-submit');
    await page.waitForSelector('#reset-done:has-text("密码已重置")');
    await shots(page, 'forgot-done');
    await page.click('#back-to-login');
    await page.waitForURL(/\/login$/);
    await page.fill('#user', email);
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#password-error:has-text("密码错误")');
    await page.fill('#password', 'newpass456');
    await page.click('#login-submit');
    await page.waitForURL(/\/space\/\d{10}$/);
    await page.waitForSelector('#nav-user:has-text("忘记密码")');
  });

  it('says when no account has the address', async () => {
    const { page } = await openContext();
    await page.goto(`${base}/forgot`);
    await page.fill('#email', randomEmail('web-nobody'));
    await page.click('#send-code');
    await page.waitForSelector('#email-error:has-text("这个邮箱没有注册账号")');
  });
});

describe('settings', () => {
  let context: BrowserContext;
  let page: Page;
  const email = randomEmail('web-settings');
  let uid = 0;

  beforeAll(async () => {
    ({ context, page } = await openContext());
    uid = await signUp(context, email, '设置用户');
  });

  it('is linked from the header and titled 设置', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/space\/\d{10}$/);
    await page.click('#nav-settings');
    await page.waitForURL(/\/settings$/);
    await page.waitForSelector('#profile-username');
    expect(await title(page)).toBe('设置 · 个人空间');
    expect(await page.textContent('#storage-text')).toBe('已用 0 B，容量不限');
    expect(await page.getAttribute('#email-code', 'inputmode')).toBe('numeric');
  });

  it('saves the username and the bio, with a counter, and the space shows them', async () => {
    await page.fill('#profile-username', '新名字');
    await page.fill('#profile-bio', '喜欢拍视频的人。\n第二行');
    expect(await page.textContent('#profile-bio-count')).toBe('12/200');
    await page.click('#profile-save');
    await page.waitForSelector('#profile-ok:has-text("已保存")');
    await page.waitForSelector('#nav-user:has-text("新名字")');
    await page.click('#nav-space');
    await page.waitForSelector('#profile-bio-text');
    expect(await page.textContent('#profile-bio-text')).toBe('喜欢拍视频的人。\n第二行');
    expect(await page.textContent('#profile-name')).toBe('新名字');
    // No avatar yet: the initial on a disc.
    expect(await page.textContent('#profile-avatar')).toBe('新');
  });

  it('previews the centre square of a picked image, uploads it and shows the new avatar', async () => {
    await page.goto(`${base}/settings`);
    await page.waitForSelector('#avatar-current');
    await page.setInputFiles('#avatar-file', join(files, 'red.png'));
    const preview = await loadedImage(page, '#avatar-preview');
    expect(preview.width).toBe(300);
    // Shown square (object-fit: cover) before anything is sent.
    const box = await page.$eval('#avatar-preview', (img) => {
      const { width, height } = img.getBoundingClientRect();
      return { width, height, fit: getComputedStyle(img).objectFit };
    });
    expect(box).toEqual({ width: 128, height: 128, fit: 'cover' });
    await shots(page, 'settings-avatar-preview');
    await page.click('#avatar-upload');
    await page.waitForSelector('#avatar-ok:has-text("头像已更新")');
    const first = await loadedImage(page, '#avatar-current');
    expect(first.src).toMatch(new RegExp(`^/api/users/${uid}/avatar\\?v=`));
    expect(first.width).toBe(256);
    const [r, g, b] = await centreColour(page, '#avatar-current');
    expect(r).toBeGreaterThan(200);
    expect(g + b).toBeLessThan(80);
    // The header's small one.
    const small = await loadedImage(page, '#nav-avatar');
    expect(small.src).toContain('size=64');
    expect(small.width).toBe(64);

    // A new picture is a new URL (the old one may be cached for a year).
    await page.setInputFiles('#avatar-file', join(files, 'blue.jpg'));
    await loadedImage(page, '#avatar-preview');
    await page.click('#avatar-upload');
    await page.waitForFunction((old) => document.querySelector('#avatar-current')?.getAttribute('src') !== old, first.src);
    const second = await loadedImage(page, '#avatar-current');
    expect(second.src).not.toBe(first.src);
    const [, , blue] = await centreColour(page, '#avatar-current');
    expect(blue).toBeGreaterThan(200);
    await shots(page, 'settings');
  });

  it('refuses a picture over 5 MB with 图片文件过大 before sending it', async () => {
    const sent: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().endsWith('/api/account/avatar')) sent.push(request.url());
    };
    page.on('request', onRequest);
    await page.setInputFiles('#avatar-file', { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(5 * 1024 * 1024 + 1) });
    await page.waitForSelector('#avatar-error:has-text("图片文件过大")');
    page.off('request', onRequest);
    expect(sent).toEqual([]);
    expect(await page.$('#avatar-upload')).toBeNull();
  });

  it('refuses what is not a picture with 不支持的图片格式', async () => {
    await page.setInputFiles('#avatar-file', join(files, 'not-an-image.png'));
    await page.waitForSelector('#avatar-error:has-text("不支持的图片格式")');
    expect(await page.$('#avatar-upload')).toBeNull();
    // The server says the same of these bytes.
    const reply = await context.request.post(`${base}/api/account/avatar`, {
      ...RETRY_RESET,
      multipart: { avatar: { name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('plain text, not a picture') } },
    });
    expect((await reply.json()).errno).toBe(3001);
  });

  it('shows the avatar on the space page, and removes it', async () => {
    await page.goto(`${base}/space/${uid}`);
    await loadedImage(page, '#profile-avatar');
    await shots(page, 'space-avatar');
    await page.goto(`${base}/settings`);
    await page.click('#avatar-remove');
    await page.waitForSelector('#avatar-ok:has-text("头像已移除")');
    await page.waitForSelector('span#avatar-current');
    await page.waitForSelector('span#nav-avatar');
  });

  it('lists the sessions with this device marked, and ends another one', async () => {
    const other = await openContext({ userAgent: IPHONE });
    await logIn(other.context, email);
    await page.goto(`${base}/settings`);
    await page.waitForSelector('#sessions .session');
    const rows = await page.$$eval('#sessions .session', (items) =>
      items.map((item) => ({ current: item.getAttribute('data-current'), device: item.querySelector('.device')?.textContent })),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ current: 'true', device: expect.stringMatching(/^Chrome \d+ · Linux$/) });
    expect(rows[1]).toEqual({ current: 'false', device: 'Safari 17 · iOS' });
    expect(await page.textContent('.session[data-current="true"] .badge')).toBe('本设备');
    await shots(page, 'settings-sessions');
    await page.click('.session[data-current="false"] .end-session');
    await page.waitForFunction(() => document.querySelectorAll('#sessions .session').length === 1);
    expect((await (await other.context.request.get(`${base}/api/account/me`, RETRY_RESET)).json()).errno).toBe(1011);
  });

  it('logs out everywhere else at once', async () => {
    for (let i = 0; i < 2; i++) await logIn((await openContext()).context, email);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#sessions .session').length === 3);
    await page.click('#end-others');
    await page.waitForSelector('.success:has-text("已退出 2 个其他设备")');
    await page.waitForFunction(() => document.querySelectorAll('#sessions .session').length === 1);
  });

  it('changes the password: a wrong current one is said under its field', async () => {
    await page.fill('#current-password', 'not-it-123');
    await page.fill('#new-password1', 'changed789');
    await page.fill('#new-password2', 'changed789');
    await page.click('#password-save');
    await page.waitForSelector('#current-password-error:has-text("密码错误")');
    await page.fill('#current-password', PASSWORD);
    await page.click('#password-save');
    await page.waitForSelector('#password-ok');
    // Put back for the steps below.
    expect(
      (
        await (
          await context.request.post(
            `${base}/api/account/password`,
            form({ password: 'changed789', password_1: PASSWORD, password_2: PASSWORD }),
          )
        ).json()
      ).errno,
    ).toBe(0);
  });

  it('changes the email with a code mailed to the new address', async () => {
    const next = randomEmail('web-moved');
    await page.fill('#new-email', next);
    await page.click('#email-send-code');
    await page.waitForSelector('text=秒后重发');
    await page.fill('#email-code', mailedCode(next));
    await page.click('#email-save');
    await page.waitForSelector('#email-ok:has-text("邮箱已更换")');
    expect(await page.textContent('#current-email')).toBe(`当前邮箱：${next}`);
  });

  it('looks right in the dark', async () => {
    const dark = await openContext({ colorScheme: 'dark' });
    await logIn(dark.context, String(uid));
    await dark.page.goto(`${base}/settings`);
    await dark.page.waitForSelector('#sessions .session');
    await shots(dark.page, 'settings-dark');
  });

  it('deletes the account only after the username is typed, then it is gone', async () => {
    await page.goto(`${base}/settings`);
    await page.waitForSelector('#delete-confirm');
    expect(await page.isDisabled('#delete-account')).toBe(true);
    await page.fill('#delete-confirm', '别的名字');
    await page.fill('#delete-password', PASSWORD);
    expect(await page.isDisabled('#delete-account')).toBe(true);
    await page.fill('#delete-confirm', '新名字');
    await page.click('#delete-account');
    await page.waitForSelector('#account-deleted:has-text("账号已删除")');
    await page.waitForSelector('#nav-login');
    await page.goto(`${base}/space/${uid}`);
    await page.waitForSelector('#space-error:has-text("用户不存在")');
  });
});

describe('admin', () => {
  let admin: Page;
  let userContext: BrowserContext;
  let userPage: Page;
  const userEmail = randomEmail('web-managed');

  beforeAll(async () => {
    const opened = await openContext();
    admin = opened.page;
    await signUp(opened.context, adminEmail, '管理员');
    ({ context: userContext, page: userPage } = await openContext());
    await signUp(userContext, userEmail, '被管理的人');
  });

  it('is linked in the header of an admin only; anyone else gets 没有权限', async () => {
    await userPage.goto(`${base}/`);
    await userPage.waitForSelector('#nav-user');
    expect(await userPage.$('#nav-admin')).toBeNull();
    await userPage.goto(`${base}/admin`);
    await userPage.waitForSelector('#forbidden:has-text("没有权限")');
    expect(await title(userPage)).toBe('没有权限 · 个人空间');

    await admin.goto(`${base}/`);
    await admin.click('#nav-admin');
    await admin.waitForURL(/\/admin$/);
    await admin.waitForSelector('#admin-users tbody tr');
    expect(await title(admin)).toBe('管理 · 个人空间');
  });

  it('finds a user, sets a quota in GiB and disables the account: its login then says 账号已停用', async () => {
    await admin.fill('#admin-q', userEmail.toUpperCase());
    await admin.click('#admin-search');
    await admin.waitForFunction(() => document.querySelectorAll('#admin-users tr[data-uid]').length === 1);
    const row = admin.locator('#admin-users tr[data-uid]');
    expect(await row.locator('.mail').textContent()).toBe(userEmail);
    expect(await row.locator('.storage').textContent()).toBe('0 B / 不限');

    await row.locator('.edit-quota').click();
    await admin.fill('.quota-amount', '2');
    await admin.selectOption('.quota-unit', String(1024 ** 3));
    await admin.click('.quota-save');
    await admin.waitForSelector('#admin-users tr[data-uid] .storage:has-text("0 B / 2.0 GB")');

    await row.locator('.toggle-disabled').click();
    await admin.waitForSelector('#admin-users tr[data-disabled="true"]');
    await shots(admin, 'admin');

    // Its session ended at once; logging in again is refused.
    expect((await (await userContext.request.get(`${base}/api/account/me`, RETRY_RESET)).json()).errno).toBe(1011);
    await userPage.goto(`${base}/login`);
    await userPage.fill('#user', userEmail);
    await userPage.fill('#password', PASSWORD);
    await userPage.click('#login-submit');
    await userPage.waitForSelector('.error[role="alert"]:has-text("账号已停用")');

    await row.locator('.toggle-disabled').click();
    await admin.waitForSelector('#admin-users tr[data-disabled="false"]');
    await userPage.click('#login-submit');
    await userPage.waitForURL(/\/space\/\d{10}$/);
  });

  it('says when nothing matches', async () => {
    await admin.fill('#admin-q', 'nobody-has-this-name-at-all');
    await admin.click('#admin-search');
    await admin.waitForSelector('.empty:has-text("没有找到用户")');
  });
});

describe('in English', () => {
  it('speaks English with plurals: 0 videos, 1 video', async () => {
    const { context, page } = await openContext({ locale: 'en-US' });
    const uid = await signUp(context, randomEmail('web-en'), 'Ann');
    await page.goto(`${base}/space/${uid}`);
    await page.waitForSelector('#video-count');
    expect(await page.textContent('#profile-name + .muted')).toMatch(/· 0 videos$/);
    expect(await title(page)).toBe('Ann · Personal Space');
    const upload = await context.request.post(`${base}/api/videos/video_upload`, {
      ...RETRY_RESET,
      multipart: { video: { name: 'clip.mp4', mimeType: 'video/mp4', buffer: mp4() } },
    });
    expect((await upload.json()).errno).toBe(0);
    await page.reload();
    await page.waitForSelector('.video-card');
    expect(await page.textContent('#profile-name + .muted')).toMatch(/· 1 video$/);
    await page.goto(`${base}/login`);
    expect(await title(page)).toBe('Log in · Personal Space');
    await page.goto(`${base}/forgot`);
    await page.waitForSelector('#reset-submit');
    expect(await page.textContent('#password1-hint')).toBe('8 to 64 characters, with at least one letter and one digit');
    await shots(page, 'forgot-en');
  });
});
