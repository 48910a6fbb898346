/**
 * Collects items for up to `windowMs` (or `max` items) and hands them to `flush` together, so a
 * burst of webhooks costs one Redis round trip instead of one each. Every caller's promise
 * settles with its own batch: resolved only once the whole batch was stored, rejected if not.
 */
export class EnqueueBatcher<T> {
  private pending: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flush: (items: T[]) => Promise<unknown>,
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.max) this.run();
      else if (!this.timer) this.timer = setTimeout(() => this.run(), this.windowMs);
    });
  }

  /** Sends whatever is waiting now (also used on shutdown). */
  run(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    this.flush(batch.map((p) => p.item)).then(
      () => batch.forEach((p) => p.resolve()),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  }
}
