import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { violatedUnique } from '../database/duplicate-key.js';
import { Clock } from '../infra/clock.js';
import { toSessionUser, type SessionUser } from '../session/session-user.js';
import { VideoCounts } from '../videos/video-counts.js';
import { canonicalEmail, isUid, isValidEmail, isValidPassword, isValidUsername } from './account.rules.js';
import { LoginLimiter, type LoginSource } from './login-limiter.js';
import { MailService } from './mail/mail.service.js';
import { hashPassword, verifyDummy, verifyPassword } from './password.js';
import { toOwnProfileResponse, toProfileResponse, type OwnProfileResponse, type ProfileResponse } from './profile.response.js';
import { User } from './user.entity.js';
import { VcodeStore } from './vcode.store.js';

export interface RegisterInput {
  username?: string;
  password_1?: string;
  password_2?: string;
  email?: string;
  vcode?: string;
}

/** Where a login comes from: the source address, and the device cookie's id if valid for an account. */
export interface LoginAttempt {
  ip: string;
  deviceFor?: (uid: number) => string | undefined;
}

const UID_ATTEMPTS = 5;
/** Everything but the password hash. */
const PROFILE_COLUMNS = { id: true, uid: true, username: true, email: true, createdAt: true } as const;

/** The account rules of the contract; each check in the contract's order, each outcome an ErrnoError. */
@Injectable()
export class AccountService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly vcodes: VcodeStore,
    private readonly mail: MailService,
    private readonly limiter: LoginLimiter,
    private readonly clock: Clock,
    private readonly videoCounts: VideoCounts,
  ) {}

  /** 1004, 1010, 1005, then the mail (1006); the code is stored only once the mail went out. */
  async sendVcode(rawEmail: string | undefined, ip: string): Promise<void> {
    const email = this.email(rawEmail);
    await this.assertNoAccount(email);
    await this.vcodes.claimSend(email, ip);
    const code = VcodeStore.generate();
    try {
      await this.mail.sendVerificationCode(email, code);
    } catch (error) {
      await this.vcodes.releaseSend(email, ip);
      throw error;
    }
    await this.vcodes.saveSent(email, code);
  }

  /** 1004, 1009, 1008, 1007 (1005: this source guessed too often); a right code marks the email verified for 30 minutes. */
  async validateVcode(rawEmail: string | undefined, vcode: string | undefined, source: string): Promise<void> {
    const email = this.email(rawEmail);
    await this.vcodes.check(email, vcode ?? '', source);
    await this.vcodes.markVerified(email);
  }

  /** 1004, 1010, verification (1009 / 1008 / 1007), 1001, 1002, 1003; the email's unique index decides races. */
  async register(input: RegisterInput, source: string): Promise<User> {
    const email = this.email(input.email);
    await this.assertNoAccount(email);
    await this.assertVerified(email, input.vcode, source);
    if (!isValidUsername(input.username)) throw new ErrnoError(Errno.InvalidUsername);
    if (!isValidPassword(input.password_1)) throw new ErrnoError(Errno.InvalidPassword);
    if (input.password_1 !== input.password_2) throw new ErrnoError(Errno.PasswordMismatch);

    const passwordHash = await hashPassword(input.password_1);
    const user = await this.insertUser({ email, username: input.username, passwordHash });
    await this.vcodes.consume(email);
    return user;
  }

  /**
   * Login checks: 1001 (no such account), 1005 (this source is over its limits, or the hashing
   * pool is full), 1002 (wrong password). The source's slot is taken before anything is hashed.
   */
  async authenticate(login: string, password: string, from: LoginAttempt): Promise<SessionUser> {
    await this.limiter.admit(from.ip);
    const user = await this.findByLogin(login);
    if (!user) {
      await verifyDummy(password);
      throw new ErrnoError(Errno.NotRegistered);
    }
    const source: LoginSource = { ip: from.ip, device: from.deviceFor?.(user.uid) };
    await this.limiter.begin(user.uid, source);
    const right = await verifyPassword(user.passwordHash, password).catch(async (error: unknown) => {
      await this.limiter.cancel(user.uid, source);
      throw error;
    });
    if (!right) {
      await this.limiter.recordFailure(user.uid, source);
      throw new ErrnoError(Errno.WrongPassword);
    }
    await this.limiter.reset(user.uid, source);
    return toSessionUser(user);
  }

  /** What `me` shows of the logged-in account (1011 if it went since the session was read). */
  async me(viewer: SessionUser): Promise<OwnProfileResponse> {
    const user = await this.users.findOne({ where: { id: viewer.id }, select: PROFILE_COLUMNS });
    if (!user) throw new ErrnoError(Errno.LoginRequired);
    return toOwnProfileResponse(user, await this.videoCounts.countByOwner(user.uid));
  }

  /** A space's public profile by uid; 1001 when no account has it. */
  async publicProfile(uid: string): Promise<ProfileResponse> {
    const user = isUid(uid) ? await this.users.findOne({ where: { uid: Number(uid) }, select: PROFILE_COLUMNS }) : null;
    if (!user) throw new ErrnoError(Errno.NotRegistered);
    return toProfileResponse(user, await this.videoCounts.countByOwner(user.uid));
  }

  /** The SessionUser of a live account, or null when it is gone. */
  async sessionUser(id: number): Promise<SessionUser | null> {
    const user = await this.users.findOne({ where: { id }, select: { id: true, uid: true, username: true } });
    return user ? toSessionUser(user) : null;
  }

  /** The canonical form (see canonicalEmail) of a valid address; 1004 otherwise. */
  private email(raw: string | undefined): string {
    const email = raw === undefined ? undefined : canonicalEmail(raw);
    if (!isValidEmail(email)) throw new ErrnoError(Errno.InvalidEmail);
    return email;
  }

  private async assertNoAccount(email: string): Promise<void> {
    if (await this.users.existsBy({ email })) throw new ErrnoError(Errno.AccountExists);
  }

  /** The verified mark, or else a right and live `vcode`. */
  private async assertVerified(email: string, vcode: string | undefined, source: string): Promise<void> {
    try {
      if (await this.vcodes.isVerified(email)) return;
      if (!vcode) throw new ErrnoError(Errno.NoVcode);
      await this.vcodes.check(email, vcode, source);
    } catch (error) {
      // A register racing ours may have just won and consumed the mark: that is 1010, not 1009.
      if (error instanceof ErrnoError) await this.assertNoAccount(email);
      throw error;
    }
  }

  private async findByLogin(login: string): Promise<User | null> {
    if (!login) return null;
    if (isUid(login)) return this.users.findOneBy({ uid: Number(login) });
    return this.users.findOneBy({ email: canonicalEmail(login) });
  }

  private async insertUser(fields: Pick<User, 'email' | 'username' | 'passwordHash'>): Promise<User> {
    for (let attempt = 1; ; attempt++) {
      const user = this.users.create({ ...fields, uid: this.newUid(), createdAt: this.now() });
      try {
        return await this.users.save(user);
      } catch (error) {
        const column = violatedUnique(error, 'users', ['email', 'uid'] as const);
        if (column === 'email') throw new ErrnoError(Errno.AccountExists);
        if (column !== 'uid' || attempt >= UID_ATTEMPTS) throw error;
      }
    }
  }

  /** A random 10-digit uid; the unique index catches the rare collision. */
  protected newUid(): number {
    return randomInt(1_000_000_000, 10_000_000_000);
  }

  /** Whole seconds: what both MySQL's DATETIME and SQLite keep. */
  private now(): Date {
    return new Date(Math.floor(this.clock.now() / 1000) * 1000);
  }
}
