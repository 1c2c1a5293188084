import { useRef, useState } from 'preact/hooks';
import { ApiError, RESUMABLE_FROM, uploadResumable, uploadVideo, type UploadProgress, type Video } from '../api.js';
import { formatBytes } from '../format.js';
import { t } from '../i18n.js';

interface Item {
  key: number;
  name: string;
  size: number;
  progress: UploadProgress;
  state: 'sending' | 'done' | 'error' | 'cancelled';
  error?: string;
  abort: () => void;
}

let nextKey = 1;

/** File picker and drop zone; each file gets its own progress bar, speed, time left and cancel button. */
export function Uploader({ onUploaded }: { onUploaded: (video: Video) => void }) {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const update = (key: number, change: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = nextKey++;
      const send = file.size >= RESUMABLE_FROM ? uploadResumable : uploadVideo;
      const { done, abort } = send(file, (progress) => update(key, { progress }));
      setItems((list) => [
        { key, name: file.name, size: file.size, progress: { loaded: 0, total: file.size, speed: 0 }, state: 'sending', abort },
        ...list,
      ]);
      done.then(
        (video) => {
          update(key, { state: 'done', progress: { loaded: file.size, total: file.size, speed: 0 } });
          onUploaded(video);
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.errno === -2) update(key, { state: 'cancelled' });
          else update(key, { state: 'error', error: error instanceof ApiError && error.errno > 0 ? error.message : t.networkError });
        },
      );
    }
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
          {items.map((item) => {
            const percent = item.progress.total ? Math.floor((item.progress.loaded / item.progress.total) * 100) : 0;
            const left = item.progress.speed > 0 ? Math.ceil((item.progress.total - item.progress.loaded) / item.progress.speed) : null;
            return (
              <li key={item.key} class={`upload ${item.state}`} data-state={item.state}>
                <div class="upload-head">
                  <span class="name">{item.name}</span>
                  <span class="percent" data-percent={percent}>
                    {percent}%
                  </span>
                </div>
                <progress max={100} value={percent} aria-label={item.name} />
                <div class="upload-foot">
                  {item.state === 'sending' && (
                    <>
                      <span>
                        {formatBytes(item.progress.loaded)} / {formatBytes(item.size)} · {formatBytes(item.progress.speed)}/s
                        {left !== null && ` · ${t.left} ${left}s`}
                      </span>
                      <button type="button" class="secondary small" onClick={() => item.abort()}>
                        {t.cancel}
                      </button>
                    </>
                  )}
                  {item.state === 'done' && <span>{t.done}</span>}
                  {item.state === 'cancelled' && <span>{t.cancelled}</span>}
                  {item.state === 'error' && (
                    <span class="error" role="alert">
                      {item.error}
                    </span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
