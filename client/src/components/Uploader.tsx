import { useRef, useState } from 'preact/hooks';
import { ApiError, RESUMABLE_FROM, uploadResumable, uploadVideo, type UploadProgress, type Video } from '../api.js';
import { formatBytes } from '../format.js';
import { t } from '../i18n.js';

/** sending and waiting (offline, resumable only) are running; the others are final. */
type State = 'sending' | 'waiting' | 'done' | 'refused' | 'error' | 'cancelled';

interface Item {
  key: number;
  name: string;
  size: number;
  progress: UploadProgress;
  state: State;
  message?: string;
  video?: Video;
  abort: () => void;
}

let nextKey = 1;

const running = (state: State) => state === 'sending' || state === 'waiting';

/** File picker and drop zone; each file gets its own progress bar, speed, time left and cancel button. */
export function Uploader({ onUploaded }: { onUploaded: (video: Video) => void }) {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  /** Changes a running row; a row that reached a final state (e.g. cancelled by the user) keeps it. */
  const update = (key: number, change: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.key === key && running(item.state) ? { ...item, ...change } : item)));

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = nextKey++;
      const send = file.size >= RESUMABLE_FROM ? uploadResumable : uploadVideo;
      const { done, abort } = send(file, {
        onProgress: (progress) => update(key, { progress }),
        onWaiting: (waiting) => update(key, { state: waiting ? 'waiting' : 'sending' }),
      });
      setItems((list) => [
        { key, name: file.name, size: file.size, progress: { loaded: 0, total: file.size, speed: 0 }, state: 'sending', abort },
        ...list,
      ]);
      done.then(
        (video) => {
          update(key, { state: 'done', video });
          onUploaded(video);
        },
        (error: unknown) => {
          if (!(error instanceof ApiError)) update(key, { state: 'error', message: t.networkError });
          else if (error.errno === -2) update(key, { state: 'cancelled' });
          else if (error.errno > 0) update(key, { state: 'refused', message: error.message });
          else update(key, { state: 'error', message: navigator.onLine ? t.networkError : t.offlineFailed });
        },
      );
    }
  };

  const cancel = (item: Item) => {
    // Final at once: tus-js-client's abort() reports nothing back.
    update(item.key, { state: 'cancelled' });
    item.abort();
  };

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
        <strong>{t.upload}</strong>
        <span>{t.dropHere}</span>
        <input
          ref={input}
          id="video-files"
          type="file"
          accept="video/*"
          multiple
          onChange={() => {
            if (input.current?.files?.length) start(input.current.files);
            if (input.current) input.current.value = '';
          }}
        />
      </label>
      {items.length > 0 && (
        <ul class="uploads">
          {items.map((item) =>
            running(item.state) ? <Running key={item.key} item={item} onCancel={cancel} /> : <Finished key={item.key} item={item} />,
          )}
        </ul>
      )}
    </section>
  );
}

function Running({ item, onCancel }: { item: Item; onCancel: (item: Item) => void }) {
  const { loaded, total, speed } = item.progress;
  const percent = total ? Math.floor((loaded / total) * 100) : 0;
  const left = speed > 0 ? Math.ceil((total - loaded) / speed) : null;
  return (
    <li class={`upload ${item.state}`} data-state={item.state}>
      <div class="upload-head">
        <span class="name">{item.name}</span>
        <span class="percent" data-percent={percent}>
          {percent}%
        </span>
      </div>
      <progress max={100} value={percent} aria-label={item.name} />
      <div class="upload-foot">
        {item.state === 'waiting' ? (
          <span class="waiting" role="status">
            {t.waitingNetwork} {formatBytes(loaded)} / {formatBytes(item.size)}
          </span>
        ) : (
          <span>
            {formatBytes(loaded)} / {formatBytes(item.size)} · {formatBytes(speed)}/s
            {left !== null && ` · ${t.left} ${left}s`}
          </span>
        )}
        <button type="button" class="secondary small" onClick={() => onCancel(item)}>
          {t.cancel}
        </button>
      </div>
    </li>
  );
}

/** One compact line: the bar is gone, so a refused file never looks like a full, successful one. */
function Finished({ item }: { item: Item }) {
  return (
    <li class={`upload compact ${item.state}`} data-state={item.state}>
      <span class="mark" aria-hidden="true">
        {item.state === 'done' ? '✓' : item.state === 'cancelled' ? '–' : '!'}
      </span>
      <span class="name">{item.name}</span>
      <span class="size">{formatBytes(item.size)}</span>
      {item.state === 'done' && (
        <>
          <span class="outcome">{t.done}</span>
          {item.video && <a href={`/video/${item.video.id}`}>{t.view}</a>}
        </>
      )}
      {item.state === 'cancelled' && <span class="outcome">{t.cancelled}</span>}
      {(item.state === 'refused' || item.state === 'error') && (
        <span class="outcome error" role="alert">
          {item.state === 'refused' ? t.refused(item.message ?? '') : item.message}
        </span>
      )}
    </li>
  );
}
