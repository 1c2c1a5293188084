import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, ApiError, type Video } from '../api.js';
import { formatBytes, formatDate, formatDuration } from '../format.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';

export function VideoPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const session = useSession();
  const [video, setVideo] = useState<Video | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    api.video(params.id ?? '').then(
      (reply) => setVideo(reply.video),
      (e: unknown) => setError(e instanceof ApiError && e.errno > 0 ? e.message : t.networkError),
    );
  }, [params.id]);

  if (error) return <p class="card error">{error}</p>;
  if (!video) return <p class="loading">{t.loading}</p>;

  const remove = async () => {
    if (!confirm(t.confirmDelete)) return;
    try {
      await api.deleteVideo(video.id);
      await session.refresh();
      route(`/space/${video.uid}`);
    } catch (e) {
      setError(e instanceof ApiError && e.errno > 0 ? e.message : t.networkError);
    }
  };

  return (
    <article class="watch">
      <video id="player" controls preload="metadata" src={video.stream_url} poster={video.cover_url ?? undefined} />
      <div class="card">
        <h1 id="video-title">{video.title}</h1>
        <p class="muted">
          {formatDate(video.created_at)} · {formatBytes(video.size)}
          {video.duration !== null && ` · ${formatDuration(video.duration)}`}
          {video.width && video.height ? ` · ${video.width}×${video.height}` : ''}
        </p>
        {video.description && <p class="description">{video.description}</p>}
        <div class="actions">
          <a href={`/space/${video.uid}`}>{t.back}</a>
          {session.user?.uid === video.uid && (
            <button type="button" class="danger" id="delete-video" onClick={() => void remove()}>
              {t.delete}
            </button>
          )}
        </div>
      </div>
    </article>
  );
}
