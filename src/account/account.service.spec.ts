import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { PreparedStatements } from '../database/prepared-statements.js';
import { Video } from '../videos/video.entity.js';
import { VideoRepository } from '../videos/video.repository.js';
import { memoryDatabase } from '../../test/support/database.js';
import { errnoOf, memoryKv, StepClock, unitConfig } from '../../test/support/unit.js';
import { AccountSessionUsers } from './account-ports.js';
import { AccountService } from './account.service.js';
import { LOGIN_RULES, LoginLimiter } from './login-limiter.js';
import type { MailService } from './mail/mail.service.js';
import { User } from './user.entity.js';
import { VCODE_RULES, VcodeStore } from './vcode.store.js';
import type { AccountSessionStore, StoredSession } from '../session/account-sessions.js';
import { SessionDirectory } from '../session/session-directory.js';

/** The mail server, as a list; `refuse` makes the next sends fail as a refusing server does (1006). */
class FakeMail {
  readonly sent: { to: string; code: string }[] = [];
  refuse = false;
  sendVerificationCode(to: string, code: string): Promise<void> {
    if (this.refuse) return Promise.reject(new ErrnoError(Errno.MailFailed));
    this.sent.push({ to, code });
    return Promise.resolve();
  }
  lastCode(to: string): string {
    const mail = this.sent.filter((m) => m.to === to.toLowerCase()).at(-1);
    if (!mail) throw new Error(`no code mailed to ${to}`);
    return mail.code;
  }
}

/** A session store as a map from sid to account id. */
class FakeSessions implements AccountSessionStore {
  readonly live = new Map<string, number>();
  sessionsOf(userId: number): Promise<StoredSession[]> {
    const mine = [...this.live].filter(([, owner]) => owner === userId);
    return Promise.resolve(mine.map(([sid]) => ({ sid, data: { cookie: { originalMaxAge: null } } })));
  }
  destroyMany(sids: string[]): Promise<void> {
    for (const sid of sids) this.live.delete(sid);
    return Promise.resolve();
  }
}

/** Hands out the uids it is given first, then random ones: collisions on demand. */
class ScriptedUids extends AccountService {
  uids: number[] = [];
  protected override newUid(): number {
    return this.uids.shift() ?? super.newUid();
  }
}

const PASSWORD = 'secret123';
const IP = '192.0.2.1';

