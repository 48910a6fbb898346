/**
 * Collects items and hands them to `flush` together, so a burst of webhooks costs one Redis
 * round trip instead of one each. A batch closes at the end of the event-loop turn in which its
 * first item arrived (windowMs 0: no added wait, and under load every request parsed in that
 * turn shares it), after `windowMs` otherwise, or at `max` items (max 1: no batching). Every
 * caller's promise settles with its own batch: resolved only once the whole batch was stored,
 * rejected if not.
 */
export class EnqueueBatcher<T> {
  private pending: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private cancelScheduled: (() => void) | null = null;

  constructor(
    private readonly flush: (items: T[]) => Promise<unknown>,
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.max) this.run();
      else if (!this.cancelScheduled) this.schedule();
    });
  }

  private schedule(): void {
    if (this.windowMs > 0) {
      const timer = setTimeout(() => this.run(), this.windowMs);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.run());
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }

  /** Sends whatever is waiting now (also used on shutdown). */
  run(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = null;
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    this.flush(batch.map((p) => p.item)).then(
      () => batch.forEach((p) => p.resolve()),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  }
}
