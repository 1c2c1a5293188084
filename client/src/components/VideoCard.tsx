import type { Video } from '../api.js';
import { formatBytes, formatDuration } from '../format.js';
import { t } from '../i18n.js';

export function VideoCard({ video }: { video: Video }) {
  return (
    <a class="video-card" href={`/video/${video.id}`} data-id={video.id} data-status={video.status}>
      <div class="thumb">
        {video.cover_url ? <img src={video.cover_url} alt="" loading="lazy" /> : <div class="placeholder" aria-hidden="true" />}
        {video.status === 'ready' && video.duration !== null && <span class="duration">{formatDuration(video.duration)}</span>}
        {video.status !== 'ready' && (
          <span class={`status ${video.status}`}>{video.status === 'processing' ? t.processing : t.failed}</span>
        )}
      </div>
      <div class="meta">
        <span class="title">{video.title}</span>
        <span class="size">{formatBytes(video.size)}</span>
      </div>
    </a>
  );
}
