import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './api.js';

export interface Session {
  /** undefined while loading, null when logged out. */
  user: User | null | undefined;
  refresh: () => Promise<User | null>;
}

export const SessionContext = createContext<Session>({ user: undefined, refresh: () => Promise.resolve(null) });

export const useSession = () => useContext(SessionContext);
