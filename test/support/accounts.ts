import type TestAgent from 'supertest/lib/agent.js';
import type { SmtpCapture } from './smtp-capture.js';
import { randomEmail } from './test-app.js';

export const PASSWORD = 'secret123';

export interface Account {
  email: string;
  password: string;
  uid: number;
  username: string;
}

/** POSTs form parameters (urlencoded), the way a browser form or the seed's clients send them. */
export function post(client: TestAgent, path: string, form: Record<string, string> = {}) {
  return client.post(path).type('form').send(form);
}

/** sendvcode, then the code from the captured mail. */
export async function requestCode(client: TestAgent, smtp: SmtpCapture, email: string): Promise<string> {
  const sent = await post(client, '/api/account/sendvcode', { email });
  if (sent.body.errno !== 0) throw new Error(`sendvcode answered ${JSON.stringify(sent.body)}`);
  return smtp.lastCode(email);
}

/** A new account through the public API: code by mail, then register with it. */
export async function register(client: TestAgent, smtp: SmtpCapture, username = '小明'): Promise<Account> {
  const email = randomEmail();
  const vcode = await requestCode(client, smtp, email);
  const res = await post(client, '/api/account/register', { email, vcode, username, password_1: PASSWORD, password_2: PASSWORD });
  if (res.body.errno !== 0) throw new Error(`register answered ${JSON.stringify(res.body)}`);
  return { email, password: PASSWORD, uid: res.body.uid as number, username };
}

export async function login(client: TestAgent, account: Pick<Account, 'email' | 'password'>) {
  return post(client, '/api/account/login', { user: account.email, password: account.password });
}
