import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { IsNull, Repository } from 'typeorm';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { squareWebps } from '../infra/images.js';
import { randomToken } from '../infra/random-token.js';
import { StoragePurger, type PurgeEntry } from '../infra/storage/storage-purge.js';
import { StorageService } from '../infra/storage/storage.service.js';
import type { SessionUser } from '../session/session-user.js';
import { isUid, isValidBio, isValidUsername } from './account.rules.js';
import { AccountService } from './account.service.js';
import type { OwnProfileResponse } from './profile.response.js';
import { LIVE, User } from './user.entity.js';

/** The two sizes every avatar is stored in (contract: square, 256 px and 64 px). */
export const AVATAR_SIZES = [256, 64] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

export interface ProfileChange {
  username?: string;
  bio?: string;
}

const avatarKey = (uid: number, version: string, size: number) => `avatars/${uid}/${version}-${size}.webp`;
/** Both stored files of one avatar version (for the purge when it is replaced or the account goes). */
export const avatarKeys = (uid: number, version: string): PurgeEntry[] =>
  AVATAR_SIZES.map((size) => ({ key: avatarKey(uid, version, size), prefix: false }));

/** What a person edits of their own account: name, bio and avatar. */
@Injectable()
export class ProfileService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly accounts: AccountService,
    private readonly storage: StorageService,
    private readonly purger: StoragePurger,
  ) {}

  /** 1001 bad username, 9000 bio too long (or with control characters); an absent field stays. */
  async update(viewer: SessionUser, change: ProfileChange): Promise<OwnProfileResponse> {
    const fields: Partial<Pick<User, 'username' | 'bio'>> = {};
    if (change.username !== undefined) {
      if (!isValidUsername(change.username)) throw new ErrnoError(Errno.InvalidUsername);
      fields.username = change.username;
    }
    if (change.bio !== undefined) {
      if (!isValidBio(change.bio)) throw new ErrnoError(Errno.BadRequest);
      fields.bio = change.bio;
    }
    if (Object.keys(fields).length) await this.users.update({ id: viewer.id, ...LIVE }, fields);
    return this.accounts.me(viewer);
  }

  /**
   * Re-encodes the image (3001 unless JPEG, PNG or WebP by content) to the square sizes, stores
   * them under a new version and then names it on the account; the previous version's files go to
   * the purge job. A failure leaves the old avatar in place and no new file behind.
   */
  async setAvatar(viewer: SessionUser, image: Buffer): Promise<OwnProfileResponse> {
    const encoded = await squareWebps(image, [...AVATAR_SIZES]);
    const version = randomToken(4, 'hex');
    const keys = avatarKeys(viewer.uid, version);
    try {
      for (const size of AVATAR_SIZES) await this.storage.save(avatarKey(viewer.uid, version, size), Readable.from([encoded.get(size)!]));
      await this.replaceVersion(viewer, version);
    } catch (error) {
      await this.purger.enqueue(keys).catch(() => undefined);
      this.purger.kick();
      throw error;
    }
    return this.accounts.me(viewer);
  }

  async removeAvatar(viewer: SessionUser): Promise<OwnProfileResponse> {
    await this.replaceVersion(viewer, null);
    return this.accounts.me(viewer);
  }

  /** The stored key and version of a live account's avatar; 1001 for an unknown uid or an account without one. */
  async avatarOf(uid: string, size: AvatarSize): Promise<{ key: string; version: string }> {
    const user = isUid(uid)
      ? await this.users.findOne({ where: { uid: Number(uid), ...LIVE }, select: { uid: true, avatarVersion: true } })
      : null;
    if (!user?.avatarVersion) throw new ErrnoError(Errno.NotRegistered);
    return { key: avatarKey(user.uid, user.avatarVersion, size), version: user.avatarVersion };
  }

  /** Compare-and-set, so that of two changes at once each replaced version is the one the other left (and is purged). */
  private async replaceVersion(viewer: SessionUser, version: string | null): Promise<void> {
    for (;;) {
      const before = await this.users.findOne({ where: { id: viewer.id, ...LIVE }, select: { id: true, avatarVersion: true } });
      if (!before) throw new ErrnoError(Errno.LoginRequired);
      const { affected } = await this.users.update(
        { id: viewer.id, avatarVersion: before.avatarVersion ?? IsNull(), ...LIVE },
        { avatarVersion: version },
      );
      if (!affected) continue;
      if (before.avatarVersion) {
        await this.purger.enqueue(avatarKeys(viewer.uid, before.avatarVersion));
        this.purger.kick();
      }
      return;
    }
  }
}
