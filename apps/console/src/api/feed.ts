import type { ApiClient } from './client';
import type { FeedMessage } from './types';

export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';
type Listener = (m: FeedMessage) => void;

const TYPES: FeedMessage['type'][] = ['incident', 'node-state', 'subscriber-state', 'notification'];

/**
 * The live feed. EventSource cannot send the bearer header, so each connection first asks for a
 * single-use 30-second ticket (POST /feed/ticket) and opens /feed?ticket=...; the token itself
 * never goes into a URL. A used ticket cannot reconnect, so on any error the stream is closed and
 * reopened with a new ticket, backing off up to 15 s.
 */
export class Feed {
  private source?: EventSource;
  private readonly listeners = new Set<Listener>();
  private retryMs = 1000;
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;

  constructor(
    private readonly api: ApiClient,
    private readonly onStatus: (s: FeedStatus) => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.onStatus('closed');
  }

  private async connect(): Promise<void> {
    this.onStatus(this.retryMs > 1000 ? 'reconnecting' : 'connecting');
    let ticket: string;
    try {
      ticket = (await this.api.post<{ ticket: string }>('/feed/ticket')).ticket;
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const es = new EventSource(`/api/v1/feed?ticket=${encodeURIComponent(ticket)}`);
    this.source = es;
    es.onopen = () => {
      this.retryMs = 1000;
      this.onStatus('live');
    };
    es.onerror = () => {
      es.close();
      this.retry();
    };
    for (const type of TYPES) {
      es.addEventListener(type, (ev) => {
        try {
          const m = JSON.parse((ev as MessageEvent).data as string) as FeedMessage;
          for (const fn of this.listeners) fn(m);
        } catch {
          /* not JSON: ignored */
        }
      });
    }
  }

  private retry(): void {
    if (this.stopped) return;
    this.onStatus('reconnecting');
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 15000);
  }
}
