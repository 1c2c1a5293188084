import type { MailerOptions } from '@nestjs-modules/mailer';
import type { AppConfig } from '../../config/app-config.js';

/** SMTP from SMTP_URL (pooled, bounded by SMTP_TIMEOUT_MS), or the outbox: a stream transport whose message MailService writes to disk. */
export function mailerOptions(config: AppConfig): MailerOptions {
  const transport = config.smtpUrl
    ? {
        url: config.smtpUrl,
        pool: true,
        maxConnections: 3,
        connectionTimeout: config.smtpTimeoutMs,
        greetingTimeout: config.smtpTimeoutMs,
        socketTimeout: config.smtpTimeoutMs,
      }
    : { streamTransport: true, buffer: true, newline: 'unix' };
  // Quoted-printable keeps the ASCII line with the code readable in a raw .eml (the README greps it).
  // nodemailer 10's types reject `defaults.from` although it works at run time.
  const defaults = { from: config.mailFrom, textEncoding: 'quoted-printable' } as MailerOptions['defaults'];
  return { transport, defaults };
}
