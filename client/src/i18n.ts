import type { Video } from './api.js';

/** Chinese unless the browser prefers English; the server's messages follow Accept-Language by themselves. */
export const lang: 'zh' | 'en' = (navigator.languages?.[0] ?? navigator.language ?? 'zh').toLowerCase().startsWith('en') ? 'en' : 'zh';

const zh = {
  brand: '个人空间',
  mySpace: '我的空间',
  login: '登录',
  register: '注册',
  logout: '退出',
  email: '邮箱',
  emailOrUid: '邮箱或 uid',
  password: '密码',
  password2: '确认密码',
  username: '用户名',
  code: '验证码',
  sendCode: '发送验证码',
  resendIn: (s: number) => `${s} 秒后重发`,
  codeSent: '验证码已发送，请查收邮件',
  submitRegister: '注册',
  submitLogin: '登录',
  noAccount: '还没有账号？去注册',
  haveAccount: '已有账号？去登录',
  joined: '加入于',
  videos: '个视频',
  upload: '上传视频',
  dropHere: '拖放视频到这里，或点击选择（可多选）',
  cancel: '取消',
  cancelled: '已取消',
  done: '完成',
  left: '剩余',
  loadMore: '加载更多',
  empty: '这里还没有视频',
  processing: '处理中',
  failed: '处理失败',
  delete: '删除',
  confirmDelete: '确定删除这个视频吗？此操作无法撤销。',
  back: '返回空间',
  notFound: '页面不存在',
  loading: '加载中…',
  by: '上传者',
  networkError: '网络错误，请重试',
  welcome: '上传、保存、播放你自己的视频。',
  start: '开始使用',
  stages: { queued: '排队中', probe: '分析', transcode: '转码', package: '打包', cover: '封面' },
  reprocess: '重新处理',
  failedGeneric: '这个视频无法处理。',
  downloadOriginal: '下载原文件',
  quality: '画质',
  auto: '自动',
  cannotPlay: '浏览器无法播放这个视频。',
  waitingNetwork: '等待网络恢复…',
  offlineFailed: '网络已断开，上传失败，请联网后重新选择文件',
  refused: (why: string) => `未接受：${why}`,
  view: '查看',
  listError: '视频列表加载失败',
  retry: '重试',
};

const en: typeof zh = {
  brand: 'Personal Space',
  mySpace: 'My space',
  login: 'Log in',
  register: 'Sign up',
  logout: 'Log out',
  email: 'Email',
  emailOrUid: 'Email or uid',
  password: 'Password',
  password2: 'Password again',
  username: 'Username',
  code: 'Code',
  sendCode: 'Send code',
  resendIn: (s: number) => `Resend in ${s}s`,
  codeSent: 'Code sent, check your mail',
  submitRegister: 'Sign up',
  submitLogin: 'Log in',
  noAccount: 'No account yet? Sign up',
  haveAccount: 'Have an account? Log in',
  joined: 'Joined',
  videos: 'videos',
  upload: 'Upload videos',
  dropHere: 'Drop videos here, or click to choose (several at once)',
  cancel: 'Cancel',
  cancelled: 'Cancelled',
  done: 'Done',
  left: 'left',
  loadMore: 'Load more',
  empty: 'No videos here yet',
  processing: 'Processing',
  failed: 'Processing failed',
  delete: 'Delete',
  confirmDelete: 'Delete this video? This cannot be undone.',
  back: 'Back to the space',
  notFound: 'Page not found',
  loading: 'Loading…',
  by: 'By',
  networkError: 'Network error, please try again',
  welcome: 'Upload, keep and play your own videos.',
  start: 'Get started',
  stages: { queued: 'Queued', probe: 'Analysing', transcode: 'Transcoding', package: 'Packaging', cover: 'Cover' },
  reprocess: 'Process again',
  failedGeneric: 'This video could not be processed.',
  downloadOriginal: 'Download the original',
  quality: 'Quality',
  auto: 'Auto',
  cannotPlay: 'The browser cannot play this video.',
  waitingNetwork: 'Waiting for the network…',
  offlineFailed: 'The network is down and the upload failed; choose the file again once online',
  refused: (why: string) => `Not accepted: ${why}`,
  view: 'View',
  listError: 'Could not load the videos',
  retry: 'Try again',
};

export const t = lang === 'en' ? en : zh;
document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
document.title = t.brand;

/** The server's failure reasons (short English sentences of a fixed set), in the page's language. */
const FAILURES_ZH: Record<string, string> = {
  'the video could not be decoded': '视频无法解码。',
  'the file could not be read as a video': '无法把这个文件读作视频。',
  'the file has no video stream': '文件里没有视频画面。',
  'the picture is too large or damaged': '画面尺寸过大或已损坏。',
  'the video has no frame to show': '视频没有可显示的画面。',
  'ffmpeg is not installed on the server': '服务器没有安装 ffmpeg。',
  'the stored file is missing': '存储的原文件不见了。',
  'the file is not a video this server reads': '服务器读不了这种视频。',
  'the server could not finish processing': '服务器暂时无法完成处理，请稍后重新处理。',
};

export function failureText(failure: string | null | undefined): string {
  if (!failure) return t.failedGeneric;
  return lang === 'zh' ? (FAILURES_ZH[failure] ?? t.failedGeneric) : `${failure[0].toUpperCase()}${failure.slice(1)}.`;
}

/** The stage and percent of a video being processed, e.g. 转码 42%. */
export function stageText(processing: Video['processing']): string {
  if (!processing) return t.processing;
  if (processing.stage === 'queued') return t.stages.queued;
  return `${t.stages[processing.stage] ?? t.processing} ${Math.round(processing.percent)}%`;
}
