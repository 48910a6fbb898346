import { Injectable } from '@nestjs/common';
import { SubscriberRepository, type Subscriber } from '@isp/data';

/** What a router pass reads of the database about its subscribers. */
export interface RouterSubscribers {
  /** The router's subscribers, by username. */
  users: Subscriber[];
  /** Subscribers with something left behind on the router (moved away or renamed). */
  leaving: Subscriber[];
}

interface Waiter {
  resolve: (r: RouterSubscribers) => void;
  reject: (err: unknown) => void;
}

/**
 * Passes that start together wait for each other, so that the reconcile tick's passes share one
 * read: on the embedded store (FerretDB on SQLite) a query by router scans the whole subscriber
 * collection, about as long for one router as for fifty (27 s of the store's CPU at 100,000
 * subscribers). A read starts once no other pass has asked for GATHER_MS, and at the latest
 * GATHER_MAX_MS after the first asked: a tick's fifty passes do not all ask within one fixed
 * 100 ms (each reads its router record first, on a busy store), and the ones that missed it
 * paid for a second whole scan.
 */
export const GATHER_MS = 100;
export const GATHER_MAX_MS = 2000;

/** Byte order, as the database sorts strings. */
const byUsername = (a: Subscriber, b: Subscriber) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

/**
 * Reads the subscribers of the routers whose passes ask at about the same time in one query.
 * A pass asking while a query runs waits for the next one, never takes the running one's answer:
 * every pass still reads the database after it started (after its lock), as it did alone.
 */
@Injectable()
export class RouterSubscribersReader {
  private waiting = new Map<string, Waiter[]>();
  private timer?: NodeJS.Timeout;
  /** When gathering for the next read began: the first ask, or the end of the read that ran meanwhile. */
  private firstAt = 0;
  private running = false;

  constructor(private readonly users: SubscriberRepository) {}

  read(routerId: string): Promise<RouterSubscribers> {
    return new Promise<RouterSubscribers>((resolve, reject) => {
      const list = this.waiting.get(routerId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(routerId, list);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return;
    if (!this.timer) this.firstAt = Date.now();
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(GATHER_MS, this.firstAt + GATHER_MAX_MS - Date.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = true;
      void this.flush().finally(() => {
        this.running = false;
        if (this.waiting.size) this.schedule();
      });
    }, wait);
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    try {
      const rows = await this.users.findOfRouters([...batch.keys()]);
      const of = new Map<string, RouterSubscribers>([...batch.keys()].map((id) => [id, { users: [], leaving: [] }]));
      for (const u of rows) {
        of.get(String(u.router))?.users.push(u);
        for (const id of new Set((u.leftBehind ?? []).map((e) => String(e.router)))) of.get(id)?.leaving.push(u);
      }
      for (const [id, waiters] of batch) {
        const r = of.get(id)!;
        r.users.sort(byUsername);
        // Each pass gets its own arrays: a caller may change what it was given.
        for (const w of waiters) w.resolve({ users: [...r.users], leaving: [...r.leaving] });
      }
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }
}
