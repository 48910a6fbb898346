import type { Role } from './types';

/**
 * The signed-in session: kept in this tab's sessionStorage (gone when the tab closes, never in a
 * URL, a cookie or localStorage shared by every tab), and in memory.
 */
export interface Session {
  token: string;
  role: Role;
  email: string;
  expiresAt: number;
}

const KEY = 'isp-console.session';

export function loadSession(now: number = Date.now()): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== 'string' || !(s.expiresAt > now)) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
