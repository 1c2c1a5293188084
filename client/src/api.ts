import type { Upload } from 'tus-js-client';

import type { components, paths } from './api-types.js';

/** The public REST API of the contract: every answer is `{errno, msg, ...data}`. */
export interface Reply {
  errno: number;
  msg: string;
}

// The shapes come from openapi.json (api-types.ts, generated): defined once, on the server.
type Schemas = components['schemas'];
/** `views` until openapi.json has it. */
export type Video = Schemas['Video'] & { views?: number };
export type Visibility = Video['visibility'];
export type VideoSort = 'new' | 'old' | 'views';
/** What the publish form and the edit panel send. */
export type VideoText = Pick<Video, 'title' | 'description' | 'visibility'>;
export type ProcessingStage = Schemas['VideoProcessing']['stage'];
/** A space's profile (GET /api/users/:uid). */
export type User = Schemas['Profile'];
/** The logged-in account (GET /api/account/me): the profile, its email, storage and role. */
export type Me = Schemas['OwnProfile'];
export type SessionInfo = Schemas['Session'];
export type AdminUser = Schemas['AdminUser'];
export type CodePurpose = NonNullable<Schemas['SendVcodeDto']['purpose']>;

type Method = 'get' | 'post' | 'patch' | 'delete';
/** The success answer (errno 0) of an operation, as the document describes it. */
type Ok<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Answer } } };
}
  ? Extract<Answer, { errno: 0 }>
  : never;
/** The (urlencoded) body of a POST, as the document describes it. */
type Form<P extends keyof paths> = paths[P]['post'] extends {
  requestBody: { content: { 'application/x-www-form-urlencoded': infer Body } };
}
  ? Required<Body>
  : never;

export class ApiError extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

/** Dispatched on window when a call answers 1011. */
export const SESSION_ENDED = 'ps:session-ended';

/** `form` goes urlencoded; FormData (a file) goes multipart. */
async function call<T extends Reply = Reply>(method: string, path: string, form?: Record<string, string> | FormData): Promise<T> {
  let reply: Reply;
  try {
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      body: form instanceof FormData ? form : form ? new URLSearchParams(form) : undefined,
    });
    reply = (await response.json()) as Reply;
  } catch {
    // Also an answer that is not JSON (a proxy's error page).
    throw new ApiError(-1, 'network');
  }
  // The session ended elsewhere (logged out there, password reset, account disabled): the app shows it.
  if (reply.errno === 1011) window.dispatchEvent(new Event(SESSION_ENDED));
  if (reply.errno !== 0) throw new ApiError(reply.errno, reply.msg);
  return reply as T;
}

