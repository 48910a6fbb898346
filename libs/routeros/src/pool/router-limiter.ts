import { RouterBusyError, RouterTimeoutError } from '../errors/router-errors';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Calls on the wire at once to one router: up to `maxConcurrent`, then a bounded FIFO queue
 * (RouterBusyError beyond it); a queued call gives up at its deadline. A released slot passes
 * straight to the next waiter.
 */
export class RouterLimiter {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly routerId: string,
    private readonly maxConcurrent: number,
    private readonly maxQueue: number,
  ) {}

  get queued(): number {
    return this.waiters.length;
  }

  acquire(deadline: number, timeoutMs: number, command: string): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.maxQueue) return Promise.reject(new RouterBusyError(this.routerId, this.waiters.length));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new RouterTimeoutError(this.routerId, timeoutMs, `${command} (waiting for a slot)`));
        }, Math.max(1, deadline - Date.now())),
      };
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(); // the slot passes straight to the next caller
    } else {
      this.active--;
    }
  }

  /** Fails every queued call (the router is forgotten or the pool closes). */
  rejectAll(err: Error): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
