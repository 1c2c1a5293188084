import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, ApiError, type User, type Video, type VideoText } from '../api.js';
import { Avatar } from '../components/Avatar.js';
import { CoverPicker } from '../components/CoverPicker.js';
import { Player } from '../components/Player.js';
import { changesOf, VideoFields, VisibilityBadge } from '../components/VideoFields.js';
import { formatDate, formatDuration } from '../format.js';
import { messageOf } from '../forms.js';
import { failureText, stageText, t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const POLL_MS = 2000;

type Panel = 'edit' | 'cover' | null;

export function VideoPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const session = useSession();
  const [video, setVideo] = useState<Video | null>(null);
  const [uploader, setUploader] = useState<User | null>(null);
  const [error, setError] = useState('');
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const id = params.id ?? '';
  useTitle(video?.title ?? (error || undefined));

  useEffect(() => {
    setVideo(null);
    setUploader(null);
    setError('');
    setPanel(null);
    let stopped = false;
    api.video(id).then(
      (reply) => {
        if (stopped) return;
        setVideo(reply.video);
        api.profile(String(reply.video.uid)).then(
          ({ user }) => !stopped && setUploader(user),
          () => undefined,
        );
      },
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

  if (error) {
    return (
      <section class="card narrow state" id="video-error">
        <p class="error" role="alert">
          {error}
        </p>
        <a href="/">{t.brand}</a>
      </section>
    );
  }
  if (!video) return <p class="loading">{t.loading}</p>;
  const owner = session.user?.uid === video.uid;
  const mayEdit = owner || session.user?.role === 'admin';

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

  // Only the first 'playing' of this page; a server without the counter (9404) changes nothing.
  const counted = () => {
    api.countView(video.id).then(
      ({ views }) => setVideo((now) => (now && typeof views === 'number' ? { ...now, views } : now)),
      () => undefined,
    );
  };

  const toggle = (which: Panel) => setPanel((now) => (now === which ? null : which));

  return (
    <article class="watch">
      {video.status === 'ready' && <Player video={video} owner={owner} onStarted={counted} />}
      {video.status === 'processing' && (
        <div class="stage-panel" id="video-processing" role="status" data-stage={video.processing?.stage}>
          <strong>{t.processing}</strong>
          <span class="stage">{stageText(video.processing)}</span>
          <progress max={100} value={video.processing?.percent ?? 0} aria-label={t.processing} />
          <span class="muted">{t.processingHint}</span>
        </div>
      )}
      {video.status === 'failed' &&
        (mayEdit ? (
          <div class="stage-panel failed" id="video-failed">
            <span class="panel-icon" aria-hidden="true">
              !
            </span>
            <strong>{t.failed}</strong>
            <p id="failure">{failureText(video.failure)}</p>
            <div class="panel-actions">
              <button type="button" id="reprocess" disabled={busy} onClick={() => void reprocess()}>
                {t.reprocess}
              </button>
              <a href={video.stream_url} download>
                {t.downloadOriginal}
              </a>
            </div>
          </div>
        ) : (
          <div class="stage-panel unavailable" id="video-unavailable">
            <strong>{t.unavailable}</strong>
            <p>{t.unavailableHint}</p>
          </div>
        ))}
      <div class="card video-info">
        <div class="title-row">
          <h1 id="video-title">{video.title}</h1>
          {mayEdit && <VisibilityBadge visibility={video.visibility} />}
        </div>
        <div class="video-meta-clip">
          <p class="muted video-meta">
            <span id="video-date">{t.uploadedOn(formatDate(video.created_at))}</span>
            {video.views !== undefined && (
              <span id="video-views" data-views={video.views}>
                {t.viewCount(video.views)}
              </span>
            )}
            {video.duration !== null && <span>{formatDuration(video.duration)}</span>}
            {video.width && video.height ? <span>{`${video.width}×${video.height}`}</span> : null}
          </p>
        </div>
        <div class="uploader-row">
          <a class="uploader-link" href={`/space/${video.uid}`} id="video-uploader">
            {uploader ? <Avatar user={uploader} small /> : <span class="avatar small initial" aria-hidden="true" />}
            <span class="uploader-name">{uploader?.username ?? t.back}</span>
          </a>
          {mayEdit && (
            <div class="row-actions owner-actions">
              <button
                type="button"
                class={`secondary small${panel === 'edit' ? ' pressed' : ''}`}
                id="edit-video"
                aria-expanded={panel === 'edit'}
                onClick={() => toggle('edit')}
              >
                {t.editVideo}
              </button>
              {video.status === 'ready' && (
                <button
                  type="button"
                  class={`secondary small${panel === 'cover' ? ' pressed' : ''}`}
                  id="edit-cover"
                  aria-expanded={panel === 'cover'}
                  onClick={() => toggle('cover')}
                >
                  {t.cover}
                </button>
              )}
              <button type="button" class="danger small" id="delete-video" onClick={() => void remove()}>
                {t.delete}
              </button>
            </div>
          )}
        </div>
        {video.description ? (
          <p class="description" id="video-description">
            {video.description}
          </p>
        ) : (
          mayEdit && <p class="description muted">{t.noDescription}</p>
        )}
        {actionError && (
          <p class="error" role="alert">
            {actionError}
          </p>
        )}
      </div>
      {panel === 'edit' && (
        <EditPanel
          video={video}
          onSaved={(changed) => {
            setVideo(changed);
            setPanel(null);
          }}
          onClose={() => setPanel(null)}
        />
      )}
      {panel === 'cover' && video.status === 'ready' && <CoverPicker video={video} onChange={setVideo} />}
    </article>
  );
}

function EditPanel({ video, onSaved, onClose }: { video: Video; onSaved: (video: Video) => void; onClose: () => void }) {
  const [fields, setFields] = useState<VideoText>({ title: video.title, description: video.description, visibility: video.visibility });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const change = changesOf(video, fields);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!fields.title.trim()) return setError(`${t.videoTitle}${t.ruleSeparator}${t.required}`);
    setError('');
    setBusy(true);
    try {
      onSaved((await api.edit(video.id, change)).video);
    } catch (e) {
      setError(e instanceof ApiError && e.errno > 0 ? e.message : messageOf(e));
      setBusy(false);
    }
  };

  return (
    <form class="card edit-panel" id="edit-panel" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="edit-panel-title">
      <h2 id="edit-panel-title">{t.editVideo}</h2>
      <VideoFields id="edit" value={fields} onChange={setFields} />
      {error && (
        <p class="error" role="alert" id="edit-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="secondary" onClick={onClose}>
          {t.cancel}
        </button>
        <button type="submit" id="edit-save" disabled={busy || Object.keys(change).length === 0}>
          {t.save}
        </button>
      </div>
    </form>
  );
}