export const api = {
  me: () => call<Ok<'/api/account/me', 'get'>>('GET', '/api/account/me'),
  sendCode: (email: string, purpose: CodePurpose = 'register') =>
    call<Ok<'/api/account/sendvcode', 'post'>>('POST', '/api/account/sendvcode', {
      email,
      purpose,
    } satisfies Form<'/api/account/sendvcode'>),
  register: (form: Form<'/api/account/register'>) => call<Ok<'/api/account/register', 'post'>>('POST', '/api/account/register', form),
  login: (user: string, password: string) =>
    call<Ok<'/api/account/login', 'post'>>('POST', '/api/account/login', { user, password } satisfies Form<'/api/account/login'>),
  logout: () => call<Ok<'/api/account/logout', 'get'>>('GET', '/api/account/logout'),
  resetPassword: (form: Form<'/api/account/resetpassword'>) =>
    call<Ok<'/api/account/resetpassword', 'post'>>('POST', '/api/account/resetpassword', form),
  changePassword: (form: Form<'/api/account/password'>) => call<Ok<'/api/account/password', 'post'>>('POST', '/api/account/password', form),
  changeEmail: (form: Form<'/api/account/email'>) => call<Ok<'/api/account/email', 'post'>>('POST', '/api/account/email', form),
  saveProfile: (form: Form<'/api/account/profile'>) => call<Ok<'/api/account/profile', 'post'>>('POST', '/api/account/profile', form),
  uploadAvatar: (file: Blob) => {
    const form = new FormData();
    form.append('avatar', file);
    return call<Ok<'/api/account/avatar', 'post'>>('POST', '/api/account/avatar', form);
  },
  removeAvatar: () => call<Ok<'/api/account/avatar', 'delete'>>('DELETE', '/api/account/avatar'),
  sessions: () => call<Ok<'/api/account/sessions', 'get'>>('GET', '/api/account/sessions'),
  endSession: (id: string) => call<Ok<'/api/account/sessions/{id}', 'delete'>>('DELETE', `/api/account/sessions/${encodeURIComponent(id)}`),
  endOtherSessions: () => call<Ok<'/api/account/sessions/revoke_others', 'post'>>('POST', '/api/account/sessions/revoke_others'),
  deleteAccount: (password: string) =>
    call<Ok<'/api/account/delete', 'post'>>('POST', '/api/account/delete', { password } satisfies Form<'/api/account/delete'>),
  profile: (uid: string) => call<Ok<'/api/users/{uid}', 'get'>>('GET', `/api/users/${encodeURIComponent(uid)}`),
  adminUsers: (q: string, page: number, pageSize: number) =>
    call<Ok<'/api/admin/users', 'get'>>(
      'GET',
      `/api/admin/users?${new URLSearchParams({ q, page: String(page), page_size: String(pageSize) }).toString()}`,
    ),
  /** `storage_quota`: bytes, or '' for unlimited. */
  adminUpdate: (uid: number, change: { disabled?: boolean; storage_quota?: number | '' }) => {
    const form: Schemas['AdminChangeDto'] = {};
    if (change.disabled !== undefined) form.disabled = change.disabled ? 'true' : 'false';
    if (change.storage_quota !== undefined) form.storage_quota = String(change.storage_quota);
    return call<Ok<'/api/admin/users/{uid}', 'post'>>('POST', `/api/admin/users/${uid}`, form);
  },
  /** `next` (a cursor for `after`) only where the server pages by cursor; else pages. */
  videos: (uid: string, options: { page?: number; pageSize?: number; sort?: VideoSort; q?: string; after?: string } = {}) => {
    const query = new URLSearchParams({ uid, page: String(options.page ?? 1), page_size: String(options.pageSize ?? 12) });
    if (options.sort && options.sort !== 'new') query.set('sort', options.sort);
    if (options.q) query.set('q', options.q);
    if (options.after) query.set('after', options.after);
    return call<Ok<'/api/videos', 'get'> & { next?: string | null }>('GET', `/api/videos?${query.toString()}`);
  },
  video: (id: string) => call<Ok<'/api/videos/{id}', 'get'>>('GET', `/api/videos/${encodeURIComponent(id)}`),
  deleteVideo: (id: string) => call<Ok<'/api/videos/{id}', 'delete'>>('DELETE', `/api/videos/${encodeURIComponent(id)}`),
  edit: (id: string, change: Partial<VideoText>) =>
    call<Ok<'/api/videos/{id}', 'patch'>>('PATCH', `/api/videos/${encodeURIComponent(id)}`, change),
  /** Counted once per viewer and video per few hours by the server; the caller only says that playback started. */
  countView: (id: string) => call<Reply & { views: number }>('POST', `/api/videos/${encodeURIComponent(id)}/view`),
  /** The caller's own videos with exactly these bytes. */
  duplicates: (sha256: string) => call<Reply & { videos: Video[] }>('GET', `/api/videos/duplicates?sha256=${encodeURIComponent(sha256)}`),
  /** The frame at `at` seconds becomes the cover. */
  coverAt: (id: string, at: number) =>
    call<Reply & { video: Video }>('POST', `/api/videos/${encodeURIComponent(id)}/cover`, { at: at.toFixed(3) }),
  uploadCover: (id: string, image: Blob) => {
    const form = new FormData();
    form.append('cover', image);
    return call<Reply & { video: Video }>('POST', `/api/videos/${encodeURIComponent(id)}/cover`, form);
  },
  reprocess: (id: string) => call<Ok<'/api/videos/{id}/reprocess', 'post'>>('POST', `/api/videos/${encodeURIComponent(id)}/reprocess`),
};

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Bytes per second since the upload (re)started. */
  speed: number;
}

export interface UploadEvents {
  /** Sent with the file: the publish form's choices. */
  fields: VideoText;
  onProgress: (progress: UploadProgress) => void;
  /** true while a resumable upload waits for the network to come back. */
  onWaiting?: (waiting: boolean) => void;
}

/** A running upload; `done` rejects with errno -2 after `abort()`, -1 on a network failure, the server's errno when refused. */
export interface UploadHandle {
  done: Promise<Video>;
  abort: () => void;
}

/** Files from this size go through the resumable (tus) endpoint: a dropped connection resumes. */
export const RESUMABLE_FROM = 20 * 1024 * 1024;

/** Speed over the bytes sent since the last (re)start, so a pause does not drag it down. */
function meter(onProgress: UploadEvents['onProgress']) {
  let since = performance.now();
  let from = 0;
  return {
    restart(loaded: number) {
      since = performance.now();
      from = loaded;
    },
    report(loaded: number, total: number) {
      const seconds = (performance.now() - since) / 1000;
      onProgress({ loaded, total, speed: seconds > 0 ? Math.max(0, loaded - from) / seconds : 0 });
    },
  };
}

