import { useRef, useState } from 'preact/hooks';
import { api, ApiError, RESUMABLE_FROM, uploadResumable, uploadVideo, type UploadProgress, type Video, type VideoText } from '../api.js';
import { formatBytes } from '../format.js';
import { messageOf } from '../forms.js';
import { hashFile } from '../hash.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { changesOf, titleOf, VideoFields } from './VideoFields.js';

/**
 * hashing (the duplicate check), duplicate (waits for the owner's choice), sending and waiting
 * (offline, resumable only) are running; the others are final.
 */
type State = 'hashing' | 'duplicate' | 'sending' | 'waiting' | 'done' | 'refused' | 'error' | 'cancelled' | 'skipped';

interface Item {
  key: number;
  file: File;
  state: State;
  hashed: number;
  duplicates: Video[];
  progress: UploadProgress;
  message?: string;
  /** The publish form as it is now. */
  fields: VideoText;
  /** The video once uploaded, as the server last described it. */
  video?: Video;
  open: boolean;
  saving: boolean;
  saveError?: string;
  saved: boolean;
  abort: () => void;
}

let nextKey = 1;

const running = (state: State) => state === 'hashing' || state === 'duplicate' || state === 'sending' || state === 'waiting';
const final = (state: State) => !running(state);

/**
 * A styled picker and drop zone; each file gets a publish form (title, description, who may watch)
 * that can be filled before, while and after it uploads, a duplicate check (its SHA-256, hashed in
 * a worker, against the owner's videos) and its own progress, speed, time left and cancel button.
 */
