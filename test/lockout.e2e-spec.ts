import { LOGIN_RULES } from '../src/account/login-limiter.js';
import { VCODE_RULES } from '../src/account/vcode.store.js';
import { login, PASSWORD, post, register, requestCode } from './support/accounts.js';
import { useApp } from './support/e2e.js';
import { randomEmail, randomIp } from './support/test-app.js';

/**
 * Nobody can lock someone else out (issue #11, point 1): an attacker's wrong passwords and wrong
 * codes are counted against the attacker's address, never the owner's; the caps that keep online
 * guessing hopeless hold however many addresses guess. See docs/security.md.
 */
const { t, smtp } = useApp();

const VALIDATE = '/api/account/validatevacode';
const REGISTER = '/api/account/register';
const LOGIN = '/api/account/login';
const errnos = (answers: { body: { errno: number } }[]) => answers.map((res) => res.body.errno).sort((x, y) => x - y);
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');

describe('a flood of wrong passwords from one address', () => {
  it('does not lock the owner out: the owner logs in from another address during and after it', async () => {
    const account = await register(t.client(), smtp);
    const attacker = '10.0.0.1';
    const flood = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(t.client(attacker), LOGIN, { user: String(account.uid), password: `wrong${i}abc` })),
    );
    expect(errnos(flood)).toEqual([...Array(5).fill(1002), ...Array(15).fill(1005)]);
    expect((await login(t.client('10.0.0.2'), account)).body.errno).toBe(0);
    // Again and again: the attacker stays locked out, the owner does not.
    t.clock.advance(LOGIN_RULES.lockMs);
    for (let i = 0; i < 10; i++) await post(t.client(attacker), LOGIN, { user: account.email, password: `again${i}abc` });
    expect((await login(t.client(attacker), account)).body.errno).toBe(1005);
    expect((await login(t.client('10.0.0.2'), account)).body.errno).toBe(0);
  });
});

describe('wrong passwords from many addresses', () => {
  it('are checked at most 30 per 15 minutes for an account, however many addresses send them', async () => {
    const account = await register(t.client(), smtp);
    const ips = Array.from({ length: 12 }, () => randomIp());
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post(t.client(ips[i % ips.length]), LOGIN, { user: account.email, password: `wrong${i}abc` })),
    );
    expect(errnos(answers)).toEqual([...Array(LOGIN_RULES.maxUntrustedFailures).fill(1002), ...Array(30).fill(1005)]);
    // The right password from a fresh address is not checked either until the window ends.
    expect((await login(t.client(), account)).body.errno).toBe(1005);
    t.clock.advance(LOGIN_RULES.windowMs);
    expect((await login(t.client(), account)).body.errno).toBe(0);
  });

  it('never lock out a browser that logged in before: its device cookie is counted on its own', async () => {
    const account = await register(t.client(), smtp);
    const owner = t.client('10.0.0.3');
    const first = await login(owner, account);
    expect(first.body.errno).toBe(0);
    expect(String(first.headers['set-cookie'])).toMatch(/ps\.dev=[^;]+;.*HttpOnly/i);
    const ips = Array.from({ length: 12 }, () => randomIp());
    // The owner's own address among the attackers: the cookie, not the address, keeps the owner in.
    ips.push('10.0.0.3');
    await Promise.all(
      Array.from({ length: 65 }, (_, i) => post(t.client(ips[i % ips.length]), LOGIN, { user: account.email, password: `wrong${i}abc` })),
    );
    expect((await login(t.client('10.0.0.3'), account)).body.errno).toBe(1005);
    expect((await login(owner, account)).body.errno).toBe(0);
  });

  it('a device cookie for one account does not help on another, and a forged one is ignored', async () => {
    const [victim, other] = [await register(t.client(), smtp), await register(t.client(), smtp)];
    const attacker = t.client('10.0.0.4');
    expect((await login(attacker, other)).body.errno).toBe(0);
    for (let i = 0; i < LOGIN_RULES.maxFailures; i++) {
      expect((await post(attacker, LOGIN, { user: victim.email, password: `wrong${i}abc` })).body.errno).toBe(1002);
    }
    // Its ps.dev cookie names `other`: for the victim it is an address like any other, locked out.
    expect((await login(attacker, victim)).body.errno).toBe(1005);
    const forged = t.client('10.0.0.4').set('Cookie', `ps.dev=${victim.uid}.AAAAAAAAAAAAAAAA.forged`);
    expect((await post(forged, LOGIN, { user: victim.email, password: PASSWORD })).body.errno).toBe(1005);
  });
});

describe('a flood of wrong codes from one address', () => {
  it("does not burn the owner's code: the owner validates it from another address", async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const attacker = '10.0.0.5';
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => post(t.client(attacker), VALIDATE, { email, vcode: wrongFor(vcode) })),
    );
    expect(errnos(flood)).toEqual([...Array(5).fill(1007), ...Array(15).fill(1008)]);
    expect((await post(t.client(attacker), VALIDATE, { email, vcode })).body.errno).toBe(1008);
    expect((await post(t.client('10.0.0.6'), VALIDATE, { email, vcode })).body.errno).toBe(0);
  });

  it('does not burn the code register takes either', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const form = { email, username: 'owner', password_1: PASSWORD, password_2: PASSWORD };
    await Promise.all(Array.from({ length: 10 }, () => post(t.client('10.0.0.7'), REGISTER, { ...form, vcode: wrongFor(vcode) })));
    expect((await post(t.client('10.0.0.8'), REGISTER, { ...form, vcode })).body.errno).toBe(0);
  });

  it('is refused (1005) after 30 wrong codes an hour, whatever the emails', async () => {
    const attacker = randomIp();
    for (let n = 0; n < VCODE_RULES.wrongTriesPerSourcePerHour / VCODE_RULES.maxWrongTriesPerSource; n++) {
      const email = randomEmail();
      const vcode = await requestCode(t.client(), smtp, email);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => post(t.client(attacker), VALIDATE, { email, vcode: wrongFor(vcode) })),
      );
      expect(errnos(answers)).toEqual(Array(5).fill(1007));
    }
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    expect((await post(t.client(attacker), VALIDATE, { email, vcode })).body.errno).toBe(1005);
    expect((await post(t.client(), VALIDATE, { email, vcode })).body.errno).toBe(0);
  });
});

describe('wrong codes from many addresses', () => {
  it('are checked at most 30 per code; then the code is burned for everyone', async () => {
    const email = randomEmail();
    const vcode = await requestCode(t.client(), smtp, email);
    const ips = Array.from({ length: 10 }, () => randomIp());
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(t.client(ips[i % ips.length]), VALIDATE, { email, vcode: wrongFor(vcode) })),
    );
    expect(errnos(answers)).toEqual([...Array(VCODE_RULES.maxWrongTries).fill(1007), ...Array(20).fill(1008)]);
    expect((await post(t.client(), VALIDATE, { email, vcode })).body.errno).toBe(1008);
  });
});
