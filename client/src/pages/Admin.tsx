import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type AdminUser } from '../api.js';
import { LoginRequired } from '../components/LoginRequired.js';
import { formatBytes, formatShortDate } from '../format.js';
import { messageOf } from '../forms.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const PAGE_SIZE = 20;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

type Listing = { total: number; users: AdminUser[] };

/** The accounts, newest first, searchable by email or name; disable/enable and a storage quota per account. */
export function Admin() {
  const { user } = useSession();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  /** undefined while loading. */
  const [listing, setListing] = useState<Listing | undefined>(undefined);
  const [error, setError] = useState<{ errno: number; message: string } | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ uid: number; message: string } | null>(null);
  useTitle(error?.errno === 9403 ? t.forbidden : t.admin);

  const load = () => {
    setListing(undefined);
    setError(null);
    api.adminUsers(query, page, PAGE_SIZE).then(
      ({ total, users }) => setListing({ total, users }),
      (e: unknown) => setError({ errno: e instanceof ApiError ? e.errno : -1, message: messageOf(e) }),
    );
  };
  useEffect(() => {
    if (user) load();
  }, [user?.uid, query, page]);

  const replace = (changed: AdminUser) =>
    setListing((now) => now && { ...now, users: now.users.map((row) => (row.uid === changed.uid ? changed : row)) });

  const change = async (row: AdminUser, what: { disabled?: boolean; storage_quota?: number | '' }) => {
    setRowError(null);
    try {
      replace((await api.adminUpdate(row.uid, what)).user);
      return true;
    } catch (e) {
      setRowError({ uid: row.uid, message: messageOf(e) });
      return false;
    }
  };

  const toggle = (row: AdminUser) => {
    if (!row.disabled && !confirm(t.confirmDisable(row.username))) return;
    void change(row, { disabled: !row.disabled });
  };

  if (user === undefined) return <p class="loading">{t.loading}</p>;
  if (user === null || error?.errno === 1011) {
    return <LoginRequired />;
  }
  if (error?.errno === 9403) {
    return (
      <section class="card narrow state" id="forbidden">
        <h1>{t.forbidden}</h1>
        <p class="muted">{t.forbiddenHint}</p>
      </section>
    );
  }

  const pages = listing ? Math.max(1, Math.ceil(listing.total / PAGE_SIZE)) : 1;

  return (
    <div class="admin">
      <div class="admin-head">
        <h1>{t.users}</h1>
        <form
          class="search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setPage(1);
            setQuery(typed.trim());
          }}
        >
          <input
            type="search"
            id="admin-q"
            name="q"
            value={typed}
            placeholder={t.searchHint}
            aria-label={t.searchHint}
            onInput={(event) => setTyped((event.target as HTMLInputElement).value)}
          />
          <button type="submit" id="admin-search">
            {t.search}
          </button>
        </form>
      </div>
      {error ? (
        <p class="card error state" role="alert">
          {error.message}{' '}
          <button type="button" class="secondary small" onClick={load}>
            {t.retry}
          </button>
        </p>
      ) : !listing ? (
        <p class="loading">{t.loading}</p>
      ) : listing.users.length === 0 ? (
        <p class="empty card">{t.noUsers}</p>
      ) : (
        <>
          <p class="muted" id="admin-total">
            {t.totalUsers(listing.total)}
          </p>
          <table class="users" id="admin-users">
            <thead>
              <tr>
                <th>uid</th>
                <th>
                  {t.username} / {t.email}
                </th>
                <th>{t.created}</th>
                <th class="num">{t.videoCountCol}</th>
                <th>{t.storageCol}</th>
                <th>{t.status}</th>
                <th>{t.role}</th>
                <th>{t.actions}</th>
              </tr>
            </thead>
            <tbody>
              {listing.users.map((row) => (
                <Fragment key={row.uid}>
                  <tr data-uid={row.uid} data-disabled={row.disabled ? 'true' : 'false'} class={row.disabled ? 'is-disabled' : ''}>
                    <td data-label="uid">
                      <a href={`/space/${row.uid}`}>{row.uid}</a>
                    </td>
                    <td data-label={t.userCol} class="who-cell">
                      <span class="name">{row.username}</span>
                      <span class="mail">{row.email}</span>
                    </td>
                    <td data-label={t.created} class="date">
                      {formatShortDate(row.created_at)}
                    </td>
                    <td data-label={t.videoCountCol} class="num">
                      {row.video_count}
                    </td>
                    <td data-label={t.storageCol} class="storage">
                      {formatBytes(row.storage_used)} / {row.storage_quota === null ? t.unlimited : formatBytes(row.storage_quota)}
                    </td>
                    <td data-label={t.status}>
                      <span class={`badge ${row.disabled ? 'off' : 'on'}`}>{row.disabled ? t.isDisabled : t.isActive}</span>
                    </td>
                    <td data-label={t.role} class="role">
                      {t.roles[row.role]}
                    </td>
                    <td class="actions-cell">
                      <div class="row-actions">
                        <button
                          type="button"
                          class={`small ${row.disabled ? '' : 'danger'} toggle-disabled`}
                          // Nobody can lock an admin out (the server refuses it too).
                          disabled={row.role === 'admin'}
                          onClick={() => toggle(row)}
                        >
                          {row.disabled ? t.enable : t.disable}
                        </button>
                        <button
                          type="button"
                          class="secondary small edit-quota"
                          aria-expanded={editing === row.uid}
                          onClick={() => setEditing(editing === row.uid ? null : row.uid)}
                        >
                          {t.setQuota}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {(editing === row.uid || rowError?.uid === row.uid) && (
                    <tr class="row-extra">
                      <td colSpan={8}>
                        {editing === row.uid && (
                          <QuotaForm
                            row={row}
                            onSave={async (quota) => {
                              if (await change(row, { storage_quota: quota })) setEditing(null);
                            }}
                            onCancel={() => setEditing(null)}
                          />
                        )}
                        {rowError?.uid === row.uid && (
                          <p class="error" role="alert">
                            {rowError.message}
                          </p>
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <nav class="pager" aria-label={t.pageOf(page, pages)}>
              <button type="button" class="secondary small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                {t.previous}
              </button>
              <span>{t.pageOf(page, pages)}</span>
              <button type="button" class="secondary small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                {t.next}
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}

/** A quota in MiB or GiB (whole or decimal); empty is unlimited. */
function QuotaForm({ row, onSave, onCancel }: { row: AdminUser; onSave: (quota: number | '') => Promise<void>; onCancel: () => void }) {
  const current = row.storage_quota;
  const inGib = current !== null && current >= GIB && current % GIB === 0;
  const [unit, setUnit] = useState(current === null || inGib ? GIB : MIB);
  const [amount, setAmount] = useState(current === null ? '' : String(+(current / (inGib ? GIB : MIB)).toFixed(2)));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const text = amount.trim();
    const value = Number(text);
    if (text && !(Number.isFinite(value) && value >= 0)) {
      setError(t.quotaHint);
      return;
    }
    setBusy(true);
    await onSave(text ? Math.round(value * unit) : '');
    setBusy(false);
  };

  return (
    <form class="quota-form" onSubmit={(event) => void submit(event)} noValidate>
      <label for={`quota-${row.uid}`}>{t.quota}</label>
      <input
        id={`quota-${row.uid}`}
        class="quota-amount"
        type="text"
        inputMode="decimal"
        value={amount}
        placeholder={t.unlimited}
        aria-describedby={`quota-${row.uid}-hint`}
        onInput={(event) => setAmount((event.target as HTMLInputElement).value)}
      />
      <select
        class="quota-unit"
        value={String(unit)}
        aria-label={t.quota}
        onChange={(event) => setUnit(Number((event.target as HTMLSelectElement).value))}
      >
        <option value={String(MIB)}>MiB</option>
        <option value={String(GIB)}>GiB</option>
      </select>
      <button type="submit" class="small quota-save" disabled={busy}>
        {t.save}
      </button>
      <button type="button" class="secondary small" onClick={onCancel}>
        {t.cancel}
      </button>
      <span class={error ? 'error' : 'hint'} id={`quota-${row.uid}-hint`}>
        {error || t.quotaHint}
      </span>
    </form>
  );
}
