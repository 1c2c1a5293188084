import type { Upload } from 'tus-js-client';

/** The public REST API of the contract: every answer is `{errno, msg, ...data}`. */
export interface Reply {
  errno: number;
  msg: string;
}

export interface User {
  uid: number;
  username: string;
  email?: string;
  created_at: string;
  video_count: number;
}

export interface Video {
  id: string;
  uid: number;
  title: string;
  description: string;
  size: number;
  mime: string;
  duration: number | null;
  width: number | null;
  height: number | null;
  status: 'processing' | 'ready' | 'failed';
  created_at: string;
  stream_url: string;
  cover_url: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, form?: Record<string, string>): Promise<T & Reply> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      body: form ? new URLSearchParams(form) : undefined,
    });
  } catch {
    throw new ApiError(-1, 'network');
  }
  const reply = (await response.json()) as T & Reply;
  if (reply.errno !== 0) throw new ApiError(reply.errno, reply.msg);
  return reply;
}

export const api = {
  me: () => call<{ user: User }>('GET', '/api/account/me'),
  sendCode: (email: string) => call('POST', '/api/account/sendvcode', { email }),
  register: (form: { email: string; vcode: string; username: string; password_1: string; password_2: string }) =>
    call<{ uid: number }>('POST', '/api/account/register', form),
  login: (user: string, password: string) => call<{ uid: number; username: string }>('POST', '/api/account/login', { user, password }),
  logout: () => call('GET', '/api/account/logout'),
  profile: (uid: string) => call<{ user: User }>('GET', `/api/users/${encodeURIComponent(uid)}`),
  videos: (uid: string, page: number, pageSize = 12) =>
    call<{ total: number; videos: Video[] }>('GET', `/api/videos?uid=${encodeURIComponent(uid)}&page=${page}&page_size=${pageSize}`),
  video: (id: string) => call<{ video: Video }>('GET', `/api/videos/${encodeURIComponent(id)}`),
  deleteVideo: (id: string) => call('DELETE', `/api/videos/${encodeURIComponent(id)}`),
};

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Bytes per second since the start. */
  speed: number;
}

/** Files from this size go through the resumable (tus) endpoint: a dropped connection resumes. */
export const RESUMABLE_FROM = 20 * 1024 * 1024;

/** A resumable upload (tus-js-client): retried and resumed from the server's offset after a network drop. */
export function uploadResumable(file: File, onProgress: (progress: UploadProgress) => void): { done: Promise<Video>; abort: () => void } {
  const started = performance.now();
  let upload: Upload | undefined;
  let aborted = false;
  const done = new Promise<Video>((resolve, reject) => {
    // Loaded only when a large file needs it: the first page stays small.
    void import('tus-js-client').then(({ Upload: TusUpload }) => {
      if (aborted) return reject(new ApiError(-2, 'aborted'));
      upload = new TusUpload(file, {
        endpoint: '/api/videos/tus',
        chunkSize: 8 * 1024 * 1024,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
        removeFingerprintOnSuccess: true,
        metadata: { filename: file.name, filetype: file.type },
        onProgress: (loaded, total) => {
          const seconds = (performance.now() - started) / 1000;
          onProgress({ loaded, total, speed: seconds > 0 ? loaded / seconds : 0 });
        },
        onError: (error) => {
          const body = (error as { originalResponse?: { getBody(): string } | null }).originalResponse?.getBody();
          try {
            const reply = JSON.parse(body ?? '') as Reply;
            reject(new ApiError(reply.errno, reply.msg));
          } catch {
            reject(new ApiError(aborted ? -2 : -1, 'network'));
          }
        },
        onSuccess: () => {
          const id = upload?.url?.split('/').pop() ?? '';
          call<{ video: Video }>('GET', `/api/videos/tus/${id}`).then((reply) => resolve(reply.video), reject);
        },
      });
      // Resume an earlier attempt at the same file (tus-js-client keeps its URL in localStorage).
      void upload.findPreviousUploads().then((previous) => {
        if (previous[0]) upload?.resumeFromPreviousUpload(previous[0]);
        upload?.start();
      });
    }, reject);
  });
  return {
    done,
    abort: () => {
      aborted = true;
      void upload?.abort(true);
    },
  };
}

/** One upload with real progress (XMLHttpRequest reports bytes sent) and a way to abort it. */
export function uploadVideo(file: File, onProgress: (progress: UploadProgress) => void): { done: Promise<Video>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const started = performance.now();
  const done = new Promise<Video>((resolve, reject) => {
    xhr.upload.onprogress = (event) => {
      const seconds = (performance.now() - started) / 1000;
      onProgress({ loaded: event.loaded, total: event.total || file.size, speed: seconds > 0 ? event.loaded / seconds : 0 });
    };
    xhr.onload = () => {
      try {
        const reply = JSON.parse(xhr.responseText) as Reply & { video: Video };
        if (reply.errno === 0) resolve(reply.video);
        else reject(new ApiError(reply.errno, reply.msg));
      } catch {
        reject(new ApiError(-1, 'network'));
      }
    };
    xhr.onerror = () => reject(new ApiError(-1, 'network'));
    xhr.onabort = () => reject(new ApiError(-2, 'aborted'));
  });
  const form = new FormData();
  form.append('video', file);
  xhr.open('POST', '/api/videos/video_upload');
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
