import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, ApiError, type Video } from '../api.js';
import { Player } from '../components/Player.js';
import { formatBytes, formatDate, formatDuration } from '../format.js';
import { failureText, stageText, t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const POLL_MS = 2000;

const messageOf = (e: unknown) => (e instanceof ApiError && e.errno > 0 ? e.message : t.networkError);

export function VideoPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const session = useSession();
  const [video, setVideo] = useState<Video | null>(null);
  const [error, setError] = useState('');
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = params.id ?? '';
  useTitle(video?.title ?? (error || undefined));

  useEffect(() => {
    setVideo(null);
    setError('');
    let stopped = false;
    api.video(id).then(
      (reply) => !stopped && setVideo(reply.video),
      (e: unknown) => !stopped && setError(messageOf(e)),
    );
    return () => {
      stopped = true;
    };
  }, [id]);

  // Follows the stage and percent until processing ends; stops when the page is left.
  const processing = video?.status === 'processing';
  useEffect(() => {
    if (!processing) return;
    let stopped = false;
    let timer = 0;
    const poll = () => {
      timer = window.setTimeout(() => {
        api.video(id).then(
          (reply) => {
            if (stopped) return;
            setVideo(reply.video);
            if (reply.video.status === 'processing') poll();
          },
          () => !stopped && poll(),
        );
      }, POLL_MS);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [processing, id]);

  if (error) return <p class="card error">{error}</p>;
  if (!video) return <p class="loading">{t.loading}</p>;
  const owner = session.user?.uid === video.uid;

  const remove = async () => {
    if (!confirm(t.confirmDelete)) return;
    try {
      await api.deleteVideo(video.id);
      await session.refresh();
      route(`/space/${video.uid}`);
    } catch (e) {
      setActionError(messageOf(e));
    }
  };

  const reprocess = async () => {
    setActionError('');
    setBusy(true);
    try {
      setVideo((await api.reprocess(video.id)).video);
    } catch (e) {
      setActionError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="watch">
      {video.status === 'ready' && <Player video={video} owner={owner} />}
      {video.status === 'processing' && (
        <div class="stage-panel" id="video-processing" role="status" data-stage={video.processing?.stage}>
          <strong>{t.processing}</strong>
          <span class="stage">{stageText(video.processing)}</span>
          <progress max={100} value={video.processing?.percent ?? 0} aria-label={t.processing} />
        </div>
      )}
      {video.status === 'failed' && (
        <div class="stage-panel failed" id="video-failed">
          <strong>{t.failed}</strong>
          <p id="failure">{failureText(video.failure)}</p>
          {owner && (
            <div class="panel-actions">
              <button type="button" id="reprocess" disabled={busy} onClick={() => void reprocess()}>
                {t.reprocess}
              </button>
              <a href={video.stream_url} download>
                {t.downloadOriginal}
              </a>
            </div>
          )}
        </div>
      )}
      <div class="card">
        <h1 id="video-title">{video.title}</h1>
        <p class="muted">
          {formatDate(video.created_at)} · {formatBytes(video.size)}
          {video.duration !== null && ` · ${formatDuration(video.duration)}`}
          {video.width && video.height ? ` · ${video.width}×${video.height}` : ''}
        </p>
        {video.description && <p class="description">{video.description}</p>}
        {actionError && (
          <p class="error" role="alert">
            {actionError}
          </p>
        )}
        <div class="actions">
          <a href={`/space/${video.uid}`}>{t.back}</a>
          {owner && (
            <button type="button" class="danger" id="delete-video" onClick={() => void remove()}>
              {t.delete}
            </button>
          )}
        </div>
      </div>
    </article>
  );
}
