import { MailerService } from '@nestjs-modules/mailer';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Errno, type Language } from '../../common/errno.js';
import type { CodePurpose } from '../account.rules.js';
import { ErrnoError } from '../../common/errno.error.js';
import { AppConfig } from '../../config/app-config.js';
import { withTimeout } from '../../infra/with-timeout.js';
import { verificationCodeMail } from './verification-code.template.js';

/** Mail in the words of the domain. Without SMTP_URL, mails are written to DATA_DIR/outbox as .eml. */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  readonly outbox: string | null;

  constructor(
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {
    this.outbox = config.smtpUrl ? null : join(config.dataDir, 'outbox');
  }

  /** Sends the code for `purpose`; 1006 when the mail server refuses, times out or cannot be reached. */
  async sendVerificationCode(to: string, code: string, purpose: CodePurpose = 'register', language: Language = 'zh'): Promise<void> {
    const mail = verificationCodeMail(code, purpose, language);
    let message: unknown;
    try {
      const info = await withTimeout(this.mailer.sendMail({ to, ...mail }), this.config.smtpTimeoutMs);
      message = (info as { message?: unknown }).message;
    } catch (error) {
      this.logger.warn(`Verification mail to ${to} failed: ${(error as Error).message}`);
      throw new ErrnoError(Errno.MailFailed);
    }
    if (this.outbox) await this.writeToOutbox(to, message);
  }

  private async writeToOutbox(to: string, message: unknown): Promise<void> {
    if (!Buffer.isBuffer(message)) throw new Error('the outbox transport returned no message');
    // Codes are secrets: the outbox and its mails are the owner's only.
    await mkdir(this.outbox!, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(this.outbox!, `${stamp}-${randomUUID().slice(0, 8)}.eml`);
    await writeFile(file, message, { mode: 0o600 });
    this.logger.log(`Mail to ${to} written to ${file}`);
  }
}
