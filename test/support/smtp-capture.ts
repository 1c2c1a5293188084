import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives. Recipients listed in `refuse` are
 * rejected at RCPT TO (what a mail server does with an address it will not take).
 */
export class SmtpCapture {
  readonly mails: CapturedMail[] = [];
  readonly refuse = new Set<string>();
  /** How long each mail's DATA waits before it is accepted (a slow mail server). */
  delayMs = 0;
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address.toLowerCase())) {
          const error = new Error('mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            for (const rcpt of session.envelope.rcptTo) {
              this.mails.push({ to: rcpt.address.toLowerCase(), subject: mail.subject ?? '', text: mail.text ?? '' });
            }
            setTimeout(callback, this.delayMs);
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  mailsTo(email: string): CapturedMail[] {
    return this.mails.filter((mail) => mail.to === email.toLowerCase());
  }

  /** The code of the newest mail to `email` (the mail is delivered before the API answers). */
  lastCode(email: string): string {
    const mail = this.mailsTo(email).at(-1);
    const code = mail?.text.match(/Verification code: (\d{6})/)?.[1];
    if (!code) throw new Error(`no verification mail to ${email}`);
    return code;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
