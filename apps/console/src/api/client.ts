import type { Session } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Unauthorized = () => void;

/**
 * The one way the console talks to the gateway: same origin, JSON, the bearer token in the
 * Authorization header. A 401 means the session is over (expired, signed out elsewhere, user
 * disabled): the app signs out.
 */
export class ApiClient {
  constructor(
    private readonly session: Session | null,
    private readonly onUnauthorized: Unauthorized = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.session) headers.authorization = `Bearer ${this.session.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'The gateway cannot be reached');
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const message = (parsed as { message?: string } | undefined)?.message ?? `${res.status} ${res.statusText}`;
      if (res.status === 401 && this.session) this.onUnauthorized();
      throw new ApiError(res.status, message);
    }
    return parsed as T;
  }
}

/** POST /auth/login; the token response. */
export async function login(email: string, password: string): Promise<{ accessToken: string; expiresIn: number; role: Session['role'] }> {
  return new ApiClient(null).post('/auth/login', { email, password });
}
