import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { Errno, type Language } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { AppConfig } from '../config/app-config.js';
import { violatedUnique } from '../database/duplicate-key.js';
import { Clock } from '../infra/clock.js';
import { SessionDirectory } from '../session/session-directory.js';
import { toSessionUser, type Role, type SessionUser } from '../session/session-user.js';
import { OwnerVideos } from '../videos/owner-videos.js';
import {
  canonicalEmail,
  effectiveQuota,
  isUid,
  isValidEmail,
  isValidPassword,
  isValidUsername,
  mayRegister,
  roleFor,
  type CodePurpose,
} from './account.rules.js';
import { LoginLimiter, type LoginSource } from './login-limiter.js';
import { MailService } from './mail/mail.service.js';
import { hashPassword, verifyDummy, verifyPassword } from './password.js';
import { toOwnProfileResponse, toProfileResponse, type OwnProfileResponse, type ProfileResponse } from './profile.response.js';
import { PreparedStatements } from '../database/prepared-statements.js';
import { LIVE, User } from './user.entity.js';
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

export interface PasswordChange {
  password?: string;
  password_1?: string;
  password_2?: string;
}

export interface ResetInput extends PasswordChange {
  email?: string;
  vcode?: string;
}

/** Who asks for a code: the source address and language; the logged-in account for purpose `email`. */
export interface CodeRequest {
  ip: string;
  language?: Language;
  viewer?: SessionUser;
}

const UID_ATTEMPTS = 5;
/** Everything but the password hash. */
export const PROFILE_COLUMNS = {
  id: true,
  uid: true,
  username: true,
  email: true,
  createdAt: true,
  bio: true,
  avatarVersion: true,
  storageQuota: true,
} as const;
const PROFILE_FIELDS = Object.keys(PROFILE_COLUMNS) as (keyof typeof PROFILE_COLUMNS)[];
/** What a login reads of the account. */
const LOGIN_FIELDS = ['id', 'uid', 'username', 'email', 'passwordHash', 'disabled'] as const;

