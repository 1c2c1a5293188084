import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AccountService } from './account.service.js';
import type { User } from './user.entity.js';

/** passport-local on the contract's fields: `user` (email or uid) and `password`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly accounts: AccountService) {
    super({ usernameField: 'user', passwordField: 'password' });
  }

  validate(login: string, password: string): Promise<User> {
    return this.accounts.authenticate(login, password);
  }
}
