/**
 * The API's types, generated from openapi.json by `npm run openapi:types` (openapi-typescript):
 * do not edit. The shapes are defined once on the server (src/videos/video.response.ts,
 * src/account/profile.response.ts); client/src/api.ts names the ones the client uses.
 */

export interface paths {
  '/api/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 健康检查 (each dependency: up, down, or off when not configured) */
    get: operations['HealthController_health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/sendvcode': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 发送验证码 (send a code by mail for a purpose: register, reset, email)
     * @description register: 1004, 1013, 1010, 1005, 1006. reset: 1004, 1001, 1005, 1006. email (logged in; the code goes to the new address): 1011, 1004, 1010, 1005, 1006. A code is good only for its purpose and email.
     */
    post: operations['AccountController_sendVcode'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/validatevacode': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 判断验证码是否正确 (check a code; a register code marks the email verified for 30 minutes) */
    post: operations['AccountController_validateVcode'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/resetpassword': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 重置密码 (set a new password with a reset code; ends every session, lifts the lockout) */
    post: operations['AccountController_resetPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 修改密码 (change the password; the other sessions of the account end) */
    post: operations['AccountController_changePassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/email': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 更换邮箱 (change the email with the code mailed to the new address) */
    post: operations['AccountController_changeEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/delete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 注销账号 (delete the account: at once gone from every answer; its bytes are removed in the background) */
    post: operations['AccountController_delete'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 注册 (register a verified email) */
    post: operations['AccountController_register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 登录 (log in with email or uid; sets the session cookie) */
    post: operations['AccountController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 登出 (log out; always succeeds) */
    get: operations['AccountController_logout'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 当前用户 (the logged-in account) */
    get: operations['AccountController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/profile': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 修改资料 (change the username and/or the bio; an absent field stays) */
    post: operations['ProfileController_update'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/avatar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 上传头像 (upload an avatar: JPEG, PNG or WebP by content, at most 5 MiB)
     * @description Decoded and written anew as square 256 px and 64 px WebP (metadata removed); the uploaded bytes are never served.
     */
    post: operations['ProfileController_setAvatar'];
    /** 删除头像 (remove the avatar) */
    delete: operations['ProfileController_removeAvatar'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 登录设备 (the sessions of the account, most recently seen first) */
    get: operations['SessionsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/sessions/revoke_others': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 退出其他设备 (end every session but this one) */
    post: operations['SessionsController_revokeOthers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** 结束会话 (end one of the account’s sessions; an id that is not one of them: 9000) */
    delete: operations['SessionsController_end'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/account/sessions/{id}/delete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 结束会话 (the same for form clients) */
    post: operations['SessionsController_endByPost'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{uid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 个人空间资料 (the public profile of a space) */
    get: operations['UsersController_profile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{uid}/avatar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 头像 (the avatar, square WebP; GET and HEAD) */
    get: operations['UsersController_avatar'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 用户列表 (accounts with their usage, newest first; admins only) */
    get: operations['AdminController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/users/{uid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 修改用户 (disable/enable an account, set its storage quota; admins only) */
    post: operations['AdminController_update'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/tus': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 创建断点续传 (tus creation: start a resumable upload; the body may carry the first bytes)
     * @description Then PATCH the bytes to the `Location`; HEAD it to learn where to resume after a dropped connection.
     */
    post: operations['TusController_create'];
    delete?: never;
    /** 断点续传能力 (tus discovery: what the server supports; no login needed) */
    options: operations['TusController_capabilities'];
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/tus/{uploadId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 断点续传结果 (the video a finished tus upload became)
     * @description Resumable uploads speak tus 1.0 at /api/videos/tus (POST to create, PATCH to send, HEAD to resume). The final PATCH answers `{errno: 0, video}`; this GET answers the same for a client that lost it. For 24 h a finished upload still answers HEAD (Upload-Offset = Upload-Length) and a repeated final PATCH (the same video).
     */
    get: operations['TusController_result'];
    put?: never;
    post?: never;
    /** 取消断点续传 (tus termination: drop an unfinished upload and its bytes) */
    delete: operations['TusController_terminate'];
    options?: never;
    /**
     * 断点续传进度 (tus: how many bytes the server has, to resume from there)
     * @description A finished upload still answers for 24 h, with `Upload-Offset` = `Upload-Length`. A refusal has no body (HEAD).
     */
    head: operations['TusController_offset'];
    /** 断点续传 (tus: send the next bytes; the last ones make the video) */
    patch: operations['TusController_send'];
    trace?: never;
  };
  '/api/videos/duplicates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 重复检查 (the caller’s own videos with exactly these bytes, before uploading them again) */
    get: operations['OwnerToolsController_duplicates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/{id}/cover': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 封面 (a JPEG frame from about 1 s in, once processing made it; GET and HEAD) */
    get: operations['VideosController_cover'];
    put?: never;
    /**
     * 设置封面 (the frame at `at` seconds, or an uploaded image; owner or an admin)
     * @description `at` as a form/JSON/query parameter, or multipart with the image in `cover` (JPEG, PNG or WebP by content, ≤ 5 MiB, re-encoded). 2006 while the video has no renditions; 9000 for a second outside the video. The new cover has a new `cover_url`.
     */
    post: operations['OwnerToolsController_cover'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/video_upload': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 上传视频 (upload a video: MP4/MOV, WebM/MKV, AVI, FLV or MPEG-TS, judged by content)
     * @description Streamed to storage; refused as soon as the first bytes are not a video (2002), the size limit is crossed (2003) or the owner's free storage is (2007; before the body when Content-Length already shows it).
     */
    post: operations['VideosController_upload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 视频列表 (a space's videos, sorted and searched; without `uid` your own, which needs a login)
     * @description Paged by `page` (offset) or, stable while videos are added, by `after` (the `next` of the previous answer; `after` wins over `page`, and the answer then has `page` 0). `total` counts every video that matches, whatever the page.
     */
    get: operations['VideosController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 视频详情 (one video; its owner also gets `failure`) */
    get: operations['VideosController_detail'];
    put?: never;
    post?: never;
    /** 删除视频 (owner or an admin; the row and every stored byte go) */
    delete: operations['VideosController_delete'];
    options?: never;
    head?: never;
    /** 编辑视频 (title, description, visibility; each optional; owner or an admin) */
    patch: operations['VideosController_edit'];
    trace?: never;
  };
  '/api/videos/{id}/edit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 编辑视频 (the same as PATCH, for form clients) */
    post: operations['VideosController_editByPost'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/{id}/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 播放 (the original bytes, as uploaded; Range requests give 206, an unsatisfiable range 416)
     * @description GET and HEAD. The type is the one judged at upload: `video/mp4`, `video/quicktime`, `video/webm`, `video/x-matroska`, `video/x-msvideo`, `video/x-flv` or `video/mp2t`. Errors are JSON: 404 with 2004, 416 with 9000 and `Content-Range: bytes *\/SIZE`.
     */
    get: operations['VideosController_stream'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/{id}/renditions/{attempt}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 播放版本 (renditions: the web MP4 and the HLS ladder; Range and conditional requests as for stream)
     * @description GET and HEAD. Only the current set answers; another attempt or file is 404 / 2004. Types: `video/mp4` (video.mp4, init.mp4), `application/vnd.apple.mpegurl` (playlists), `video/iso.segment` (segments). A rendition set never changes under its URL (a new processing run has new URLs): cached for a year, immutable.
     */
    get: operations['VideosController_rendition'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/{id}/reprocess': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 重新处理 (owner only: run processing again; 2008 when the original holds no video to decode)
     * @description Answers the video in status processing. The current renditions keep playing until the new ones replace them.
     */
    post: operations['VideosController_reprocess'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/videos/{id}/view': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 播放计数 (counts a view when playback starts: once per viewer and video per 6 hours)
     * @description The viewer is the logged-in account, else the client address (IPv6 per /64). `views` includes views not yet written to the database, so it may be ahead of `video.views` by up to one flush interval (`VIEWS_FLUSH_MS`).
     */
    post: operations['ViewsController_view'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    SendVcodeDto: {
      /**
       * @description 邮箱 (email)
       * @example alice@example.com
       */
      email: string;
      /**
       * @description 用途 (what the code is for): register (when absent), reset (password), email (change of address, logged in)
       * @enum {string}
       */
      purpose?: 'register' | 'reset' | 'email';
    };
    CheckVcodeDto: {
      /**
       * @description 邮箱 (email)
       * @example alice@example.com
       */
      email: string;
      /**
       * @description 6 位验证码 (the 6-digit code from the mail)
       * @example 123456
       */
      vcode: string;
      /**
       * @description 用途 (what the code is for): register (when absent), reset (password), email (change of address, logged in)
       * @enum {string}
       */
      purpose?: 'register' | 'reset' | 'email';
    };
    ResetPasswordDto: {
      /**
       * @description 新密码，8–64 个字符，含字母和数字 (8–64 characters, a letter and a digit)
       * @example newsecret456
       */
      password_1: string;
      /**
       * @description 再次输入新密码 (the new password again)
       * @example newsecret456
       */
      password_2: string;
      /**
       * @description 邮箱 (email)
       * @example alice@example.com
       */
      email: string;
      /**
       * @description 重置密码验证码 (the code of purpose reset)
       * @example 123456
       */
      vcode: string;
    };
    ChangePasswordDto: {
      /**
       * @description 新密码，8–64 个字符，含字母和数字 (8–64 characters, a letter and a digit)
       * @example newsecret456
       */
      password_1: string;
      /**
       * @description 再次输入新密码 (the new password again)
       * @example newsecret456
       */
      password_2: string;
      /**
       * @description 当前密码 (the current password)
       * @example secret123
       */
      password: string;
    };
    /** @description The logged-in account: its public profile, its email, its storage and its role. */
    OwnProfile: {
      /**
       * Format: int64
       * @description the 10-digit uid
       * @example 4821930571
       */
      uid: number;
      /** @example 小明 */
      username: string;
      /**
       * Format: date-time
       * @example 2026-12-01T08:00:00.000Z
       */
      created_at: string;
      /**
       * @description videos in the space
       * @example 3
       */
      video_count: number;
      /**
       * @description up to 200 characters; may be empty
       * @example 拍拍日常
       */
      bio: string;
      /**
       * @description the 256 px avatar (add `&size=64` for the small one); changes with every new avatar; null without one
       * @example /api/users/4821930571/avatar?v=3f9a1c02
       */
      avatar_url: string | null;
      /** @example alice@example.com */
      email: string;
      /**
       * Format: int64
       * @description bytes stored: originals and renditions
       * @example 73400320
       */
      storage_used: number;
      /**
       * Format: int64
       * @description bytes allowed; null: unlimited
       * @example null
       */
      storage_quota: number | null;
      /**
       * @example user
       * @enum {string}
       */
      role: 'user' | 'admin';
    };
    ChangeEmailDto: {
      /**
       * @description 新邮箱 (the new email)
       * @example alice@example.org
       */
      email: string;
      /**
       * @description 发到新邮箱的验证码 (the code of purpose email, mailed to the new address)
       * @example 123456
       */
      vcode: string;
    };
    PasswordDto: {
      /**
       * @description 当前密码 (the current password)
       * @example secret123
       */
      password: string;
    };
    RegisterDto: {
      /**
       * @description 邮箱 (email)
       * @example alice@example.com
       */
      email: string;
      /**
       * @description 用户名，1–20 个字符 (1 to 20 characters)
       * @example 小明
       */
      username: string;
      /**
       * @description 密码，8–64 个字符，含字母和数字 (8–64 characters, a letter and a digit)
       * @example secret123
       */
      password_1: string;
      /**
       * @description 再次输入密码 (the password again)
       * @example secret123
       */
      password_2: string;
      /**
       * @description 验证码；已通过 validatevacode 验证时可省略 (the code; optional after a successful validatevacode)
       * @example 123456
       */
      vcode?: string;
    };
    LoginDto: {
      /**
       * @description 邮箱或 uid (email or 10-digit uid)
       * @example alice@example.com
       */
      user: string;
      /**
       * @description 密码 (password)
       * @example secret123
       */
      password: string;
    };
    ProfileDto: {
      /**
       * @description 用户名，1–20 个字符 (1 to 20 characters); absent: unchanged
       * @example 小明
       */
      username?: string;
      /**
       * @description 简介，最多 200 个字符 (up to 200 characters, may be empty); absent: unchanged
       * @example 拍拍日常
       */
      bio?: string;
    };
    /** @description One login of the account: where and when it was last seen. */
    Session: {
      /**
       * @description a digest of the session key (never the key)
       * @example Jq3h0cW6b2yq1m2nZx8R1w
       */
      id: string;
      /** @description whether this is the session of the request */
      current: boolean;
      /** Format: date-time */
      created_at: string | null;
      /**
       * Format: date-time
       * @description moved at most once a minute
       */
      last_seen_at: string | null;
      /** @example 203.0.113.7 */
      ip: string | null;
      /** @example Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) */
      user_agent: string | null;
    };
    /** @description What a personal space shows of its owner (never the email). */
    Profile: {
      /**
       * Format: int64
       * @description the 10-digit uid
       * @example 4821930571
       */
      uid: number;
      /** @example 小明 */
      username: string;
      /**
       * Format: date-time
       * @example 2026-12-01T08:00:00.000Z
       */
      created_at: string;
      /**
       * @description videos in the space
       * @example 3
       */
      video_count: number;
      /**
       * @description up to 200 characters; may be empty
       * @example 拍拍日常
       */
      bio: string;
      /**
       * @description the 256 px avatar (add `&size=64` for the small one); changes with every new avatar; null without one
       * @example /api/users/4821930571/avatar?v=3f9a1c02
       */
      avatar_url: string | null;
    };
    /** @description An account as its admin sees it. */
    AdminUser: {
      /**
       * Format: int64
       * @example 4821930571
       */
      uid: number;
      /** @example 小明 */
      username: string;
      /** @example alice@example.com */
      email: string;
      /**
       * Format: date-time
       * @example 2026-12-01T08:00:00.000Z
       */
      created_at: string;
      /** @example 3 */
      video_count: number;
      /**
       * Format: int64
       * @description bytes: originals and renditions
       * @example 73400320
       */
      storage_used: number;
      /**
       * Format: int64
       * @description bytes; null: unlimited
       * @example null
       */
      storage_quota: number | null;
      disabled: boolean;
      /** @enum {string} */
      role: 'user' | 'admin';
    };
    AdminChangeDto: {
      /**
       * @description 停用 (disable: its sessions end at once, its login answers 1012)
       * @enum {string}
       */
      disabled?: 'true' | 'false';
      /**
       * @description 存储配额，字节；空为不限；default 为默认配额 (bytes; empty: unlimited; `default`: USER_QUOTA_BYTES)
       * @example 10737418240
       */
      storage_quota?: string;
    };
    /** @description Web-safe renditions, once processing made them: an HLS ladder and a single H.264/AAC MP4 (faststart). */
    VideoPlayback: {
      /** @example /api/videos/9f1c2e7a4b5d6c8e0a1b/renditions/3fa9c1d2e4b6/hls/master.m3u8 */
      hls_url: string;
      /** @example /api/videos/9f1c2e7a4b5d6c8e0a1b/renditions/3fa9c1d2e4b6/video.mp4 */
      mp4_url: string;
    };
    /** @description While status is processing: the stage and how far the whole run is. */
    VideoProcessing: {
      /**
       * @description `queued`: waiting for a worker (percent 0)
       * @enum {string}
       */
      stage: 'queued' | 'probe' | 'transcode' | 'package' | 'cover';
      /** @description of the whole run */
      percent: number;
    };
    /** @description The contract's `video` object. */
    Video: {
      /** @example 9f1c2e7a4b5d6c8e0a1b */
      id: string;
      /**
       * Format: int64
       * @description the owner's uid
       * @example 4821930571
       */
      uid: number;
      /** @example 第一个视频 */
      title: string;
      /** @example 我的第一个视频 */
      description: string;
      /**
       * Format: int64
       * @description bytes of the original
       * @example 10485760
       */
      size: number;
      /**
       * @description the type of the original, judged by its content
       * @example video/mp4
       */
      mime: string;
      /** @description SHA-256 of the original, hex */
      sha256: string;
      /**
       * @description seconds; null until probed
       * @example 12.345
       */
      duration: number | null;
      /**
       * @description displayed width (rotation applied); null until probed
       * @example 1920
       */
      width: number | null;
      /**
       * @description displayed height; null until probed
       * @example 1080
       */
      height: number | null;
      /**
       * @description the original's video codec
       * @example h264
       */
      codec: string | null;
      /**
       * @description processing → ready | failed
       * @enum {string}
       */
      status: 'processing' | 'ready' | 'failed';
      /**
       * Format: date-time
       * @example 2026-12-01T08:00:00.000Z
       */
      created_at: string;
      /**
       * @description the original bytes, as uploaded
       * @example /api/videos/9f1c2e7a4b5d6c8e0a1b/stream
       */
      stream_url: string;
      /**
       * @description public: listed in the space; unlisted: anyone with the id, listed only to its owner; private: its owner (and admins) only
       * @example public
       * @enum {string}
       */
      visibility: 'public' | 'unlisted' | 'private';
      /**
       * @description views counted (POST …/view), as written to the database: may lag by up to one flush interval (VIEWS_FLUSH_MS)
       * @example 42
       */
      views: number;
      /**
       * @description null until made
       * @example /api/videos/9f1c2e7a4b5d6c8e0a1b/cover
       */
      cover_url: string | null;
      /** @description null until processing made renditions */
      playback: components['schemas']['VideoPlayback'] | null;
      /** @description only while status is processing, else null */
      processing: components['schemas']['VideoProcessing'] | null;
      /** @description Only in answers to the owner (absent for anyone else): why processing failed, in a few English words; null unless failed. */
      failure?: string | null;
    };
    EditVideoDto: {
      /** @description 标题，1–80 字 (not empty) */
      title?: string;
      /** @description 简介，最多 2000 字 */
      description?: string;
      /**
       * @description 公开 / 不公开列出 / 仅自己可见 (public, unlisted, private)
       * @enum {string}
       */
      visibility?: 'public' | 'unlisted' | 'private';
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description errno 0 when every configured dependency is up, else 9999 with the same fields. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno?: 0 | 9999;
            /** @example ok */
            msg?: string;
            /** @enum {string} */
            db?: 'up' | 'down';
            /** @enum {string} */
            redis?: 'up' | 'down' | 'off';
            /** @enum {string} */
            storage?: 'up' | 'down';
            /**
             * @description down: videos are stored but not processed (status failed)
             * @enum {string}
             */
            ffmpeg?: 'up' | 'down';
            /** @description The job engine (null when its queue cannot be read): jobs waiting and running, workers alive. */
            processing?: {
              /** @enum {string} */
              engine?: 'bullmq' | 'in-process';
              /** @description whether this process runs jobs */
              local_worker?: boolean;
              waiting?: number;
              active?: number;
              workers?: number;
            } | null;
          };
        };
      };
    };
  };
  AccountController_sendVcode: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['SendVcodeDto'];
        'application/json': components['schemas']['SendVcodeDto'];
        'multipart/form-data': components['schemas']['SendVcodeDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 验证码已发送，请查阅 | The verification code has been sent |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 1004 | 邮箱格式错误 | Invalid email address |
       *     | 1013 | 暂不开放注册 | Registration is not open |
       *     | 1001 | 请先注册 | Please register first |
       *     | 1010 | 账号已存在，请勿重复注册 | This account already exists |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 1006 | 验证码发送失败，请检查邮箱地址 | The verification code could not be sent, please check the email address |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 验证码已发送，请查阅 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 1004 | 1013 | 1001 | 1010 | 1005 | 1006 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_validateVcode: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['CheckVcodeDto'];
        'application/json': components['schemas']['CheckVcodeDto'];
        'multipart/form-data': components['schemas']['CheckVcodeDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 验证码正确 | The verification code is correct |
       *     | 1004 | 邮箱格式错误 | Invalid email address |
       *     | 1013 | 暂不开放注册 | Registration is not open |
       *     | 1009 | 该账户没有获取验证码 | No verification code was requested for this email |
       *     | 1008 | 验证码失效，请重新获取 | The verification code has expired, please request a new one |
       *     | 1007 | 验证码错误 | Wrong verification code |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 验证码正确 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1004 | 1013 | 1009 | 1008 | 1007 | 1005 | 9000 | 9999;
                /** @example 邮箱格式错误 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_resetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['ResetPasswordDto'];
        'application/json': components['schemas']['ResetPasswordDto'];
        'multipart/form-data': components['schemas']['ResetPasswordDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 密码已重置 | The password has been reset |
       *     | 1004 | 邮箱格式错误 | Invalid email address |
       *     | 1001 | 请先注册 | Please register first |
       *     | 1009 | 该账户没有获取验证码 | No verification code was requested for this email |
       *     | 1008 | 验证码失效，请重新获取 | The verification code has expired, please request a new one |
       *     | 1007 | 验证码错误 | Wrong verification code |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 1002 | 密码格式错误 | Invalid password format |
       *     | 1003 | 两次输入的密码不同 | The two passwords differ |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 密码已重置 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1004 | 1001 | 1009 | 1008 | 1007 | 1005 | 1002 | 1003 | 9000 | 9999;
                /** @example 邮箱格式错误 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_changePassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['ChangePasswordDto'];
        'application/json': components['schemas']['ChangePasswordDto'];
        'multipart/form-data': components['schemas']['ChangePasswordDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 密码已修改 | The password has been changed |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 1002 | 密码错误 | Wrong password |
       *     | 1002 | 密码格式错误 | Invalid password format |
       *     | 1003 | 两次输入的密码不同 | The two passwords differ |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 密码已修改 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 1005 | 1002 | 1003 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_changeEmail: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['ChangeEmailDto'];
        'application/json': components['schemas']['ChangeEmailDto'];
        'multipart/form-data': components['schemas']['ChangeEmailDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 1004 | 邮箱格式错误 | Invalid email address |
       *     | 1010 | 账号已存在，请勿重复注册 | This account already exists |
       *     | 1009 | 该账户没有获取验证码 | No verification code was requested for this email |
       *     | 1008 | 验证码失效，请重新获取 | The verification code has expired, please request a new one |
       *     | 1007 | 验证码错误 | Wrong verification code |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['OwnProfile'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 1004 | 1010 | 1009 | 1008 | 1007 | 1005 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['PasswordDto'];
        'application/json': components['schemas']['PasswordDto'];
        'multipart/form-data': components['schemas']['PasswordDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 账号已删除 | The account has been deleted |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 1002 | 密码错误 | Wrong password |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 账号已删除 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 1005 | 1002 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['RegisterDto'];
        'application/json': components['schemas']['RegisterDto'];
        'multipart/form-data': components['schemas']['RegisterDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 注册成功 | Registered |
       *     | 1004 | 邮箱格式错误 | Invalid email address |
       *     | 1010 | 账号已存在，请勿重复注册 | This account already exists |
       *     | 1009 | 该账户没有获取验证码 | No verification code was requested for this email |
       *     | 1008 | 验证码失效，请重新获取 | The verification code has expired, please request a new one |
       *     | 1007 | 验证码错误 | Wrong verification code |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 1001 | 用户名不合法 | Invalid username |
       *     | 1002 | 密码格式错误 | Invalid password format |
       *     | 1003 | 两次输入的密码不同 | The two passwords differ |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 注册成功 */
                msg: string;
                /**
                 * Format: int64
                 * @example 4821930571
                 */
                uid: number;
              }
            | {
                /** @enum {integer} */
                errno: 1004 | 1010 | 1009 | 1008 | 1007 | 1005 | 1001 | 1002 | 1003 | 9000 | 9999;
                /** @example 邮箱格式错误 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['LoginDto'];
        'application/json': components['schemas']['LoginDto'];
        'multipart/form-data': components['schemas']['LoginDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 登录成功 | Logged in |
       *     | 1001 | 请先注册 | Please register first |
       *     | 1005 | 操作过于频繁，请稍后再试 | Too many attempts, please try again later |
       *     | 1002 | 密码错误 | Wrong password |
       *     | 1012 | 账号已停用 | This account has been disabled |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          /** @description on success: the session cookie `ps.sid` (HttpOnly), and the device cookie `ps.dev` that keeps this browser's logins apart from others' failures */
          'Set-Cookie'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 登录成功 */
                msg: string;
                /**
                 * Format: int64
                 * @example 4821930571
                 */
                uid: number;
                /** @example 小明 */
                username: string;
              }
            | {
                /** @enum {integer} */
                errno: 1001 | 1005 | 1002 | 1012 | 9000 | 9999;
                /** @example 请先注册 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 注销成功 | Logged out |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 注销成功 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 9999;
                /** @example 服务器内部错误 */
                msg: string;
              };
        };
      };
    };
  };
  AccountController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['OwnProfile'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  ProfileController_update: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['ProfileDto'];
        'application/json': components['schemas']['ProfileDto'];
        'multipart/form-data': components['schemas']['ProfileDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 1001 | 用户名不合法 | Invalid username |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['OwnProfile'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 1001 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  ProfileController_setAvatar: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description 头像图片 (the image, ≤ 5242880 bytes)
           */
          avatar: Blob;
        };
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 3001 | 不支持的图片格式 | Unsupported image format |
       *     | 3002 | 图片文件过大 | The image file is too large |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['OwnProfile'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9000 | 3001 | 3002 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  ProfileController_removeAvatar: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['OwnProfile'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  SessionsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                sessions: components['schemas']['Session'][];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  SessionsController_revokeOthers: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                /** @example 2 */
                ended: number;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  SessionsController_end: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description the `id` of a session in the list */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  SessionsController_endByPost: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description the `id` of a session in the list */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  UsersController_profile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 10 位 uid (the space's 10-digit uid); anything else answers 1001 */
        uid: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1001 | 请先注册 | Please register first |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['Profile'];
              }
            | {
                /** @enum {integer} */
                errno: 1001 | 9999;
                /** @example 请先注册 */
                msg: string;
              };
        };
      };
    };
  };
  UsersController_avatar: {
    parameters: {
      query?: {
        /** @description the version in `avatar_url` (makes the URL change with the avatar) */
        v?: string;
        size?: 256 | 64;
      };
      header?: {
        /** @description one range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix` */
        Range?: string;
        /** @description the ETag (or date) of the copy a range completes */
        'If-Range'?: string;
        /** @description the ETag of a cached copy (304 when current) */
        'If-None-Match'?: string;
        /** @description the Last-Modified of a cached copy (304 when current) */
        'If-Modified-Since'?: string;
      };
      path: {
        /** @description 10 位 uid (the space's 10-digit uid); anything else answers 1001 */
        uid: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The whole object (HEAD: the headers only). Also the answer to a malformed or multi-range `Range`. */
      200: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description bytes */
          'Content-Length'?: number;
          [name: string]: unknown;
        };
        content: {
          'image/webp': Blob;
        };
      };
      /** @description The requested range (`Range`, and `If-Range` still matching). */
      206: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description `bytes first-last/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'image/webp': Blob;
        };
      };
      /** @description Not modified: the copy named by `If-None-Match` / `If-Modified-Since` is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description No such video (or not made yet): JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 1001 | 请先注册 | Please register first |
       */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 1001;
            /** @example 请先注册 */
            msg: string;
          };
        };
      };
      /**
       * @description The range starts past the end of the object: JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      416: {
        headers: {
          /** @description `bytes *\/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
    };
  };
  AdminController_list: {
    parameters: {
      query?: {
        /** @description 页码 (page, from 1) */
        page?: number;
        /** @description 每页条数 (per page, 1–100) */
        page_size?: number;
        /** @description 邮箱或用户名的一部分 (part of an email or a username, any case) */
        q?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9403 | 没有权限 | Permission denied |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                /** @example 1 */
                total: number;
                users: components['schemas']['AdminUser'][];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9403 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  AdminController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: number;
      };
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['AdminChangeDto'];
        'application/json': components['schemas']['AdminChangeDto'];
        'multipart/form-data': components['schemas']['AdminChangeDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9403 | 没有权限 | Permission denied |
       *     | 1001 | 请先注册 | Please register first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                user: components['schemas']['AdminUser'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9403 | 1001 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  TusController_create: {
    parameters: {
      query?: never;
      header: {
        /** @description `0`, with first bytes in the body (creation-with-upload) */
        'Upload-Offset'?: number;
        /** @description comma-separated `key base64(value)` pairs: `filename` (the default title), `filetype`, `title` (at most 80 characters), `description` (at most 2000); longer answers 400 / 9000 */
        'Upload-Metadata'?: string;
        /** @description `1` when the size is not known yet */
        'Upload-Defer-Length'?: '1';
        /** @description the size of the file, bytes (or `Upload-Defer-Length: 1`) */
        'Upload-Length'?: number;
        /** @description the protocol version */
        'Tus-Resumable': '1.0.0';
      };
      path?: never;
      cookie?: never;
    };
    /** @description the next bytes of the file */
    requestBody?: {
      content: {
        'application/offset+octet-stream': Blob;
      };
    };
    responses: {
      /** @description The last bytes are in: the upload became this video (the same answer to a repeated final request for 24 h). */
      200: {
        headers: {
          /** @description the new video's id */
          'X-Video-Id'?: string;
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 0;
            /** @example 上传成功 */
            msg: string;
            video: components['schemas']['Video'];
          };
        };
      };
      /** @description Created. */
      201: {
        headers: {
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          /** @description `/api/videos/tus/<uploadId>` (relative) */
          Location?: string;
          /** @description bytes received with the creation */
          'Upload-Offset'?: number;
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description Missing or malformed tus headers, or a title or description too long.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
      /**
       * @description No session.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 1011 | 请先登录 | Please log in first |
       */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 1011;
            /** @example 请先登录 */
            msg: string;
          };
        };
      };
      /**
       * @description 2003: over the upload size limit (`Tus-Max-Size`); 2007: more than the owner's free storage (the upload and its parts are removed).
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2003 | 视频文件过大 | The video file is too large |
       *     | 2007 | 存储空间不足 | Not enough storage space |
       */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2003 | 2007;
            /** @example 视频文件过大 */
            msg: string;
          };
        };
      };
      /**
       * @description 2002: the complete file is not a video (its parts are removed); 9000: a PATCH body not sent as `application/offset+octet-stream`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2002 | 不支持的视频格式 | Unsupported video format |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2002 | 9000;
            /** @example 不支持的视频格式 */
            msg: string;
          };
        };
      };
    };
  };
  TusController_capabilities: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The capabilities. */
      204: {
        headers: {
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          /** @description `1.0.0` */
          'Tus-Version'?: string;
          /** @description creation,creation-with-upload,creation-defer-length,termination,expiration */
          'Tus-Extension'?: string;
          /** @description the upload size limit, bytes */
          'Tus-Max-Size'?: number;
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TusController_result: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description the last segment of the `Location` that creation answered */
        uploadId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 2004 | 2005 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  TusController_terminate: {
    parameters: {
      query?: never;
      header: {
        /** @description the protocol version */
        'Tus-Resumable': '1.0.0';
      };
      path: {
        /** @description the last segment of the `Location` that creation answered */
        uploadId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed. */
      204: {
        headers: {
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description The upload is finished (its record keeps a retry from making a second video).
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
      /**
       * @description No session.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 1011 | 请先登录 | Please log in first |
       */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 1011;
            /** @example 请先登录 */
            msg: string;
          };
        };
      };
      /**
       * @description Another account's upload.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2005;
            /** @example 无权操作该视频 */
            msg: string;
          };
        };
      };
      /**
       * @description No such upload (or it expired).
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2004 | 视频不存在 | Video not found |
       */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2004;
            /** @example 视频不存在 */
            msg: string;
          };
        };
      };
    };
  };
  TusController_offset: {
    parameters: {
      query?: never;
      header: {
        /** @description the protocol version */
        'Tus-Resumable': '1.0.0';
      };
      path: {
        /** @description the last segment of the `Location` that creation answered */
        uploadId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The offset to resume from. */
      200: {
        headers: {
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          /** @description bytes received */
          'Upload-Offset'?: number;
          /** @description the size of the file (absent while deferred) */
          'Upload-Length'?: number;
          /** @description `no-store` */
          'Cache-Control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No session. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Another account's upload. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such upload (or it expired). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TusController_send: {
    parameters: {
      query?: never;
      header: {
        /** @description the size, once known (after `Upload-Defer-Length`) */
        'Upload-Length'?: number;
        /** @description where these bytes start (the offset HEAD answered) */
        'Upload-Offset': number;
        /** @description the protocol version */
        'Tus-Resumable': '1.0.0';
      };
      path: {
        /** @description the last segment of the `Location` that creation answered */
        uploadId: string;
      };
      cookie?: never;
    };
    /** @description the next bytes of the file */
    requestBody?: {
      content: {
        'application/offset+octet-stream': Blob;
      };
    };
    responses: {
      /** @description The last bytes are in: the upload became this video (the same answer to a repeated final request for 24 h). */
      200: {
        headers: {
          /** @description the new video's id */
          'X-Video-Id'?: string;
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 0;
            /** @example 上传成功 */
            msg: string;
            video: components['schemas']['Video'];
          };
        };
      };
      /** @description Received; more to send. */
      204: {
        headers: {
          /** @description `1.0.0` */
          'Tus-Resumable'?: string;
          /** @description bytes received */
          'Upload-Offset'?: number;
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description Malformed tus headers.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
      /**
       * @description No session.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 1011 | 请先登录 | Please log in first |
       */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 1011;
            /** @example 请先登录 */
            msg: string;
          };
        };
      };
      /**
       * @description Another account's upload.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2005;
            /** @example 无权操作该视频 */
            msg: string;
          };
        };
      };
      /**
       * @description No such upload (or it expired).
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2004 | 视频不存在 | Video not found |
       */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2004;
            /** @example 视频不存在 */
            msg: string;
          };
        };
      };
      /**
       * @description `Upload-Offset` is not the offset the server has: HEAD, then resume from there.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
      /**
       * @description 2003: over the upload size limit (`Tus-Max-Size`); 2007: more than the owner's free storage (the upload and its parts are removed).
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2003 | 视频文件过大 | The video file is too large |
       *     | 2007 | 存储空间不足 | Not enough storage space |
       */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2003 | 2007;
            /** @example 视频文件过大 */
            msg: string;
          };
        };
      };
      /**
       * @description 2002: the complete file is not a video (its parts are removed); 9000: a PATCH body not sent as `application/offset+octet-stream`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2002 | 不支持的视频格式 | Unsupported video format |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2002 | 9000;
            /** @example 不支持的视频格式 */
            msg: string;
          };
        };
      };
    };
  };
  OwnerToolsController_duplicates: {
    parameters: {
      query: {
        /** @description the file’s SHA-256, 64 lower-case hex digits */
        sha256: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                videos: components['schemas']['Video'][];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_cover: {
    parameters: {
      query?: never;
      header?: {
        /** @description one range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix` */
        Range?: string;
        /** @description the ETag (or date) of the copy a range completes */
        'If-Range'?: string;
        /** @description the ETag of a cached copy (304 when current) */
        'If-None-Match'?: string;
        /** @description the Last-Modified of a cached copy (304 when current) */
        'If-Modified-Since'?: string;
      };
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The whole object (HEAD: the headers only). Also the answer to a malformed or multi-range `Range`. */
      200: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description bytes */
          'Content-Length'?: number;
          [name: string]: unknown;
        };
        content: {
          'image/jpeg': Blob;
        };
      };
      /** @description The requested range (`Range`, and `If-Range` still matching). */
      206: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description `bytes first-last/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'image/jpeg': Blob;
        };
      };
      /** @description Not modified: the copy named by `If-None-Match` / `If-Modified-Since` is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description No such video (or not made yet): JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2006 | 封面尚未生成 | The cover is not ready yet |
       */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2004 | 2006;
            /** @example 视频不存在 */
            msg: string;
          };
        };
      };
      /**
       * @description The range starts past the end of the object: JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      416: {
        headers: {
          /** @description `bytes *\/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
    };
  };
  OwnerToolsController_cover: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': {
          /**
           * @description seconds into the video
           * @example 12.5
           */
          at?: string;
          /**
           * Format: binary
           * @description an image (≤ 5242880 bytes) instead of `at`
           */
          cover?: Blob;
        };
        'application/json': {
          /**
           * @description seconds into the video
           * @example 12.5
           */
          at?: string;
          /**
           * Format: binary
           * @description an image (≤ 5242880 bytes) instead of `at`
           */
          cover?: Blob;
        };
        'multipart/form-data': {
          /**
           * @description seconds into the video
           * @example 12.5
           */
          at?: string;
          /**
           * Format: binary
           * @description an image (≤ 5242880 bytes) instead of `at`
           */
          cover?: Blob;
        };
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       *     | 2006 | 封面尚未生成 | The cover is not ready yet |
       *     | 3001 | 不支持的图片格式 | Unsupported image format |
       *     | 3002 | 图片文件过大 | The image file is too large |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 2004 | 2005 | 2006 | 3001 | 3002 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_upload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description 视频文件 (the video file)
           */
          video: Blob;
          /** @description 标题，最多 80 字；默认为文件名 (default: the file name) */
          title?: string;
          /** @description 简介，最多 2000 字 */
          description?: string;
        };
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 上传成功 | Uploaded |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 2002 | 不支持的视频格式 | Unsupported video format |
       *     | 2003 | 视频文件过大 | The video file is too large |
       *     | 2007 | 存储空间不足 | Not enough storage space |
       *     | 2001 | 请选择要上传的视频 | Please choose a video to upload |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 上传成功 */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9000 | 2002 | 2003 | 2007 | 2001 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_list: {
    parameters: {
      query?: {
        /** @description 空间的 uid；不填为自己的 (the space; default: your own, which needs a login) */
        uid?: number;
        /** @description 页码，从 1 开始 (page, from 1) */
        page?: number;
        /** @description 每页条数，最多 100；更大的数按 100 (per page; more is taken as 100) */
        page_size?: number;
        /** @description 排序 (order): new 最新 (newest first), old 最早 (oldest first), views 最多播放 (most viewed, then newest) */
        sort?: 'new' | 'old' | 'views';
        /** @description 搜索标题 (words in the title: each must appear, any case; % and _ are plain characters); at most 10 words and 100 characters */
        q?: string;
        /** @description 上一页答复的 next (the `next` of the previous answer, for the same sort); wins over `page` */
        after?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                total: number;
                /** @description the page answered; 0 when `after` was given */
                page: number;
                page_size: number;
                /** @description pass as `after` for the next page; null on the last page */
                next: string | null;
                videos: components['schemas']['Video'][];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_detail: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 2004 | 9999;
                /** @example 视频不存在 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | 删除成功 | Deleted |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example 删除成功 */
                msg: string;
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 2004 | 2005 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_edit: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['EditVideoDto'];
        'application/json': components['schemas']['EditVideoDto'];
        'multipart/form-data': components['schemas']['EditVideoDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 2004 | 2005 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_editByPost: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    /** @description urlencoded, JSON or multipart; the server also accepts the same fields in the query string (the body wins). */
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['EditVideoDto'];
        'application/json': components['schemas']['EditVideoDto'];
        'multipart/form-data': components['schemas']['EditVideoDto'];
      };
    };
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       *     | 9000 | 请求参数错误 | Bad request parameters |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 2004 | 2005 | 9000 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  VideosController_stream: {
    parameters: {
      query?: never;
      header?: {
        /** @description one range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix` */
        Range?: string;
        /** @description the ETag (or date) of the copy a range completes */
        'If-Range'?: string;
        /** @description the ETag of a cached copy (304 when current) */
        'If-None-Match'?: string;
        /** @description the Last-Modified of a cached copy (304 when current) */
        'If-Modified-Since'?: string;
      };
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The whole object (HEAD: the headers only). Also the answer to a malformed or multi-range `Range`. */
      200: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description bytes */
          'Content-Length'?: number;
          [name: string]: unknown;
        };
        content: {
          'video/*': Blob;
        };
      };
      /** @description The requested range (`Range`, and `If-Range` still matching). */
      206: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description `bytes first-last/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'video/*': Blob;
        };
      };
      /** @description Not modified: the copy named by `If-None-Match` / `If-Modified-Since` is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description No such video (or not made yet): JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2004 | 视频不存在 | Video not found |
       */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2004;
            /** @example 视频不存在 */
            msg: string;
          };
        };
      };
      /**
       * @description The range starts past the end of the object: JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      416: {
        headers: {
          /** @description `bytes *\/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
    };
  };
  VideosController_rendition: {
    parameters: {
      query?: never;
      header?: {
        /** @description one range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix` */
        Range?: string;
        /** @description the ETag (or date) of the copy a range completes */
        'If-Range'?: string;
        /** @description the ETag of a cached copy (304 when current) */
        'If-None-Match'?: string;
        /** @description the Last-Modified of a cached copy (304 when current) */
        'If-Modified-Since'?: string;
      };
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
        /** @description the rendition set (from `playback`) */
        attempt: string;
        /** @description `video.mp4`, `hls/master.m3u8`, `hls/<N>p/index.m3u8`, `hls/<N>p/init.mp4` or `hls/<N>p/seg_<5 digits>.m4s` (slashes not encoded) */
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The whole object (HEAD: the headers only). Also the answer to a malformed or multi-range `Range`. */
      200: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description bytes */
          'Content-Length'?: number;
          [name: string]: unknown;
        };
        content: {
          'video/mp4': Blob;
          'application/vnd.apple.mpegurl': Blob;
          'video/iso.segment': Blob;
        };
      };
      /** @description The requested range (`Range`, and `If-Range` still matching). */
      206: {
        headers: {
          /** @description strong validator: the object never changes under it */
          ETag?: string;
          /** @description HTTP date */
          'Last-Modified'?: string;
          /** @description public; immutable for renditions, revalidated for the original and the cover */
          'Cache-Control'?: string;
          /** @description `bytes` */
          'Accept-Ranges'?: string;
          /** @description `bytes first-last/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'video/mp4': Blob;
          'application/vnd.apple.mpegurl': Blob;
          'video/iso.segment': Blob;
        };
      };
      /** @description Not modified: the copy named by `If-None-Match` / `If-Modified-Since` is current. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /**
       * @description No such video (or not made yet): JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 2004 | 视频不存在 | Video not found |
       */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 2004;
            /** @example 视频不存在 */
            msg: string;
          };
        };
      };
      /**
       * @description The range starts past the end of the object: JSON.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 9000 | 请求参数错误 | Bad request parameters |
       */
      416: {
        headers: {
          /** @description `bytes *\/size` */
          'Content-Range'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {integer} */
            errno: 9000;
            /** @example 请求参数错误 */
            msg: string;
          };
        };
      };
    };
  };
  VideosController_reprocess: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 视频 id (video id: 20 lower-case hex digits; anything else answers 2004) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 1011 | 请先登录 | Please log in first |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 2005 | 无权操作该视频 | You may not modify this video |
       *     | 2008 | 视频处理失败 | The video cannot be processed |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                video: components['schemas']['Video'];
              }
            | {
                /** @enum {integer} */
                errno: 1011 | 2004 | 2005 | 2008 | 9999;
                /** @example 请先登录 */
                msg: string;
              };
        };
      };
    };
  };
  ViewsController_view: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description 视频 id (video id) */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /**
       * @description HTTP 200 for every outcome; branch on `errno`.
       *
       *     | errno | msg | en |
       *     |---|---|---|
       *     | 0 | ok | ok |
       *     | 2004 | 视频不存在 | Video not found |
       *     | 9999 | 服务器内部错误 | Internal server error |
       */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {integer} */
                errno: 0;
                /** @example ok */
                msg: string;
                /** @example 42 */
                views: number;
              }
            | {
                /** @enum {integer} */
                errno: 2004 | 9999;
                /** @example 视频不存在 */
                msg: string;
              };
        };
      };
    };
  };
}
