/** The simulator's timers, so stopping a router cancels everything it still had planned. */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  /** Timers still to fire (a redial, the end of a reboot, an echo on its way). */
  get pending(): number {
    return this.timers.size;
  }

  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
