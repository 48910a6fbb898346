/** What every benchmark gets from the runner (bench/run.ts). */
export interface BenchContext {
  /** A Redis the runner started (or REDIS_URL). Use your own QUEUE_PREFIX on it. */
  redisUrl: string;
  /** MongoDB-compatible server base URL without a database: append your own database name. */
  mongoUrl: string;
  root: string;
}

export interface BenchResult {
  /** Exactly the fields the issue names; written to bench/results/<name>.json. */
  figures: Record<string, number | string>;
  /** Target per figure, for the report ("≥ 10", "0"...). */
  targets?: Record<string, string>;
}

/** bench/<name>/<name>.bench.ts exports `run`. It starts what else it needs and stops it. */
export interface BenchModule {
  run(ctx: BenchContext): Promise<BenchResult>;
  /** How long it may take when that is longer than the runner's default (5 min). */
  timeoutMs?: number;
}
