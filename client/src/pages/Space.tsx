import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiError, type User, type Video, type VideoSort } from '../api.js';
import { Avatar } from '../components/Avatar.js';
import { Uploader } from '../components/Uploader.js';
import { VideoCard } from '../components/VideoCard.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const PAGE_SIZE = 12;
const POLL_MS = 2000;
const SORTS: VideoSort[] = ['new', 'old', 'views'];

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
  /** All of the owner's videos (the list's total without a search). */
  const [count, setCount] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  /** The cursor of the next page; undefined where the server pages by number only. */
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [sort, setSort] = useState<VideoSort>('new');
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');
  /** undefined while the first page loads; a message when it could not. */
  const [listError, setListError] = useState<string | undefined>(undefined);
  // Only the newest request's answer counts (sort or search changed meanwhile).
  const request = useRef(0);
  const mine = session.user?.uid === Number(uid);
  useTitle(owner?.username ?? (error || undefined));

  const list = () => {
    const mark = ++request.current;
    setListError(undefined);
    api.videos(uid, { pageSize: PAGE_SIZE, sort, q }).then(
      (reply) => {
        if (mark !== request.current) return;
        setVideos(reply.videos);
        setTotal(reply.total);
        if (!q) setCount(reply.total);
        setPage(1);
        setNext(reply.next);
        setListError('');
      },
      (e: unknown) => mark === request.current && setListError(messageOf(e)),
    );
  };

  useEffect(() => {
    setOwner(null);
    setVideos([]);
    setCount(null);
    setError('');
    api.profile(uid).then(
      ({ user }) => setOwner(user),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [uid]);
  useEffect(list, [uid, sort, q]);

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
    const mark = request.current;
    setMore(true);
    try {
      const reply = await api.videos(uid, {
        pageSize: PAGE_SIZE,
        sort,
        q,
        ...(next !== undefined ? { after: next ?? undefined } : { page: page + 1 }),
      });
      if (mark !== request.current) return;
      setVideos((list) => [...list, ...reply.videos.filter((v) => !list.some((known) => known.id === v.id))]);
      setTotal(reply.total);
      setPage(page + 1);
      setNext(reply.next);
    } catch (e) {
      setListError(messageOf(e));
    } finally {
      setMore(false);
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
  const shownCount = mine ? (count ?? owner.video_count) : owner.video_count;
  // The header's copy of me is fresher right after a settings change.
  const shown = mine && session.user ? { ...owner, ...session.user } : owner;
  const hasMore = listError === '' && (next !== undefined ? next !== null : videos.length < total);

  return (
    <div class="space">
      <section class="profile card">
        <Avatar user={shown} id="profile-avatar" />
        <div class="profile-text">
          <h1 id="profile-name">{shown.username}</h1>
          <p class="muted">
            uid <span id="profile-uid">{owner.uid}</span> · {t.joined} {formatDate(owner.created_at)} ·{' '}
            <span id="video-count">{shownCount}</span> {t.videos(shownCount)}
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
            if (sort === 'new' && !q) setVideos((list) => [video, ...list]);
            setTotal((n) => n + 1);
            setCount((n) => (n ?? 0) + 1);
          }}
          onChanged={(video) => setVideos((list) => list.map((known) => (known.id === video.id ? video : known)))}
        />
      )}
      <div class="list-tools">
        <div class="segmented" role="group" aria-label={t.sortBy}>
          {SORTS.map((option) => (
            <button
              key={option}
              type="button"
              id={`sort-${option}`}
              class={sort === option ? 'chosen' : ''}
              aria-pressed={sort === option}
              onClick={() => setSort(option)}
            >
              {t.sorts[option]}
            </button>
          ))}
        </div>
        <form
          class="video-search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setQ(typed.trim());
          }}
        >
          <input
            id="video-search"
            type="search"
            placeholder={t.searchVideos}
            aria-label={t.searchVideos}
            value={typed}
            maxLength={80}
            onInput={(event) => {
              const value = (event.target as HTMLInputElement).value;
              setTyped(value);
              // Cleared (also by the field's own ×): the whole list again.
              if (!value.trim()) setQ('');
            }}
          />
          <button type="submit" class="secondary" id="video-search-submit">
            {t.search}
          </button>
        </form>
      </div>
      {listError === undefined ? (
        <div class="grid" aria-busy="true" aria-label={t.loading}>
          {[0, 1, 2, 3].map((n) => (
            <div key={n} class="video-card skeleton" aria-hidden="true">
              <div class="thumb" />
              <div class="meta">
                <span class="line" />
                <span class="line short" />
              </div>
            </div>
          ))}
        </div>
      ) : listError && videos.length === 0 ? (
        <p class="empty error" role="alert">
          {t.listError}: {listError}{' '}
          <button type="button" class="secondary small" onClick={list}>
            {t.retry}
          </button>
        </p>
      ) : videos.length === 0 ? (
        <p class="empty" id="empty-list">
          {q ? t.noMatch(q) : mine ? t.emptyOwn : t.empty}
        </p>
      ) : (
        <div class="grid" id="video-grid">
          {videos.map((video) => (
            <VideoCard key={video.id} video={video} mine={mine} />
          ))}
        </div>
      )}
      {listError && videos.length > 0 && (
        <p class="error" role="alert">
          {listError}
        </p>
      )}
      {hasMore && (
        <button type="button" class="secondary more" id="load-more" disabled={more} onClick={() => void loadMore()}>
          {t.loadMore}
        </button>
      )}
    </div>
  );
}