/**
 * A resumable upload (tus-js-client). It pauses when the browser goes offline and resumes by itself
 * when it is back online, from the offset the server has (the same Upload object keeps its URL).
 */
export function uploadResumable(file: File, events: UploadEvents): UploadHandle {
  const progress = meter(events.onProgress);
  let upload: Upload | undefined;
  let ready = false; // created and (if any) matched to a previous attempt: start() may run
  let paused = false;
  let stopped = false;
  let loaded = 0;
  let fail: (error: ApiError) => void = () => undefined;

  const pause = () => {
    if (stopped || paused) return;
    paused = true;
    void upload?.abort(false);
    events.onWaiting?.(true);
  };
  const resume = () => {
    if (stopped || !paused || !navigator.onLine) return;
    paused = false;
    events.onWaiting?.(false);
    progress.restart(loaded);
    if (ready) upload?.start();
  };
  const stop = () => {
    stopped = true;
    window.removeEventListener('offline', pause);
    window.removeEventListener('online', resume);
  };
  window.addEventListener('offline', pause);
  window.addEventListener('online', resume);

  const done = new Promise<Video>((resolve, reject) => {
    fail = reject;
    // Loaded only when a large file needs it: the first page stays small.
    void import('tus-js-client')
      .then(({ Upload: TusUpload }) => {
        if (stopped) return;
        upload = new TusUpload(file, {
          endpoint: '/api/videos/tus',
          chunkSize: 8 * 1024 * 1024,
          retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
          removeFingerprintOnSuccess: true,
          metadata: { filename: file.name, filetype: file.type, ...events.fields },
          onProgress: (sent, total) => {
            loaded = sent;
            progress.report(sent, total);
          },
          onError: (error) => {
            if (stopped) return;
            // tus-js-client does not retry while offline; the 'online' event starts it again.
            if (!navigator.onLine) {
              paused = false;
              pause();
              return;
            }
            stop();
            const body = (error as { originalResponse?: { getBody(): string } | null }).originalResponse?.getBody();
            try {
              const reply = JSON.parse(body ?? '') as Reply;
              reject(new ApiError(reply.errno, reply.msg));
            } catch {
              reject(new ApiError(-1, 'network'));
            }
          },
          onSuccess: () => {
            stop();
            const id = upload?.url?.split('/').pop() ?? '';
            call<Ok<'/api/videos/tus/{uploadId}', 'get'>>('GET', `/api/videos/tus/${id}`).then((reply) => resolve(reply.video), reject);
          },
        });
        // Resume an earlier attempt at the same file (tus-js-client keeps its URL in localStorage).
        return upload.findPreviousUploads().then((previous) => {
          if (stopped) return;
          if (previous[0]) upload?.resumeFromPreviousUpload(previous[0]);
          ready = true;
          if (!paused) upload?.start();
        });
      })
      .catch((error: unknown) => {
        stop();
        reject(error instanceof ApiError ? error : new ApiError(-1, 'network'));
      });
  });
  return {
    done,
    abort: () => {
      if (stopped) return;
      stop();
      // abort() never calls onError: the promise is settled here. `true` deletes the partial upload on the server.
      void upload?.abort(true).catch(() => undefined);
      fail(new ApiError(-2, 'aborted'));
    },
  };
}

/** A multipart upload with real progress (XMLHttpRequest reports bytes sent) and a way to abort it. */
export function uploadVideo(file: File, events: UploadEvents): UploadHandle {
  const xhr = new XMLHttpRequest();
  const progress = meter(events.onProgress);
  const done = new Promise<Video>((resolve, reject) => {
    xhr.upload.onprogress = (event) => progress.report(event.loaded, event.total || file.size);
    xhr.onload = () => {
      try {
        const reply = JSON.parse(xhr.responseText) as Reply & Partial<Ok<'/api/videos/video_upload', 'post'>>;
        if (reply.errno === 0 && reply.video) resolve(reply.video);
        else reject(new ApiError(reply.errno, reply.msg));
      } catch {
        reject(new ApiError(-1, 'network'));
      }
    };
    xhr.onerror = () => reject(new ApiError(-1, 'network'));
    xhr.onabort = () => reject(new ApiError(-2, 'aborted'));
  });
  const form = new FormData();
  // Fields before the file: the server reads them as the stream goes by.
  for (const [name, value] of Object.entries(events.fields)) form.append(name, value);
  form.append('video', file);
  xhr.open('POST', '/api/videos/video_upload');
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
