/** autocannon, typed for the parts the benchmarks use (it ships no types). */
export interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** seconds to run, or */
  duration?: number;
  /** requests to send in all */
  amount?: number;
  headers?: Record<string, string>;
  requests: { method: string; setupRequest: (req: LoadRequest) => LoadRequest }[];
}

export interface LoadResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
  requests: { average: number };
}

/** A run: awaited for its result; an event emitter meanwhile ('response' for each answer). */
export interface LoadRun extends PromiseLike<LoadResult> {
  on(event: 'response', listener: () => void): LoadRun;
}

export const autocannon = require('autocannon') as (opts: LoadOptions) => LoadRun;
