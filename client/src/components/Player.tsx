import type Hls from 'hls.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Video } from '../api.js';
import { t } from '../i18n.js';

const HLS_TYPE = 'application/vnd.apple.mpegurl';

/** A quality the menu offers: the hls.js level index of the best variant of that height. */
interface Quality {
  level: number;
  height: number;
}

/** The hls.js levels by height, best first; several bitrates of one height count once (the highest). */
function qualities(levels: readonly { height: number; bitrate: number }[]): Quality[] {
  const best = new Map<number, Quality & { bitrate: number }>();
  levels.forEach((level, index) => {
    const known = best.get(level.height);
    if (!known || level.bitrate > known.bitrate) best.set(level.height, { level: index, height: level.height, bitrate: level.bitrate });
  });
  return [...best.values()].sort((a, b) => b.height - a.height).map(({ level, height }) => ({ level, height }));
}

/**
 * hls.js needs Media Source Extensions (ManagedMediaSource on iPhones). Where they exist it is
 * preferred even if the browser plays HLS itself (Chromium 14x and Safari answer canPlayType):
 * only hls.js tells which qualities there are and lets one be chosen.
 */
const hasMediaSource = () => 'MediaSource' in window || 'ManagedMediaSource' in window;

/**
 * Plays the renditions: HLS through hls.js (a separate chunk, loaded only here) or natively where
 * there is no MSE, else the MP4 rendition; the original bytes when there are no renditions. Both
 * HLS and the ranged MP4 fetch only what a seek needs.
 */
export function Player({ video, owner, onStarted }: { video: Video; owner: boolean; onStarted?: () => void }) {
  const media = useRef<HTMLVideoElement>(null);
  const hls = useRef<Hls | null>(null);
  const [menu, setMenu] = useState<Quality[]>([]);
  const [choice, setChoice] = useState(-1);
  const [current, setCurrent] = useState<number | null>(null);
  const [broken, setBroken] = useState(false);
  // 'playing' fires again after every pause or stall; only the first one means playback started.
  const started = useRef(false);
  const { playback, stream_url } = video;

  useEffect(() => {
    const element = media.current!;
    const listeners = new AbortController();
    let instance: Hls | null = null;
    let stopped = false;
    setMenu([]);
    setChoice(-1);
    setCurrent(null);
    setBroken(false);

    // A new source's load pauses the element silently (no 'pause' event; even a queued 'play' event
    // is dropped): whoever sets one reads `paused` before and plays again after.
    const resume = (playing: boolean) => {
      if (playing && element.paused) void element.play().catch(() => undefined);
    };
    // A press on play that came before hls.js attached (the element had no source yet), until it is resumed.
    let pressed = false;

    /** A single file, the last resort: if the browser cannot play it, say so instead of a black box. */
    const progressive = (url: string) => {
      // Playback (or a press on play still waiting for data) goes on in the file, from where it was.
      const playing = pressed || !element.paused;
      pressed = false;
      const at = element.currentTime;
      instance?.destroy();
      instance = hls.current = null;
      setMenu([]);
      element.addEventListener('error', () => setBroken(true), { signal: listeners.signal, once: true });
      element.src = url;
      if (at > 0) element.currentTime = at;
      resume(playing);
    };

    if (!playback) {
      progressive(stream_url);
    } else if (!hasMediaSource() && element.canPlayType(HLS_TYPE)) {
      element.addEventListener('error', () => progressive(playback.mp4_url), { signal: listeners.signal, once: true });
      element.src = playback.hls_url;
    } else {
      import('hls.js').then(
        ({ default: HlsJs }) => {
          if (stopped) return;
          if (!HlsJs.isSupported()) return progressive(playback.mp4_url);
          // fMP4 segments need no transmuxing, and a blob: worker would be refused by the page's CSP.
          // 'auto' picks no more pixels than the player shows (a phone need not fetch 1080p).
          const player = new HlsJs({ enableWorker: false, capLevelToPlayerSize: true });
          instance = hls.current = player;
          player.on(HlsJs.Events.MANIFEST_PARSED, (_event, data) => setMenu(qualities(data.levels)));
          player.on(HlsJs.Events.LEVEL_SWITCHED, (_event, data) => setCurrent(player.levels[data.level]?.height ?? null));
          player.on(HlsJs.Events.ERROR, (_event, data) => {
            if (data.fatal && !stopped) progressive(playback.mp4_url);
          });
          pressed = !element.paused;
          player.once(HlsJs.Events.MEDIA_ATTACHED, () => {
            resume(pressed);
            pressed = false;
          });
          player.loadSource(playback.hls_url);
          player.attachMedia(element);
        },
        () => {
          if (!stopped) progressive(playback.mp4_url);
        },
      );
    }
    return () => {
      stopped = true;
      listeners.abort();
      instance?.destroy();
      hls.current = null;
      element.removeAttribute('src');
      element.load();
    };
  }, [playback?.hls_url, playback?.mp4_url, stream_url]);

  const choose = (level: number) => {
    setChoice(level);
    if (hls.current) hls.current.currentLevel = level;
  };

  return (
    <div class="player">
      <video
        id="player"
        ref={media}
        hidden={broken}
        controls
        playsInline
        preload="metadata"
        poster={video.cover_url ?? undefined}
        onPlaying={() => {
          if (started.current) return;
          started.current = true;
          onStarted?.();
        }}
        style={video.width && video.height ? { aspectRatio: `${video.width} / ${video.height}` } : undefined}
      />
      {menu.length > 1 && (
        <label class="quality">
          <span>{t.quality}</span>
          <select id="quality" value={choice} onChange={(event) => choose(Number((event.target as HTMLSelectElement).value))}>
            <option value={-1}>
              {t.auto}
              {choice === -1 && current ? ` (${current}p)` : ''}
            </option>
            {menu.map((quality) => (
              <option key={quality.level} value={quality.level}>
                {quality.height}p
              </option>
            ))}
          </select>
        </label>
      )}
      {broken && (
        <div class="stage-panel failed cannot-play" role="alert">
          <strong>{t.cannotPlay}</strong>
          {owner && (
            <a href={stream_url} download>
              {t.downloadOriginal}
            </a>
          )}
        </div>
      )}
    </div>
  );
}
