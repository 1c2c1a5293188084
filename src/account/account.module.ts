import { MailerModule } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { SessionModule } from '../session/session.module.js';
import { VideosModule } from '../videos/videos.module.js';
import { AccountDeletion } from './account-deletion.js';
import { AccountController } from './account.controller.js';
import { AdminController, AdminGuard } from './admin/admin.controller.js';
import { AdminService } from './admin/admin.service.js';
import { AccountService } from './account.service.js';
import { DeviceCookies } from './device-cookie.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { LocalStrategy } from './local.strategy.js';
import { LoginLimiter } from './login-limiter.js';
import { mailerOptions } from './mail/mailer.options.js';
import { MailService } from './mail/mail.service.js';
import { ProfileController } from './profile.controller.js';
import { ProfileService } from './profile.service.js';
import { SessionsController } from './sessions.controller.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { VcodeStore } from './vcode.store.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    VideosModule,
    SessionModule,
    PassportModule.register({ session: true }),
    MailerModule.forRootAsync({ imports: [], inject: [AppConfig], useFactory: mailerOptions }),
  ],
  controllers: [AccountController, ProfileController, SessionsController, UsersController, AdminController],
  providers: [
    AccountService,
    ProfileService,
    AccountDeletion,
    AdminService,
    AdminGuard,
    VcodeStore,
    LoginLimiter,
    DeviceCookies,
    MailService,
    LocalStrategy,
    LocalAuthGuard,
  ],
  exports: [AccountService],
})
export class AccountModule {}
