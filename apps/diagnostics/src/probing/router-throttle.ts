/**
 * At most `limit` probes in flight per router from this replica, so an event storm queues up
 * here instead of on a core router's CPU. Waiters are served in arrival order.
 */
export class RouterThrottle {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {}

  async run<T>(routerId: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(routerId);
    try {
      return await fn();
    } finally {
      this.release(routerId);
    }
  }

  private acquire(routerId: string): Promise<void> {
    const n = this.active.get(routerId) ?? 0;
    if (n < this.limit) {
      this.active.set(routerId, n + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const q = this.waiting.get(routerId) ?? [];
      q.push(resolve);
      this.waiting.set(routerId, q);
    });
  }

  private release(routerId: string): void {
    const next = this.waiting.get(routerId)?.shift();
    if (next) return next(); // the slot passes straight to the next waiter
    const n = (this.active.get(routerId) ?? 1) - 1;
    if (n <= 0) this.active.delete(routerId);
    else this.active.set(routerId, n);
    if (!this.waiting.get(routerId)?.length) this.waiting.delete(routerId);
  }
}
