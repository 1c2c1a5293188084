import { VCODE_RULES } from '../vcode.store.js';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The Chinese verification mail: the code and its validity. */
export function verificationCodeMail(code: string): MailContent {
  const minutes = VCODE_RULES.lifetimeMs / 60_000;
  const subject = `个人空间验证码：${code}`;
  const text = [
    '您好！',
    '',
    `您正在注册个人空间，本次的验证码是：${code}`,
    `验证码 ${minutes} 分钟内有效，请勿告诉他人。`,
    '',
    '如果这不是您本人的操作，请忽略这封邮件。',
    '—— 个人空间',
    '',
    `Verification code: ${code}`,
  ].join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><body style="font-family:sans-serif;color:#222">
<p>您好！</p>
<p>您正在注册个人空间，本次的验证码是：</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px">${escapeHtml(code)}</p>
<p>验证码 ${minutes} 分钟内有效，请勿告诉他人。</p>
<p style="color:#888">如果这不是您本人的操作，请忽略这封邮件。<br>—— 个人空间</p>
</body></html>`;
  return { subject, text, html };
}