export function Uploader({ onUploaded, onChanged }: { onUploaded: (video: Video) => void; onChanged: (video: Video) => void }) {
  const session = useSession();
  // The items live in a ref so that callbacks of a running upload read the form as it is now.
  const items = useRef<Item[]>([]);
  const [, setVersion] = useState(0);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const rerender = () => setVersion((n) => n + 1);
  const get = (key: number) => items.current.find((item) => item.key === key);
  /** Changes a row; a row that reached a final state (e.g. cancelled by the user) keeps that state. */
  const update = (key: number, change: Partial<Item>) => {
    const item = get(key);
    if (!item || (final(item.state) && change.state !== undefined)) return;
    Object.assign(item, change);
    rerender();
  };

  /** Saves what the form says and the server does not have yet. */
  const save = async (key: number) => {
    const item = get(key);
    if (!item?.video) return;
    const change = changesOf(item.video, item.fields);
    if (Object.keys(change).length === 0) return;
    update(key, { saving: true, saveError: undefined, saved: false });
    try {
      const { video } = await api.edit(item.video.id, change);
      update(key, { video, saving: false, saved: true });
      onChanged(video);
    } catch (error) {
      update(key, { saving: false, saveError: messageOf(error) });
    }
  };

  const send = (key: number) => {
    const item = get(key);
    if (!item || final(item.state)) return;
    const { file } = item;
    const fields = { ...item.fields, title: item.fields.title.trim() || titleOf(file.name), description: item.fields.description.trim() };
    const upload = file.size >= RESUMABLE_FROM ? uploadResumable : uploadVideo;
    const { done, abort } = upload(file, {
      fields,
      onProgress: (progress) => update(key, { progress }),
      onWaiting: (waiting) => update(key, { state: waiting ? 'waiting' : 'sending' }),
    });
    update(key, { state: 'sending', abort });
    done.then(
      (video) => {
        update(key, { state: 'done', video });
        onUploaded(video);
        void session.refresh();
        // Changed while it uploaded: applied now.
        void save(key);
      },
      (error: unknown) => {
        if (!(error instanceof ApiError)) update(key, { state: 'error', message: t.networkError });
        else if (error.errno === -2) update(key, { state: 'cancelled' });
        else if (error.errno > 0) update(key, { state: 'refused', message: error.message });
        else update(key, { state: 'error', message: navigator.onLine ? t.networkError : t.offlineFailed });
      },
    );
  };

  /** Hashes the file, asks whether the owner has it already, then sends it (or asks first). */
  const check = (key: number) => {
    const item = get(key)!;
    const hashing = hashFile(item.file, (hashed) => update(key, { hashed }));
    update(key, { abort: hashing.cancel });
    hashing.done
      .then((sha256) => (get(key)?.state === 'hashing' ? api.duplicates(sha256) : undefined))
      .then(
        (reply) => {
          if (get(key)?.state !== 'hashing') return;
          if (reply?.videos.length) update(key, { state: 'duplicate', duplicates: reply.videos });
          else send(key);
        },
        // No worker, an unreadable file, or a server without the check (9404): the upload goes ahead.
        () => get(key)?.state === 'hashing' && send(key),
      );
  };

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = nextKey++;
      items.current = [
        {
          key,
          file,
          state: 'hashing',
          hashed: 0,
          duplicates: [],
          progress: { loaded: 0, total: file.size, speed: 0 },
          fields: { title: titleOf(file.name), description: '', visibility: 'public' },
          open: true,
          saving: false,
          saved: false,
          abort: () => undefined,
        },
        ...items.current,
      ];
      check(key);
    }
    rerender();
  };

  const cancel = (item: Item) => {
    // Final at once: tus-js-client's abort() reports nothing back.
    update(item.key, { state: 'cancelled' });
    item.abort();
  };

  const { user } = session;
  const quota = user?.storage_quota ?? null;

  return (
    <section class="uploader" aria-label={t.upload}>
      <label
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (event.dataTransfer?.files.length) start(event.dataTransfer.files);
        }}
      >
        <span class="drop-icon" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
            <path d="M12 16V4M6 10l6-6 6 6M4 20h16" />
          </svg>
        </span>
        <span class="button drop-button">{t.chooseVideos}</span>
        <span class="drop-text">{t.dropOr}</span>
        {user && (
          <span class="drop-storage" id="upload-storage">
            {quota === null
              ? t.storageUnlimited(formatBytes(user.storage_used))
              : t.storageUsed(formatBytes(user.storage_used), formatBytes(quota))}
          </span>
        )}
        <input
          ref={input}
          id="video-files"
          class="visually-hidden"
          type="file"
          accept="video/*"
          multiple
          onChange={() => {
            if (input.current?.files?.length) start(input.current.files);
            if (input.current) input.current.value = '';
          }}
        />
      </label>
      {items.current.length > 0 && (
        <ul class="uploads">
          {items.current.map((item) => (
            <Row
              key={item.key}
              item={item}
              onCancel={cancel}
              onFields={(fields) => update(item.key, { fields, saved: false, saveError: undefined })}
              onToggle={() => update(item.key, { open: !item.open })}
              onSave={() => void save(item.key)}
              onAnyway={() => send(item.key)}
              onSkip={() => update(item.key, { state: 'skipped' })}
              onSkipCheck={() => {
                // Sending first: the hash's rejection then finds the row no longer hashing.
                const stopHashing = item.abort;
                send(item.key);
                stopHashing();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface RowProps {
  item: Item;
  onCancel: (item: Item) => void;
  onFields: (fields: VideoText) => void;
  onToggle: () => void;
  onSave: () => void;
  onAnyway: () => void;
  onSkip: () => void;
  onSkipCheck: () => void;
}

function Row(props: RowProps) {
  const { item } = props;
  // A refused, failed, cancelled or skipped file has nothing to publish; a duplicate asks first.
  const publishable = (running(item.state) && item.state !== 'duplicate') || item.state === 'done';
  const dirty = item.video ? Object.keys(changesOf(item.video, item.fields)).length > 0 : false;
  return (
    <li class={`upload ${item.state}${running(item.state) ? '' : ' compact'}`} data-state={item.state}>
      {running(item.state) ? <Progress {...props} /> : <Finished item={item} onToggle={props.onToggle} />}
      {item.state === 'duplicate' && <Duplicates {...props} />}
      {publishable && item.open && (
        <div class="publish">
          <VideoFields id={`upload-${item.key}`} value={item.fields} onChange={props.onFields} />
          <div class="publish-foot">
            {item.state === 'done' ? (
              <>
                {item.saveError ? (
                  <p class="error" role="alert">
                    {item.saveError}
                  </p>
                ) : item.saved && !dirty ? (
                  <p class="success publish-saved" role="status">
                    {t.saved}
                  </p>
                ) : (
                  <span />
                )}
                <button type="button" class="small publish-save" disabled={!dirty || item.saving} onClick={props.onSave}>
                  {t.save}
                </button>
              </>
            ) : (
              <p class="hint">{t.appliedAfterUpload}</p>
            )}
          </div>
        </div>
      )}
    </li>
  );
}

function Progress({ item, onCancel, onSkipCheck }: RowProps) {
  const { loaded, total, speed } = item.progress;
  const size = item.file.size;
  if (item.state === 'hashing' || item.state === 'duplicate') {
    const percent = size ? Math.floor((item.hashed / size) * 100) : 100;
    return (
      <>
        <div class="upload-head">
          <span class="name">{item.file.name}</span>
          <button type="button" class="secondary small" onClick={() => onCancel(item)}>
            {t.cancel}
          </button>
        </div>
        {item.state === 'hashing' && (
          <div class="upload-foot">
            <span class="hashing" role="status" data-percent={percent}>
              {t.hashing(percent)}
            </span>
            <button type="button" class="link-button" onClick={onSkipCheck}>
              {t.skipCheck}
            </button>
          </div>
        )}
      </>
    );
  }
  const percent = total ? Math.floor((loaded / total) * 100) : 0;
  const left = speed > 0 ? Math.ceil((total - loaded) / speed) : null;
  return (
    <>
      <div class="upload-head">
        <span class="name">{item.file.name}</span>
        <span class="percent" data-percent={percent}>
          {percent}%
        </span>
      </div>
      <progress max={100} value={percent} aria-label={item.file.name} />
      <div class="upload-foot">
        {item.state === 'waiting' ? (
          <span class="waiting" role="status">
            {t.waitingNetwork} {formatBytes(loaded)} / {formatBytes(size)}
          </span>
        ) : (
          <span>
            {formatBytes(loaded)} / {formatBytes(size)} · {formatBytes(speed)}/s
            {left !== null && ` · ${t.left} ${left}s`}
          </span>
        )}
        <button type="button" class="secondary small" onClick={() => onCancel(item)}>
          {t.cancel}
        </button>
      </div>
    </>
  );
}

function Duplicates({ item, onAnyway, onSkip }: RowProps) {
  return (
    <div class="duplicates" role="alert">
      <p>{t.duplicateFound(item.duplicates.length)}</p>
      <ul>
        {item.duplicates.map((video) => (
          <li key={video.id}>
            <a href={`/video/${video.id}`} class="duplicate-link" target="_blank" rel="noopener">
              {video.cover_url ? <img src={video.cover_url} alt="" /> : <span class="duplicate-thumb" aria-hidden="true" />}
              <span>{video.title}</span>
            </a>
          </li>
        ))}
      </ul>
      <div class="row-actions">
        <button type="button" class="small upload-anyway" onClick={onAnyway}>
          {t.uploadAnyway}
        </button>
        <button type="button" class="secondary small skip-duplicate" onClick={onSkip}>
          {t.skip}
        </button>
      </div>
    </div>
  );
}

/** One compact line: the bar is gone, so a refused file never looks like a full, successful one. */
function Finished({ item, onToggle }: { item: Item; onToggle: () => void }) {
  return (
    <div class="upload-line">
      <span class="mark" aria-hidden="true">
        {item.state === 'done' ? '✓' : item.state === 'cancelled' || item.state === 'skipped' ? '–' : '!'}
      </span>
      <span class="name">{item.file.name}</span>
      <span class="size">{formatBytes(item.file.size)}</span>
      {item.state === 'done' && (
        <>
          <span class="outcome">{t.done}</span>
          <button type="button" class="link-button toggle-details" onClick={onToggle} aria-expanded={item.open}>
            {item.open ? t.hideDetails : t.editDetails}
          </button>
          {item.video && <a href={`/video/${item.video.id}`}>{t.view}</a>}
        </>
      )}
      {item.state === 'cancelled' && <span class="outcome">{t.cancelled}</span>}
      {item.state === 'skipped' && <span class="outcome">{t.skipped}</span>}
      {(item.state === 'refused' || item.state === 'error') && (
        <span class="outcome error" role="alert">
          {item.state === 'refused' ? t.refused(item.message ?? '') : item.message}
        </span>
      )}
    </div>
  );
}
