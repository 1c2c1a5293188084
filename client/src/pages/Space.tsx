import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiError, type User, type Video } from '../api.js';
import { Uploader } from '../components/Uploader.js';
import { VideoCard } from '../components/VideoCard.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';

const PAGE_SIZE = 12;
const POLL_MS = 2000;

export function Space() {
  const { params } = useRoute();
  const uid = params.uid ?? '';
  const session = useSession();
  const [owner, setOwner] = useState<User | null>(null);
  const [videos, setVideos] = useState<Video[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState('');
  const mine = session.user?.uid === Number(uid);

  useEffect(() => {
    setOwner(null);
    setVideos([]);
    setError('');
    api.profile(uid).then(
      ({ user }) => setOwner(user),
      (e: unknown) => setError(e instanceof ApiError && e.errno > 0 ? e.message : t.networkError),
    );
    api.videos(uid, 1, PAGE_SIZE).then(
      (reply) => {
        setVideos(reply.videos);
        setTotal(reply.total);
        setPage(1);
      },
      () => undefined,
    );
  }, [uid]);

  // Videos still processing turn ready (with their cover) without a reload.
  const pending = videos.filter((video) => video.status === 'processing').map((video) => video.id);
  useEffect(() => {
    if (!pending.length) return;
    const timer = setTimeout(() => {
      void Promise.all(
        pending.map((id) =>
          api.video(id).then(
            (reply) => reply.video,
            () => null,
          ),
        ),
      ).then((fresh) => setVideos((list) => list.map((video) => fresh.find((f) => f?.id === video.id) ?? video)));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending.join(',')]);

  const loadMore = async () => {
    const reply = await api.videos(uid, page + 1, PAGE_SIZE);
    setVideos((list) => [...list, ...reply.videos.filter((v) => !list.some((known) => known.id === v.id))]);
    setTotal(reply.total);
    setPage(page + 1);
  };

  if (error) return <p class="card error">{error}</p>;
  if (!owner) return <p class="loading">{t.loading}</p>;

  return (
    <div class="space">
      <section class="profile card">
        <div class="avatar" aria-hidden="true">
          {[...owner.username][0]}
        </div>
        <div>
          <h1 id="profile-name">{owner.username}</h1>
          <p class="muted">
            uid <span id="profile-uid">{owner.uid}</span> · {t.joined} {formatDate(owner.created_at)} ·{' '}
            <span id="video-count">{mine ? total : owner.video_count}</span> {t.videos}
          </p>
        </div>
      </section>
      {mine && (
        <Uploader
          onUploaded={(video) => {
            setVideos((list) => [video, ...list]);
            setTotal((n) => n + 1);
          }}
        />
      )}
      {videos.length === 0 ? (
        <p class="empty">{t.empty}</p>
      ) : (
        <div class="grid" id="video-grid">
          {videos.map((video) => (
            <VideoCard key={video.id} video={video} />
          ))}
        </div>
      )}
      {videos.length < total && (
        <button type="button" class="secondary more" onClick={() => void loadMore()}>
          {t.loadMore}
        </button>
      )}
    </div>
  );
}
