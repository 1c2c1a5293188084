import type { Language } from '../../common/errno.js';
import type { CodePurpose } from '../account.rules.js';
import { VCODE_RULES } from '../vcode.store.js';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

interface Words {
  subject: (code: string) => string;
  greeting: string;
  why: string;
  valid: (minutes: number) => string;
  notYou: string;
  signature: string;
}

/** What each purpose's mail says: the reader must know what the code would do before typing it anywhere. */
const WORDS: Record<Language, Record<CodePurpose, Pick<Words, 'subject' | 'why'>> & Omit<Words, 'subject' | 'why'>> = {
  zh: {
    register: { subject: (code) => `个人空间验证码：${code}`, why: '您正在注册个人空间，本次的验证码是：' },
    reset: { subject: (code) => `个人空间重置密码验证码：${code}`, why: '您正在重置个人空间账号的密码，本次的验证码是：' },
    email: { subject: (code) => `个人空间更换邮箱验证码：${code}`, why: '您正在把个人空间账号的邮箱更换为本地址，本次的验证码是：' },
    greeting: '您好！',
    valid: (minutes) => `验证码 ${minutes} 分钟内有效，请勿告诉他人。`,
    notYou: '如果这不是您本人的操作，请忽略这封邮件。',
    signature: '—— 个人空间',
  },
  en: {
    register: {
      subject: (code) => `Personal Space verification code: ${code}`,
      why: 'You are registering with Personal Space. Your code is:',
    },
    reset: {
      subject: (code) => `Personal Space password reset code: ${code}`,
      why: 'You asked to reset the password of your Personal Space account. Your code is:',
    },
    email: {
      subject: (code) => `Personal Space email change code: ${code}`,
      why: 'You asked to make this address the email of your Personal Space account. Your code is:',
    },
    greeting: 'Hello,',
    valid: (minutes) => `The code is valid for ${minutes} minutes. Never tell it to anyone.`,
    notYou: 'If this was not you, ignore this mail.',
    signature: '— Personal Space',
  },
};

/** The mail that carries a code: what it is for, the code, and how long it lasts (Chinese, or English when preferred). */
export function verificationCodeMail(code: string, purpose: CodePurpose = 'register', language: Language = 'zh'): MailContent {
  const minutes = VCODE_RULES.lifetimeMs / 60_000;
  const words = WORDS[language];
  const { subject, why } = words[purpose];
  // The last line is the same in every mail, for readers of either language and for mail filters.
  const text = [
    words.greeting,
    '',
    `${why} ${code}`,
    words.valid(minutes),
    '',
    words.notYou,
    words.signature,
    '',
    `Verification code: ${code}`,
  ].join('\n');
  const html = `<!doctype html>
<html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><body style="font-family:sans-serif;color:#222">
<p>${escapeHtml(words.greeting)}</p>
<p>${escapeHtml(why)}</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px">${escapeHtml(code)}</p>
<p>${escapeHtml(words.valid(minutes))}</p>
<p style="color:#888">${escapeHtml(words.notYou)}<br>${escapeHtml(words.signature)}</p>
</body></html>`;
  return { subject: subject(code), text, html };
}
