/** One entry of the errno table: the code a client branches on and its message in each language. */
export interface ErrnoEntry {
  readonly errno: number;
  readonly zh: string;
  readonly en: string;
}

/**
 * The errno table of the contract, in one place. A code shares its number with another entry only
 * where the contract gives one number two messages (1001, 1002 differ between register and login).
 */
export const Errno = {
  InvalidUsername: { errno: 1001, zh: '用户名不合法', en: 'Invalid username' },
  NotRegistered: { errno: 1001, zh: '请先注册', en: 'Please register first' },
  InvalidPassword: { errno: 1002, zh: '密码格式错误', en: 'Invalid password format' },
  WrongPassword: { errno: 1002, zh: '密码错误', en: 'Wrong password' },
  PasswordMismatch: { errno: 1003, zh: '两次输入的密码不同', en: 'The two passwords differ' },
  InvalidEmail: { errno: 1004, zh: '邮箱格式错误', en: 'Invalid email address' },
  TooFrequent: { errno: 1005, zh: '操作过于频繁，请稍后再试', en: 'Too many attempts, please try again later' },
  MailFailed: {
    errno: 1006,
    zh: '验证码发送失败，请检查邮箱地址',
    en: 'The verification code could not be sent, please check the email address',
  },
  WrongVcode: { errno: 1007, zh: '验证码错误', en: 'Wrong verification code' },
  VcodeExpired: { errno: 1008, zh: '验证码失效，请重新获取', en: 'The verification code has expired, please request a new one' },
  NoVcode: { errno: 1009, zh: '该账户没有获取验证码', en: 'No verification code was requested for this email' },
  AccountExists: { errno: 1010, zh: '账号已存在，请勿重复注册', en: 'This account already exists' },
  LoginRequired: { errno: 1011, zh: '请先登录', en: 'Please log in first' },
  AccountDisabled: { errno: 1012, zh: '账号已停用', en: 'This account has been disabled' },
  RegistrationClosed: { errno: 1013, zh: '暂不开放注册', en: 'Registration is not open' },
  NoVideoFile: { errno: 2001, zh: '请选择要上传的视频', en: 'Please choose a video to upload' },
  UnsupportedVideo: { errno: 2002, zh: '不支持的视频格式', en: 'Unsupported video format' },
  VideoTooLarge: { errno: 2003, zh: '视频文件过大', en: 'The video file is too large' },
  VideoNotFound: { errno: 2004, zh: '视频不存在', en: 'Video not found' },
  NotVideoOwner: { errno: 2005, zh: '无权操作该视频', en: 'You may not modify this video' },
  CoverNotReady: { errno: 2006, zh: '封面尚未生成', en: 'The cover is not ready yet' },
  StorageFull: { errno: 2007, zh: '存储空间不足', en: 'Not enough storage space' },
  CannotProcess: { errno: 2008, zh: '视频处理失败', en: 'The video cannot be processed' },
  UnsupportedImage: { errno: 3001, zh: '不支持的图片格式', en: 'Unsupported image format' },
  ImageTooLarge: { errno: 3002, zh: '图片文件过大', en: 'The image file is too large' },
  BadRequest: { errno: 9000, zh: '请求参数错误', en: 'Bad request parameters' },
  /** Not in the seed: a browser's state-changing request from another origin (HTTP 403; docs/security.md). */
  CrossSiteRefused: { errno: 9001, zh: '跨站请求已拒绝', en: 'Cross-site request refused' },
  Forbidden: { errno: 9403, zh: '没有权限', en: 'Permission denied' },
  NotFound: { errno: 9404, zh: '接口不存在', en: 'No such endpoint' },
  Internal: { errno: 9999, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, ErrnoEntry>;

/** Success messages (errno 0), one per outcome. */
export const Success = {
  VcodeSent: { errno: 0, zh: '验证码已发送，请查阅', en: 'The verification code has been sent' },
  VcodeValid: { errno: 0, zh: '验证码正确', en: 'The verification code is correct' },
  Registered: { errno: 0, zh: '注册成功', en: 'Registered' },
  LoggedIn: { errno: 0, zh: '登录成功', en: 'Logged in' },
  LoggedOut: { errno: 0, zh: '注销成功', en: 'Logged out' },
  Uploaded: { errno: 0, zh: '上传成功', en: 'Uploaded' },
  Deleted: { errno: 0, zh: '删除成功', en: 'Deleted' },
  Ok: { errno: 0, zh: 'ok', en: 'ok' },
  PasswordReset: { errno: 0, zh: '密码已重置', en: 'The password has been reset' },
  PasswordChanged: { errno: 0, zh: '密码已修改', en: 'The password has been changed' },
  AccountDeleted: { errno: 0, zh: '账号已删除', en: 'The account has been deleted' },
} as const satisfies Record<string, ErrnoEntry>;

export type Language = 'zh' | 'en';

export function messageOf(entry: ErrnoEntry, language: Language): string {
  return entry[language];
}
