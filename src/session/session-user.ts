/** All a request carries of its account: never the entity, never the password hash. */
export interface SessionUser {
  id: number;
  uid: number;
  username: string;
  role: 'user';
}

export function toSessionUser(user: { id: number; uid: number; username: string }): SessionUser {
  return { id: user.id, uid: user.uid, username: user.username, role: 'user' };
}
