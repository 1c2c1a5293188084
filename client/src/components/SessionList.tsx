import { useEffect, useState } from 'preact/hooks';
import { api, type SessionInfo } from '../api.js';
import { deviceOf, formatDateTime } from '../format.js';
import { messageOf } from '../forms.js';
import { t } from '../i18n.js';

/** The account's sessions, this one first; any other can be ended, or all others at once. */
export function SessionList() {
  /** undefined while loading. */
  const [sessions, setSessions] = useState<SessionInfo[] | undefined>(undefined);
  const [loadError, setLoadError] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const load = () => {
    setLoadError('');
    api.sessions().then(
      (reply) => setSessions([...reply.sessions].sort((a, b) => Number(b.current) - Number(a.current))),
      (e: unknown) => setLoadError(messageOf(e)),
    );
  };
  useEffect(load, []);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      setNotice(await action());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
      load();
    }
  };

  if (loadError && !sessions) {
    return (
      <p class="error" role="alert">
        {loadError}{' '}
        <button type="button" class="secondary small" onClick={load}>
          {t.retry}
        </button>
      </p>
    );
  }
  if (!sessions) return <p class="muted">{t.loading}</p>;
  const others = sessions.filter((session) => !session.current);

  return (
    <>
      <ul class="sessions" id="sessions">
        {sessions.map((session) => (
          <li key={session.id} class={`session${session.current ? ' current' : ''}`} data-current={session.current ? 'true' : 'false'}>
            <div class="session-main">
              <span class="device" title={session.user_agent ?? undefined}>
                {session.user_agent ? deviceOf(session.user_agent) : t.unknownDevice}
              </span>
              {session.current && <span class="badge">{t.thisDevice}</span>}
            </div>
            <div class="session-meta muted">
              {session.ip && <span>{session.ip}</span>}
              {session.created_at && (
                <span>
                  {t.signedIn} {formatDateTime(session.created_at)}
                </span>
              )}
              {session.last_seen_at && (
                <span>
                  {t.lastSeen} {formatDateTime(session.last_seen_at)}
                </span>
              )}
            </div>
            {!session.current && (
              <button
                type="button"
                class="secondary small end-session"
                disabled={busy}
                onClick={() => void act(() => api.endSession(session.id).then(() => ''))}
              >
                {t.endSession}
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length === 0 && <p class="muted empty-inline">{t.noOtherSessions}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      {others.length > 0 && (
        <div class="form-actions">
          <button
            type="button"
            class="secondary"
            id="end-others"
            disabled={busy}
            onClick={() => void act(() => api.endOtherSessions().then((reply) => t.endedOthers(reply.ended)))}
          >
            {t.endOthers}
          </button>
        </div>
      )}
    </>
  );
}
