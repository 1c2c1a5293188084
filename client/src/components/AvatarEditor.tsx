import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Me } from '../api.js';
import { messageOf } from '../forms.js';
import { t } from '../i18n.js';
import { useSession } from '../session.js';
import { Avatar } from './Avatar.js';

const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * The current avatar, a file picker and, before anything is sent, the picked image cropped the
 * way the server crops it (the centre square: object-fit: cover), in a circle and a square.
 */
export function AvatarEditor({ user }: { user: Me }) {
  const { update, refresh } = useSession();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState('');
  const [error, setError] = useState('');
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!file) {
      setPreview('');
      return;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const clear = () => {
    setFile(null);
    if (input.current) input.current.value = '';
  };

  const pick = (picked: File | undefined) => {
    setError('');
    setOk('');
    setFile(null);
    if (!picked) return;
    // The server decides by the bytes; these two only spare a pointless upload.
    if (picked.type && !TYPES.includes(picked.type)) setError(t.avatarBadType);
    else if (picked.size > MAX_BYTES) setError(t.avatarTooLarge);
    else setFile(picked);
  };

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError('');
    try {
      update((await api.uploadAvatar(file)).user);
      clear();
      setOk(t.avatarUpdated);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError('');
    setOk('');
    try {
      await api.removeAvatar();
      await refresh();
      setOk(t.avatarRemoved);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="avatar-editor">
      <div class="avatar-now">
        {preview ? (
          <div class="crop-preview" aria-label={t.preview}>
            <img
              class="crop circle"
              id="avatar-preview"
              src={preview}
              alt={t.preview}
              onError={() => {
                // What the browser cannot decode, the server will not either.
                clear();
                setError(t.avatarBadType);
              }}
            />
            <img class="crop square" src={preview} alt="" />
            <img class="crop tiny" src={preview} alt="" />
          </div>
        ) : (
          <Avatar user={user} id="avatar-current" />
        )}
      </div>
      <div class="avatar-controls">
        <label class="file-pick">
          <span class="button secondary-look">{t.chooseImage}</span>
          <input
            ref={input}
            id="avatar-file"
            type="file"
            accept={TYPES.join(',')}
            onChange={(event) => pick((event.target as HTMLInputElement).files?.[0])}
          />
        </label>
        <p class="hint">{t.avatarHint}</p>
        {error && (
          <p class="error" role="alert" id="avatar-error">
            {error}
          </p>
        )}
        {ok && !error && (
          <p class="success" role="status" id="avatar-ok">
            {ok}
          </p>
        )}
        <div class="row-actions">
          {file && (
            <>
              <button type="button" id="avatar-upload" disabled={busy} onClick={() => void upload()}>
                {t.uploadAvatar}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={clear}>
                {t.cancel}
              </button>
            </>
          )}
          {!file && user.avatar_url && (
            <button type="button" class="secondary" id="avatar-remove" disabled={busy} onClick={() => void remove()}>
              {t.removeAvatar}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
