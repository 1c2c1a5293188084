import type { Video } from '../api.js';
import { formatBytes, formatDuration } from '../format.js';
import { failureText, stageText, t } from '../i18n.js';

export function VideoCard({ video }: { video: Video }) {
  return (
    <a class="video-card" href={`/video/${video.id}`} data-id={video.id} data-status={video.status}>
      <div class="thumb">
        {video.cover_url ? <img src={video.cover_url} alt="" loading="lazy" /> : <div class="placeholder" aria-hidden="true" />}
        {video.status === 'ready' && video.duration !== null && <span class="duration">{formatDuration(video.duration)}</span>}
        {video.status === 'processing' && (
          <>
            <span class="status processing" data-stage={video.processing?.stage}>
              {stageText(video.processing)}
            </span>
            {video.processing && (
              <span class="stage-bar" aria-hidden="true">
                <span style={{ width: `${video.processing.percent}%` }} />
              </span>
            )}
          </>
        )}
        {video.status === 'failed' && <span class="status failed">{t.failed}</span>}
      </div>
      <div class="meta">
        <span class="title">{video.title}</span>
        <span class="size">{formatBytes(video.size)}</span>
      </div>
      {video.status === 'failed' && video.failure && (
        <p class="failure" title={failureText(video.failure)}>
          {failureText(video.failure)}
        </p>
      )}
    </a>
  );
}
