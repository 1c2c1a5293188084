import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Video } from '../api.js';
import { formatDuration, formatMoment } from '../format.js';
import { messageOf } from '../forms.js';
import { t } from '../i18n.js';

const FRAMES = 6;
const IMAGE_MAX = 5 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const STRIP_WIDTH = 192;

interface Frame {
  at: number;
  url: string;
}

/** Draws the frames at `times` from `src` (same origin, so the canvas may be read), one seek after the other. */
function useFrames(src: string, times: number[]): { frames: Frame[]; failed: boolean } {
  const [frames, setFrames] = useState<Frame[]>([]);
  const [failed, setFailed] = useState(false);
  const key = times.join(',');
  useEffect(() => {
    setFrames([]);
    setFailed(false);
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    video.playsInline = true;
    const canvas = document.createElement('canvas');
    let index = 0;
    let stopped = false;
    const seekNext = () => {
      if (index < times.length) video.currentTime = times[index];
    };
    video.addEventListener('loadeddata', seekNext);
    video.addEventListener('seeked', () => {
      if (stopped) return;
      canvas.width = STRIP_WIDTH;
      canvas.height = Math.round((STRIP_WIDTH * video.videoHeight) / (video.videoWidth || 16)) || 108;
      canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = { at: times[index], url: canvas.toDataURL('image/jpeg', 0.8) };
      setFrames((list) => [...list, frame]);
      index++;
      seekNext();
    });
    video.addEventListener('error', () => !stopped && setFailed(true));
    video.src = src;
    return () => {
      stopped = true;
      video.removeAttribute('src');
      video.load();
    };
  }, [src, key]);
  return { frames, failed };
}

/**
 * The owner's cover panel: a strip of frames drawn from the MP4 rendition, a slider for any
 * moment with the frame it shows, or a picture of one's own. Each new cover has a new URL.
 */
export function CoverPicker({ video, onChange }: { video: Video; onChange: (video: Video) => void }) {
  const duration = video.duration ?? 0;
  const src = video.playback?.mp4_url ?? video.stream_url;
  // Evenly spread, away from the very first and last frames (often black).
  const times = Array.from({ length: FRAMES }, (_, i) => Math.round(((i + 0.5) * duration * 10) / FRAMES) / 10);
  const { frames, failed } = useFrames(src, times);
  const [at, setAt] = useState(times[0] ?? 0);
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState('');
  const [error, setError] = useState('');
  const preview = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (preview.current && preview.current.readyState >= 1) preview.current.currentTime = at;
  }, [at]);

  const done = (changed: Video) => {
    onChange(changed);
    setOk(t.coverUpdated);
  };

  const chooseFrame = async () => {
    setOk('');
    setError('');
    setBusy(true);
    try {
      done((await api.coverAt(video.id, at)).video);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File) => {
    setOk('');
    setError('');
    // The server checks the same; saying it here saves sending 50 MB for nothing.
    if (!IMAGE_TYPES.includes(file.type)) return setError(t.coverBadType);
    if (file.size > IMAGE_MAX) return setError(t.coverTooLarge);
    setBusy(true);
    try {
      done((await api.uploadCover(video.id, file)).video);
    } catch (e) {
      setError(
        e instanceof ApiError && e.errno === 3001
          ? t.coverBadType
          : e instanceof ApiError && e.errno === 3002
            ? t.coverTooLarge
            : messageOf(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card cover-panel" id="cover-panel" aria-labelledby="cover-title">
      <h2 id="cover-title">{t.cover}</h2>
      <p class="muted">{t.coverHint}</p>
      <div class="cover-main">
        <div class="cover-preview">
          <video
            ref={preview}
            src={src}
            muted
            playsInline
            preload="auto"
            aria-label={t.frameAt(formatMoment(at))}
            onLoadedMetadata={(event) => ((event.target as HTMLVideoElement).currentTime = at)}
          />
          <div class="slider">
            <input
              id="cover-at"
              type="range"
              min={0}
              max={Math.max(duration - 0.1, 0)}
              step={0.1}
              value={at}
              aria-label={t.anySecond}
              onInput={(event) => setAt(Number((event.target as HTMLInputElement).value))}
            />
            <output for="cover-at" id="cover-at-value">
              {formatMoment(at)}
            </output>
          </div>
        </div>
        <div class="cover-side">
          <p class="cover-now-label muted">{t.cover}</p>
          {video.cover_url ? (
            <img class="cover-now" id="cover-now" src={video.cover_url} alt={t.cover} />
          ) : (
            <div class="cover-now placeholder" />
          )}
          <button type="button" id="use-frame" disabled={busy} onClick={() => void chooseFrame()}>
            {t.useFrame}
          </button>
          <label class="file-pick">
            <span class="button secondary-look">{t.uploadCoverImage}</span>
            <input
              id="cover-file"
              type="file"
              accept={IMAGE_TYPES.join(',')}
              disabled={busy}
              onChange={(event) => {
                const element = event.target as HTMLInputElement;
                const file = element.files?.[0];
                element.value = '';
                if (file) void upload(file);
              }}
            />
          </label>
        </div>
      </div>
      <div class="frame-strip" aria-busy={frames.length < times.length && !failed}>
        {failed ? (
          <p class="muted">{t.framesUnavailable}</p>
        ) : (
          times.map((time, i) => {
            const frame = frames[i];
            return (
              <button
                key={time}
                type="button"
                class={`frame${Math.abs(at - time) < 0.05 ? ' chosen' : ''}`}
                data-at={time}
                aria-label={t.frameAt(formatMoment(time))}
                aria-pressed={Math.abs(at - time) < 0.05}
                onClick={() => setAt(time)}
              >
                {frame ? <img src={frame.url} alt="" /> : <span class="frame-loading" aria-hidden="true" />}
                <span class="frame-time">{formatDuration(time)}</span>
              </button>
            );
          })
        )}
      </div>
      {error && (
        <p class="error" role="alert" id="cover-error">
          {error}
        </p>
      )}
      {ok && (
        <p class="success" role="status" id="cover-ok">
          {ok}
        </p>
      )}
    </section>
  );
}
