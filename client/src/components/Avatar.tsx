import { useEffect, useState } from 'preact/hooks';

/** The avatar's URL at 64 px (for small places) or the default 256 px. */
export function avatarSrc(url: string, small: boolean): string {
  return small ? `${url}${url.includes('?') ? '&' : '?'}size=64` : url;
}

/** The user's picture, or the first character of the name on a coloured disc when there is none (or it fails to load). */
export function Avatar({
  user,
  small = false,
  id,
}: {
  user: { username: string; avatar_url?: string | null };
  small?: boolean;
  id?: string;
}) {
  const [broken, setBroken] = useState(false);
  useEffect(() => setBroken(false), [user.avatar_url]);
  const className = `avatar${small ? ' small' : ''}`;
  if (user.avatar_url && !broken) {
    return <img class={className} id={id} src={avatarSrc(user.avatar_url, small)} alt="" onError={() => setBroken(true)} />;
  }
  return (
    <span class={`${className} initial`} id={id} aria-hidden="true">
      {[...user.username][0] ?? '?'}
    </span>
  );
}
