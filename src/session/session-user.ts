export type Role = 'user' | 'admin';

/** All a request carries of its account: never the entity, never the password hash. */
export interface SessionUser {
  id: number;
  uid: number;
  username: string;
  /** Fixed at login (ADMIN_EMAILS against the account's email). */
  role: Role;
}

export function toSessionUser(user: { id: number; uid: number; username: string }, role: Role = 'user'): SessionUser {
  return { id: user.id, uid: user.uid, username: user.username, role };
}

/** Whether a session's stored login is a SessionUser (what every login since SessionUser stores). */
export function isSessionUser(value: unknown): value is SessionUser {
  const user = value as Partial<SessionUser> | null;
  return (
    typeof user?.id === 'number' &&
    typeof user.uid === 'number' &&
    typeof user.username === 'string' &&
    (user.role === 'user' || user.role === 'admin')
  );
}
