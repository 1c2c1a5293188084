import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiError, type User, type Video } from '../api.js';
import { Avatar } from '../components/Avatar.js';
import { Uploader } from '../components/Uploader.js';
import { VideoCard } from '../components/VideoCard.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const PAGE_SIZE = 12;
const POLL_MS = 2000;

// An unknown uid answers 1001, whose message (请先注册) is about logging in.
const messageOf = (e: unknown) =>
  e instanceof ApiError && e.errno === 1001 ? t.noSuchUser : e instanceof ApiError && e.errno > 0 ? e.message : t.networkError;

export function Space() {
  const { params } = useRoute();
  const uid = params.uid ?? '';
  const session = useSession();
  const [owner, setOwner] = useState<User | null>(null);
  const [videos, setVideos] = useState<Video[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState('');
  /** undefined while the first page loads; a message when it could not. */
  const [listError, setListError] = useState<string | undefined>(undefined);
  const mine = session.user?.uid === Number(uid);
  useTitle(owner?.username ?? (error || undefined));

  const list = () => {
    setListError(undefined);
    api.videos(uid, 1, PAGE_SIZE).then(
      (reply) => {
        setVideos(reply.videos);
        setTotal(reply.total);
        setPage(1);
        setListError('');
      },
      (e: unknown) => setListError(messageOf(e)),
    );
  };

  useEffect(() => {
    setOwner(null);
    setVideos([]);
    setError('');
    api.profile(uid).then(
      ({ user }) => setOwner(user),
      (e: unknown) => setError(messageOf(e)),
    );
    list();
  }, [uid]);

  // Videos still processing show their stage and turn ready (with their cover) without a reload.
  const pending = videos
    .filter((video) => video.status === 'processing')
    .map((video) => video.id)
    .join(',');
  useEffect(() => {
    if (!pending) return;
    const ids = pending.split(',');
    let stopped = false;
    let timer = 0;
    const poll = () => {
      timer = window.setTimeout(() => {
        void Promise.all(
          ids.map((id) =>
            api.video(id).then(
              (reply) => ({ id, fresh: reply.video }),
              // Deleted meanwhile (2004): it leaves the grid; anything else is tried again.
              (e: unknown) => ({ id, gone: e instanceof ApiError && e.errno === 2004 }),
            ),
          ),
        ).then((answers) => {
          if (stopped) return;
          const gone = new Set(answers.filter((a) => 'gone' in a && a.gone).map((a) => a.id));
          const fresh = new Map(answers.flatMap((a) => ('fresh' in a ? [[a.id, a.fresh] as const] : [])));
          setVideos((list) => list.filter((video) => !gone.has(video.id)).map((video) => fresh.get(video.id) ?? video));
          poll();
        });
      }, POLL_MS);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pending]);

  const loadMore = async () => {
    try {
      const reply = await api.videos(uid, page + 1, PAGE_SIZE);
      setVideos((list) => [...list, ...reply.videos.filter((v) => !list.some((known) => known.id === v.id))]);
      setTotal(reply.total);
      setPage(page + 1);
    } catch (e) {
      setListError(messageOf(e));
    }
  };

  if (error) {
    return (
      <section class="card narrow state" id="space-error">
        <p class="error" role="alert">
          {error}
        </p>
        <a href="/">{t.brand}</a>
      </section>
    );
  }
  if (!owner) return <p class="loading">{t.loading}</p>;
  const count = mine ? total : owner.video_count;
  // The header's copy of me is fresher right after a settings change.
  const shown = mine && session.user ? { ...owner, ...session.user } : owner;

  return (
    <div class="space">
      <section class="profile card">
        <Avatar user={shown} id="profile-avatar" />
        <div class="profile-text">
          <h1 id="profile-name">{shown.username}</h1>
          <p class="muted">
            uid <span id="profile-uid">{owner.uid}</span> · {t.joined} {formatDate(owner.created_at)} ·{' '}
            <span id="video-count">{count}</span> {t.videos(count)}
          </p>
          {shown.bio && (
            <p class="bio" id="profile-bio-text">
              {shown.bio}
            </p>
          )}
        </div>
        {mine && (
          <a class="edit-profile" href="/settings" id="edit-profile">
            {t.editProfile}
          </a>
        )}
      </section>
      {mine && (
        <Uploader
          onUploaded={(video) => {
            setVideos((list) => [video, ...list]);
            setTotal((n) => n + 1);
          }}
        />
      )}
      {listError === undefined ? (
        <p class="loading">{t.loading}</p>
      ) : listError && videos.length === 0 ? (
        <p class="empty error" role="alert">
          {t.listError}: {listError}{' '}
          <button type="button" class="secondary small" onClick={list}>
            {t.retry}
          </button>
        </p>
      ) : videos.length === 0 ? (
        <p class="empty">{t.empty}</p>
      ) : (
        <div class="grid" id="video-grid">
          {videos.map((video) => (
            <VideoCard key={video.id} video={video} />
          ))}
        </div>
      )}
      {listError && videos.length > 0 && (
        <p class="error" role="alert">
          {listError}
        </p>
      )}
      {listError === '' && videos.length < total && (
        <button type="button" class="secondary more" onClick={() => void loadMore()}>
          {t.loadMore}
        </button>
      )}
    </div>
  );
}
