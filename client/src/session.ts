import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from './api.js';

export interface Session {
  /** undefined while loading, null when logged out. */
  user: Me | null | undefined;
  refresh: () => Promise<Me | null>;
  /** Takes the account an answer carried (profile, avatar, email), without asking again. */
  update: (user: Me) => void;
}

export const SessionContext = createContext<Session>({
  user: undefined,
  refresh: () => Promise.resolve(null),
  update: () => undefined,
});

export const useSession = () => useContext(SessionContext);
