import type { Video } from '../api.js';
import { formatDuration, formatShortDate } from '../format.js';
import { failureText, stageText, t } from '../i18n.js';
import { VisibilityBadge } from './VideoFields.js';

/** A video in a grid: cover, duration, title, date and views; its owner also sees who may watch it. */
export function VideoCard({ video, mine = false }: { video: Video; mine?: boolean }) {
  return (
    <a class="video-card" href={`/video/${video.id}`} data-id={video.id} data-status={video.status} data-visibility={video.visibility}>
      <div class="thumb">
        {video.cover_url ? <img src={video.cover_url} alt="" loading="lazy" /> : <div class="placeholder" aria-hidden="true" />}
        {mine && (
          <span class="thumb-badge">
            <VisibilityBadge visibility={video.visibility} />
          </span>
        )}
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
        <span class="title" title={video.title}>
          {video.title}
        </span>
        <span class="sub">
          <time dateTime={video.created_at}>{formatShortDate(video.created_at)}</time>
          {video.views !== undefined && <span class="views">{t.viewCount(video.views)}</span>}
        </span>
      </div>
      {video.status === 'failed' && video.failure && (
        <p class="failure" title={failureText(video.failure)}>
          {failureText(video.failure)}
        </p>
      )}
    </a>
  );
}
