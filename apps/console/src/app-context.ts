import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ApiClient } from './api/client';
import type { Feed, FeedStatus } from './api/feed';
import type { Session } from './api/session';
import type { FeedMessage, Me } from './api/types';

export interface AppState {
  session: Session;
  me: Me | null;
  api: ApiClient;
  feed: Feed;
  feedStatus: FeedStatus;
  signOut: () => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the signed-in app');
  return s;
}

/** Runs `fn` for every feed message while the component is mounted. */
export function useFeed(fn: (m: FeedMessage) => void): void {
  const { feed } = useApp();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => feed.subscribe((m) => ref.current(m)), [feed]);
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
  setData: (update: (old: T | undefined) => T | undefined) => void;
}

/** Loads `fn()` when `key` changes; keeps the last data while reloading. */
export function useLoad<T>(fn: () => Promise<T>, key: string): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    setLoading(true);
    fnRef.current().then(
      (d) => {
        if (!live) return;
        setDataState(d);
        setError(undefined);
        setLoading(false);
      },
      (e: Error) => {
        if (!live) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((update: (old: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}