/** The account rules of the contract; each check in the contract's order, each outcome an ErrnoError. */
@Injectable()
export class AccountService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly vcodes: VcodeStore,
    private readonly mail: MailService,
    private readonly limiter: LoginLimiter,
    private readonly clock: Clock,
    private readonly videoCounts: OwnerVideos,
    private readonly config: AppConfig,
    private readonly sessions: SessionDirectory,
    statements: PreparedStatements,
  ) {
    this.liveProfile = statements.entity(User, 'id = ? AND deleted_at IS NULL', PROFILE_FIELDS);
    this.loginByEmail = statements.entity(User, 'email = ? AND deleted_at IS NULL', LOGIN_FIELDS);
    this.loginByUid = statements.entity(User, 'uid = ? AND deleted_at IS NULL', LOGIN_FIELDS);
  }

  /** `me` on every page of the client, and every login: prepared. */
  private readonly liveProfile: (parameters: [number]) => Promise<User | null>;
  private readonly loginByEmail: (parameters: [string]) => Promise<User | null>;
  private readonly loginByUid: (parameters: [number]) => Promise<User | null>;

  /**
   * Mails a code for `purpose`, each with its checks in the contract's order, then 1005 (cooldown
   * per email and sends per address, across purposes) and the mail (1006). The code is stored only
   * once the mail went out.
   *
   * - register: 1004, 1013, 1010;
   * - reset: 1004, 1001 (no account);
   * - email (logged in: the controller answered 1011 already): 1004, 1010 (the new address is taken).
   */
  async sendVcode(rawEmail: string | undefined, from: CodeRequest, purpose: CodePurpose = 'register'): Promise<void> {
    if (purpose === 'email' && !from.viewer) throw new ErrnoError(Errno.LoginRequired);
    const email = this.email(rawEmail);
    if (purpose === 'register') this.assertMayRegister(email);
    if (purpose === 'reset') {
      if (!(await this.users.existsBy({ email, ...LIVE }))) throw new ErrnoError(Errno.NotRegistered);
    } else {
      await this.assertNoAccount(email);
    }
    await this.vcodes.claimSend(email, from.ip);
    const code = VcodeStore.generate();
    try {
      await this.mail.sendVerificationCode(email, code, purpose, from.language);
    } catch (error) {
      await this.vcodes.releaseSend(email, from.ip);
      throw error;
    }
    await this.vcodes.saveSent(email, code, purpose);
  }

  /**
   * 1004 (1013 for purpose register), 1009, 1008, 1007 (1005: this source guessed too often). A
   * right register code marks the email verified for 30 minutes; a code of another purpose is
   * only checked (it stays usable).
   */
  async validateVcode(
    rawEmail: string | undefined,
    vcode: string | undefined,
    source: string,
    purpose: CodePurpose = 'register',
  ): Promise<void> {
    const email = this.email(rawEmail);
    if (purpose === 'register') this.assertMayRegister(email);
    await this.vcodes.check(email, vcode ?? '', source, purpose);
    if (purpose === 'register') await this.vcodes.markVerified(email);
  }

  /** 1004, 1013, 1010, verification (1009 / 1008 / 1007), 1001, 1002, 1003; the email's unique index decides races. */
  async register(input: RegisterInput, source: string): Promise<User> {
    const email = this.email(input.email);
    this.assertMayRegister(email);
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
   * pool is full), 1002 (wrong password), 1012 (disabled: only after the right password, so that a
   * guesser learns nothing). The source's slot is taken before anything is hashed.
   */
  async authenticate(login: string, password: string, from: LoginAttempt): Promise<SessionUser> {
    await this.limiter.admit(from.ip);
    const user = await this.findByLogin(login);
    if (!user) {
      await verifyDummy(password);
      throw new ErrnoError(Errno.NotRegistered);
    }
    await this.checkPassword(user, password, from);
    if (user.disabled) throw new ErrnoError(Errno.AccountDisabled);
    return toSessionUser(user, this.roleOf(user.email));
  }

  /**
   * The password of a logged-in account, for what needs it again (a change, a deletion): counted
   * like a login (1005 when this source is locked out, 1002 wrong). Resolves with the account.
   */
  async confirmPassword(viewer: SessionUser, password: string | undefined, from: LoginAttempt): Promise<User> {
    const user = await this.users.findOneBy({ id: viewer.id, ...LIVE });
    if (!user) throw new ErrnoError(Errno.LoginRequired);
    await this.checkPassword(user, password ?? '', from);
    return user;
  }

  /**
   * 1004, 1001 (no account), the code (1009 / 1008 / 1007; 1005 for a source that guessed too
   * often), 1002, 1003. Sets the password, uses the code up, ends every session of the account and
   * lifts its login lockout.
   */
  async resetPassword(input: ResetInput, source: string): Promise<void> {
    const email = this.email(input.email);
    const user = await this.users.findOne({ where: { email, ...LIVE }, select: { id: true, uid: true } });
    if (!user) throw new ErrnoError(Errno.NotRegistered);
    await this.vcodes.check(email, input.vcode ?? '', source, 'reset');
    const passwordHash = await this.newPasswordHash(input);
    await this.users.update({ id: user.id }, { passwordHash });
    await this.vcodes.consume(email, 'reset');
    await this.sessions.endAll(user.uid);
    await this.limiter.lift(user.uid);
  }

  /** 1005 / 1002 (the current password, see confirmPassword), 1002 (format), 1003; ends the account's other sessions. */
  async changePassword(viewer: SessionUser, input: PasswordChange, from: LoginAttempt, currentSid: string): Promise<void> {
    const user = await this.confirmPassword(viewer, input.password, from);
    const passwordHash = await this.newPasswordHash(input);
    await this.users.update({ id: user.id }, { passwordHash });
    await this.sessions.endAll(user.uid, currentSid);
  }

  /** 1004, 1010, the code mailed to the new address (1009 / 1008 / 1007); the unique index decides races. */
  async changeEmail(
    viewer: SessionUser,
    rawEmail: string | undefined,
    vcode: string | undefined,
    source: string,
  ): Promise<OwnProfileResponse> {
    const email = this.email(rawEmail);
    await this.assertNoAccount(email);
    await this.vcodes.check(email, vcode ?? '', source, 'email');
    try {
      await this.users.update({ id: viewer.id, ...LIVE }, { email });
    } catch (error) {
      if (violatedUnique(error, 'users', ['email'] as const) === 'email') throw new ErrnoError(Errno.AccountExists);
      throw error;
    }
    await this.vcodes.consume(email, 'email');
    return this.me(viewer);
  }

  /** What `me` shows of the logged-in account (1011 if it went since the session was read). */
  async me(viewer: Pick<SessionUser, 'id'>): Promise<OwnProfileResponse> {
    const user = await this.liveProfile([viewer.id]);
    if (!user) throw new ErrnoError(Errno.LoginRequired);
    return toOwnProfileResponse(user, {
      ...(await this.videoCounts.usageOf(user.uid)),
      storageQuota: effectiveQuota(user.storageQuota, this.config.userQuotaBytes),
      role: this.roleOf(user.email),
    });
  }

  /** A space's public profile by uid; 1001 when no live account has it. */
  async publicProfile(uid: string): Promise<ProfileResponse> {
    const user = isUid(uid) ? await this.users.findOne({ where: { uid: Number(uid), ...LIVE }, select: PROFILE_COLUMNS }) : null;
    if (!user) throw new ErrnoError(Errno.NotRegistered);
    return toProfileResponse(user, await this.videoCounts.countByOwner(user.uid));
  }

  /** ADMIN_EMAILS against an account's (canonical) email. */
  roleOf(email: string): Role {
    return roleFor(email, this.config.adminEmails);
  }

  /** Takes the source's slot, compares the hash, and counts a failure or clears the window. */
  private async checkPassword(user: User, password: string, from: LoginAttempt): Promise<void> {
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
  }

  /** 1002 (format), 1003, then the hash. */
  private newPasswordHash(input: PasswordChange): Promise<string> {
    if (!isValidPassword(input.password_1)) throw new ErrnoError(Errno.InvalidPassword);
    if (input.password_1 !== input.password_2) throw new ErrnoError(Errno.PasswordMismatch);
    return hashPassword(input.password_1);
  }

  /** 1013 when REGISTRATION keeps this address out. */
  private assertMayRegister(email: string): void {
    if (!mayRegister(this.config.registration, email)) throw new ErrnoError(Errno.RegistrationClosed);
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
    return isUid(login) ? this.loginByUid([Number(login)]) : this.loginByEmail([canonicalEmail(login)]);
  }

  private async insertUser(fields: Pick<User, 'email' | 'username' | 'passwordHash'>): Promise<User> {
    for (let attempt = 1; ; attempt++) {
      const user = this.users.create({
        ...fields,
        uid: this.newUid(),
        createdAt: this.now(),
        bio: '',
        avatarVersion: null,
        disabled: false,
        storageQuota: null,
        deletedAt: null,
      });
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