describe('AccountService on SQLite', () => {
  let db: DataSource;
  let clock: StepClock;
  let mail: FakeMail;
  let accounts: ScriptedUids;
  let sessions: FakeSessions;

  beforeEach(async () => {
    db = await memoryDatabase();
    const config = unitConfig();
    clock = new StepClock();
    mail = new FakeMail();
    sessions = new FakeSessions();
    const { kv, exclusive } = memoryKv(config);
    accounts = new ScriptedUids(
      db.getRepository(User),
      new VcodeStore(kv, exclusive, clock, config),
      mail as unknown as MailService,
      new LoginLimiter(kv, exclusive, clock),
      clock,
      new VideoRepository(db.getRepository(Video), new PreparedStatements(db)),
      config,
      new SessionDirectory(sessions),
      new PreparedStatements(db),
    );
  });

  afterEach(() => db.destroy());

  let n = 0;
  const newEmail = () => `user${++n}@example.com`;

  /** A registration the way a client makes it: code by mail, validated, then register. */
  async function registered(email = newEmail(), username = '小明') {
    await accounts.sendVcode(email, { ip: IP });
    await accounts.validateVcode(email, mail.lastCode(email), IP);
    return accounts.register({ email, username, password_1: PASSWORD, password_2: PASSWORD }, IP);
  }

  describe('sendVcode', () => {
    it('mails a code only to a well-formed address without an account, in any letter case', async () => {
      expect(await errnoOf(accounts.sendVcode('not-an-email', { ip: IP }))).toBe(Errno.InvalidEmail);
      expect(await errnoOf(accounts.sendVcode(undefined, { ip: IP }))).toBe(Errno.InvalidEmail);
      const user = await registered();
      expect(await errnoOf(accounts.sendVcode(user.email.toUpperCase(), { ip: IP }))).toBe(Errno.AccountExists);
      expect(mail.sent.map((m) => m.to)).toEqual([user.email]);
    });

    it('gives the send back when the mail fails: 1006, and the next try is not held by the cooldown', async () => {
      const email = newEmail();
      mail.refuse = true;
      expect(await errnoOf(accounts.sendVcode(email, { ip: IP }))).toBe(Errno.MailFailed);
      expect(await errnoOf(accounts.validateVcode(email, '123456', IP))).toBe(Errno.NoVcode);
      mail.refuse = false;
      expect(await errnoOf(accounts.sendVcode(email, { ip: IP }))).toBe('ok');
    });
  });

  describe('register', () => {
    it('stores the account with a lower-case email, a 10-digit uid, an argon2id hash and a time to the second', async () => {
      clock.time = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
      const email = newEmail();
      const user = await registered(email.toUpperCase(), '  小明 ');
      const row = await db.getRepository(User).findOneByOrFail({ id: user.id });
      expect(row.email).toBe(email);
      expect(String(row.uid)).toMatch(/^[1-9]\d{9}$/);
      expect(row.username).toBe('  小明 ');
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain(PASSWORD);
      expect(row.createdAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    });

    it('checks in the contract order: 1004, 1010, 1009, 1008 / 1007, 1001, 1002, 1003', async () => {
      const taken = await registered();
      const email = newEmail();
      const form = { email, username: 'u', password_1: PASSWORD, password_2: PASSWORD };
      expect(await errnoOf(accounts.register({ ...form, email: 'bad' }, IP))).toBe(Errno.InvalidEmail);
      expect(await errnoOf(accounts.register({ ...form, email: taken.email, username: '' }, IP))).toBe(Errno.AccountExists);
      expect(await errnoOf(accounts.register({ ...form, username: '' }, IP))).toBe(Errno.NoVcode);
      await accounts.sendVcode(email, { ip: IP });
      const code = mail.lastCode(email);
      expect(await errnoOf(accounts.register({ ...form, vcode: code === '000000' ? '000001' : '000000' }, IP))).toBe(Errno.WrongVcode);
      expect(await errnoOf(accounts.register({ ...form, vcode: code, username: 'x'.repeat(21) }, IP))).toBe(Errno.InvalidUsername);
      expect(await errnoOf(accounts.register({ ...form, vcode: code, password_1: 'short1', password_2: 'short1' }, IP))).toBe(
        Errno.InvalidPassword,
      );
      expect(await errnoOf(accounts.register({ ...form, vcode: code, password_2: 'secret124' }, IP))).toBe(Errno.PasswordMismatch);
      clock.time += 5 * 60_000;
      expect(await errnoOf(accounts.register({ ...form, vcode: code }, IP))).toBe(Errno.VcodeExpired);
      expect(await db.getRepository(User).count()).toBe(1);
    });

    it('takes a right code instead of the verified mark, and uses it up', async () => {
      const email = newEmail();
      await accounts.sendVcode(email, { ip: IP });
      const vcode = mail.lastCode(email);
      const user = await accounts.register({ email, vcode, username: 'u', password_1: PASSWORD, password_2: PASSWORD }, IP);
      expect(user.email).toBe(email);
      await db.getRepository(User).delete({ id: user.id });
      expect(await errnoOf(accounts.register({ email, vcode, username: 'u', password_1: PASSWORD, password_2: PASSWORD }, IP))).toBe(
        Errno.NoVcode,
      );
    });

    it('lets one of two registers at once for one email win; the other answers 1010', async () => {
      const email = newEmail();
      await accounts.sendVcode(email, { ip: IP });
      await accounts.validateVcode(email, mail.lastCode(email), IP);
      const form = { email, username: 'u', password_1: PASSWORD, password_2: PASSWORD };
      const outcomes = await Promise.all([errnoOf(accounts.register(form, IP)), errnoOf(accounts.register(form, IP))]);
      expect(outcomes.sort()).toEqual(['ok', Errno.AccountExists].sort());
      expect(await db.getRepository(User).countBy({ email })).toBe(1);
    });

    it('maps the email unique index to 1010 when the account appears between the check and the insert', async () => {
      const email = newEmail();
      await accounts.sendVcode(email, { ip: IP });
      await accounts.validateVcode(email, mail.lastCode(email), IP);
      // Another instance inserts the account after this register's checks passed.
      const users = db.getRepository(User);
      const save = users.save.bind(users);
      vi.spyOn(users, 'save').mockImplementationOnce(async (entity) => {
        await users.insert({ email, uid: 1_111_111_111, username: 'first', passwordHash: 'x', createdAt: new Date() });
        return save(entity as User);
      });
      const outcome = await errnoOf(accounts.register({ email, username: 'u', password_1: PASSWORD, password_2: PASSWORD }, IP));
      expect(outcome).toBe(Errno.AccountExists);
      expect(await users.findOneByOrFail({ email })).toMatchObject({ username: 'first' });
    });

    it('draws another uid when the one drawn is taken', async () => {
      const first = await registered();
      accounts.uids = [first.uid, first.uid, 2_222_222_222];
      const second = await registered();
      expect(second.uid).toBe(2_222_222_222);
    });

    it('gives up after five taken uids with the database error, never a wrong errno', async () => {
      const first = await registered();
      accounts.uids = Array.from({ length: 5 }, () => first.uid);
      await expect(registered()).rejects.toBeInstanceOf(QueryFailedError);
      expect(await db.getRepository(User).count()).toBe(1);
    });
  });

  describe('authenticate', () => {
    it('finds the account by email in any case or by uid, and carries no password hash', async () => {
      const user = await registered();
      const expected = { id: user.id, uid: user.uid, username: '小明', role: 'user' };
      expect(await accounts.authenticate(user.email.toUpperCase(), PASSWORD, { ip: IP })).toEqual(expected);
      expect(await accounts.authenticate(String(user.uid), PASSWORD, { ip: IP })).toEqual(expected);
    });

    it('answers 1001 for no such account (an empty login too) and 1002 for a wrong or empty password', async () => {
      const user = await registered();
      expect(await errnoOf(accounts.authenticate('', PASSWORD, { ip: IP }))).toBe(Errno.NotRegistered);
      expect(await errnoOf(accounts.authenticate('nobody@example.com', PASSWORD, { ip: IP }))).toBe(Errno.NotRegistered);
      expect(await errnoOf(accounts.authenticate('1000000000', PASSWORD, { ip: IP }))).toBe(Errno.NotRegistered);
      expect(await errnoOf(accounts.authenticate(user.email, 'secret124', { ip: IP }))).toBe(Errno.WrongPassword);
      expect(await errnoOf(accounts.authenticate(user.email, '', { ip: IP }))).toBe(Errno.WrongPassword);
    });

    it('locks the address out after its five wrong passwords, the right one included, until the lock ends', async () => {
      const user = await registered();
      for (let i = 0; i < LOGIN_RULES.maxFailures; i++) await errnoOf(accounts.authenticate(user.email, 'wrong1234', { ip: IP }));
      expect(await errnoOf(accounts.authenticate(user.email, PASSWORD, { ip: IP }))).toBe(Errno.TooFrequent);
      clock.time += LOGIN_RULES.lockMs;
      expect(await errnoOf(accounts.authenticate(user.email, PASSWORD, { ip: IP }))).toBe('ok');
    });
  });

  describe('profiles', () => {
    it('shows the owner their email and every space its videos, counted in the database', async () => {
      const user = await registered();
      await db.getRepository(Video).insert(
        ['a', 'b'].map((c) => ({
          id: c.repeat(20),
          uid: user.uid,
          title: 't',
          description: '',
          size: 1,
          mime: 'video/mp4',
          sha256: '0'.repeat(64),
          status: 'ready' as const,
          storageKey: `videos/${c.repeat(20)}`,
          createdAt: new Date(),
        })),
      );
      const viewer = await accounts.authenticate(user.email, PASSWORD, { ip: IP });
      expect(await accounts.me(viewer)).toMatchObject({ uid: user.uid, email: user.email, video_count: 2 });
      const profile = await accounts.publicProfile(String(user.uid));
      expect(profile).toEqual({
        uid: user.uid,
        username: '小明',
        created_at: user.createdAt.toISOString(),
        video_count: 2,
        bio: '',
        avatar_url: null,
      });
      expect(await errnoOf(accounts.publicProfile('123'))).toBe(Errno.NotRegistered);
      expect(await errnoOf(accounts.publicProfile('1000000000'))).toBe(Errno.NotRegistered);
    });

    it('forgets an account that is gone: me answers 1011 and there is no session user', async () => {
      const user = await registered();
      const viewer = await accounts.authenticate(user.email, PASSWORD, { ip: IP });
      await db.getRepository(User).delete({ id: user.id });
      expect(await errnoOf(accounts.me(viewer))).toBe(Errno.LoginRequired);
      // A session from before SessionUser (the bare account id) finds no account to log in.
      expect(await new AccountSessionUsers(db.getRepository(User), unitConfig()).sessionUser(user.id)).toBeNull();
    });
  });

  describe('codes with a purpose, reset and change (issue #12)', () => {
    it('takes a code only for the purpose and email it was mailed for', async () => {
      const user = await registered();
      clock.time += VCODE_RULES.resendCooldownMs;
      await accounts.sendVcode(user.email, { ip: IP }, 'reset');
      const code = mail.lastCode(user.email);
      // Cooldowns hold across purposes: the same email cannot get another code at once.
      expect(await errnoOf(accounts.sendVcode(user.email, { ip: IP }, 'reset'))).toBe(Errno.TooFrequent);
      expect(await errnoOf(accounts.validateVcode(user.email, code, IP, 'register'))).toBe(Errno.NoVcode);
      expect(await accounts.validateVcode(user.email, code, IP, 'reset')).toBeUndefined();
    });

    it('refuses reset codes for unknown emails (1001) and email codes without a login (1011) or for a taken address (1010)', async () => {
      const user = await registered();
      expect(await errnoOf(accounts.sendVcode(newEmail(), { ip: IP }, 'reset'))).toBe(Errno.NotRegistered);
      expect(await errnoOf(accounts.sendVcode(newEmail(), { ip: IP }, 'email'))).toBe(Errno.LoginRequired);
      const viewer = await accounts.authenticate(user.email, PASSWORD, { ip: IP });
      expect(await errnoOf(accounts.sendVcode(user.email, { ip: IP, viewer }, 'email'))).toBe(Errno.AccountExists);
    });

    it('resets a password: every session ends and the lockout is lifted', async () => {
      const user = await registered();
      sessions.live
        .set('a', user.uid)
        .set('b', user.uid)
        .set('other', user.uid + 1);
      for (let i = 0; i < LOGIN_RULES.maxFailures; i++) await errnoOf(accounts.authenticate(user.email, 'wrong1234', { ip: IP }));
      expect(await errnoOf(accounts.authenticate(user.email, PASSWORD, { ip: IP }))).toBe(Errno.TooFrequent);
      clock.time += VCODE_RULES.resendCooldownMs;
      await accounts.sendVcode(user.email, { ip: IP }, 'reset');
      const vcode = mail.lastCode(user.email);
      expect(await errnoOf(accounts.resetPassword({ email: user.email, vcode, password_1: 'short', password_2: 'short' }, IP))).toBe(
        Errno.InvalidPassword,
      );
      await accounts.resetPassword({ email: user.email, vcode, password_1: 'newpass123', password_2: 'newpass123' }, IP);
      expect([...sessions.live.keys()]).toEqual(['other']);
      expect(await errnoOf(accounts.authenticate(user.email, 'newpass123', { ip: IP }))).toBe('ok');
      // The code is used up.
      expect(
        await errnoOf(accounts.resetPassword({ email: user.email, vcode, password_1: 'again1234', password_2: 'again1234' }, IP)),
      ).toBe(Errno.NoVcode);
    });

    it('changes a password only with the current one, ending the other sessions', async () => {
      const user = await registered();
      const viewer = await accounts.authenticate(user.email, PASSWORD, { ip: IP });
      sessions.live.set('mine', user.uid).set('phone', user.uid);
      const change = { password: 'wrong1234', password_1: 'newpass123', password_2: 'newpass123' };
      expect(await errnoOf(accounts.changePassword(viewer, change, { ip: IP }, 'mine'))).toBe(Errno.WrongPassword);
      expect(sessions.live.size).toBe(2);
      await accounts.changePassword(viewer, { ...change, password: PASSWORD }, { ip: IP }, 'mine');
      expect([...sessions.live.keys()]).toEqual(['mine']);
      expect(await errnoOf(accounts.authenticate(user.email, PASSWORD, { ip: IP }))).toBe(Errno.WrongPassword);
    });

    it('refuses a disabled account at login (1012) only after the right password', async () => {
      const user = await registered();
      await db.getRepository(User).update({ id: user.id }, { disabled: true });
      expect(await errnoOf(accounts.authenticate(user.email, 'wrong1234', { ip: IP }))).toBe(Errno.WrongPassword);
      expect(await errnoOf(accounts.authenticate(user.email, PASSWORD, { ip: IP }))).toBe(Errno.AccountDisabled);
    });
  });
});
