import { Errno, Success } from './errno.js';

/** The errno table of CONTRACT.md, row by row. */
const CONTRACT: [number, string][] = [
  [1001, '用户名不合法'],
  [1001, '请先注册'],
  [1002, '密码格式错误'],
  [1002, '密码错误'],
  [1003, '两次输入的密码不同'],
  [1004, '邮箱格式错误'],
  [1005, '操作过于频繁，请稍后再试'],
  [1006, '验证码发送失败，请检查邮箱地址'],
  [1007, '验证码错误'],
  [1008, '验证码失效，请重新获取'],
  [1009, '该账户没有获取验证码'],
  [1010, '账号已存在，请勿重复注册'],
  [1011, '请先登录'],
  [1012, '账号已停用'],
  [1013, '暂不开放注册'],
  [2001, '请选择要上传的视频'],
  [2002, '不支持的视频格式'],
  [2003, '视频文件过大'],
  [2004, '视频不存在'],
  [2005, '无权操作该视频'],
  [2006, '封面尚未生成'],
  [2007, '存储空间不足'],
  [2008, '视频处理失败'],
  [3001, '不支持的图片格式'],
  [3002, '图片文件过大'],
  [9000, '请求参数错误'],
  [9001, '跨站请求已拒绝'], // ours, not the seed's: a cross-site request refused (issue #11)
  [9403, '没有权限'],
  [9404, '接口不存在'],
  [9999, '服务器内部错误'],
];

describe('errno table', () => {
  it('holds exactly the rows of the contract', () => {
    const rows = Object.values(Errno).map((entry): [number, string] => [entry.errno, entry.zh]);
    expect(rows).toEqual(CONTRACT);
  });

  it('has an English message for every entry, distinct where the errno is shared', () => {
    const all = [...Object.values(Errno), ...Object.values(Success)];
    for (const entry of all) expect(entry.en.trim()).not.toBe('');
    expect(new Set(Object.values(Errno).map((e) => e.en)).size).toBe(Object.values(Errno).length);
  });

  it('gives the success messages of the contract', () => {
    expect(Object.values(Success).map((entry) => [entry.errno, entry.zh])).toEqual([
      [0, '验证码已发送，请查阅'],
      [0, '验证码正确'],
      [0, '注册成功'],
      [0, '登录成功'],
      [0, '注销成功'],
      [0, '上传成功'],
      [0, '删除成功'],
      [0, 'ok'],
      [0, '密码已重置'],
      [0, '密码已修改'],
      [0, '账号已删除'],
    ]);
  });
});
