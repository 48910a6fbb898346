/**
 * Pool benchmark: commands per second through RouterConnectionPool (one persistent connection
 * per router) versus the old way (connect, log in, run one command, close), against the same
 * simulated routers, in one run. Run with `npm run bench -- pool`.
 *
 * On loopback a connect-and-login costs a fraction of a millisecond, which says little about a
 * real router a WAN hop away, so every simulated router answers each request RTT_MS late (the
 * simulator's `latency` fault: 20 ms each way by default, both legs added to the reply), and a
 * connection's first reply one round trip later still, for the TCP handshake that loopback does
 * not delay. The per-command mode pays three round trips (handshake, login, command), the pooled
 * one one: with the same callers the ratio is about 3 by construction (README).
 */
import { RouterOSClient } from 'routeros-client';
import { RouterCommands, RouterConnectionPool } from '@isp/routeros';
import { SimulatedRouter } from '@isp/routeros-testing';
import type { BenchResult } from '../bench-context';

const ROUTERS = Number(process.env.BENCH_ROUTERS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
/** Round-trip time of one request and its reply: 20 ms each way. */
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
// The two modes alternate in short slices, so load from other processes on a shared machine
// hits both alike instead of skewing whichever ran during a busy moment.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);

interface Tally {
  ops: number;
  errors: number;
  ms: number;
}

/** Runs `op` from `workers` loops for `ms`, adding completed ops and elapsed time to `tally`. */
async function slice(ms: number, workers: number, tally: Tally, op: (i: number) => Promise<unknown>): Promise<void> {
  const started = Date.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; Date.now() < until; i += workers) {
        try {
          await op(i);
          tally.ops++;
        } catch {
          tally.errors++;
        }
      }
    }),
  );
  tally.ms += Date.now() - started;
}

/** Needs nothing from the runner's context: it starts its own simulated routers. */
export async function run(): Promise<BenchResult> {
  const routers = await Promise.all(Array.from({ length: ROUTERS }, (_, i) => SimulatedRouter.start({ name: `bench-${i + 1}`, version: '7.15.3' })));
  for (const r of routers) r.setApiLatency(RTT_MS);
  try {
    // Pooled: the way the system talks to routers.
    const pool = new RouterConnectionPool({ maxConcurrentPerRouter: 16, callTimeoutMs: 10_000 });
    for (const r of routers) pool.register(r.endpoint());
    const commands = routers.map((r) => new RouterCommands(pool, r.id));
    await Promise.all(commands.map((c) => c.identity())); // first use opens the connections
    const pooledOp = (i: number) => commands[i % commands.length].identity();

    // The old way, deliberately outside the pool: a fresh connection and login per command.
    const perCallOp = async (i: number) => {
      const r = routers[i % routers.length];
      const client = new RouterOSClient({ host: r.host, port: r.port, user: r.user, password: r.password, timeout: 10 });
      client.on('error', () => undefined);
      const api = await client.connect();
      try {
        await api.menu('/system/identity').get();
      } finally {
        await client.close().catch(() => undefined);
      }
    };

    const pooled: Tally = { ops: 0, errors: 0, ms: 0 };
    const perCallTally: Tally = { ops: 0, errors: 0, ms: 0 };
    const connectionsBefore = routers.reduce((n, r) => n + r.stats.connectionsAccepted, 0);
    let pooledConnections = 0;
    const sliceMs = (SECONDS * 1000) / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      const before = routers.reduce((n, r) => n + r.stats.connectionsAccepted, 0);
      await slice(sliceMs, CONCURRENCY, pooled, pooledOp);
      pooledConnections += routers.reduce((n, r) => n + r.stats.connectionsAccepted, 0) - before;
      await slice(sliceMs, CONCURRENCY, perCallTally, perCallOp);
    }
    const connectionsOpenedPooled = connectionsBefore + pooledConnections; // the first-use connects plus any reconnect
    const connectionsOpenedPerCall = routers.reduce((n, r) => n + r.stats.connectionsAccepted, 0) - connectionsOpenedPooled;
    await pool.close();
    const pooledOpsPerSec = pooled.ops / (pooled.ms / 1000);
    const perCallOpsPerSec = perCallTally.ops / (perCallTally.ms / 1000);

    const figures = {
      routers: ROUTERS,
      rtt_ms: RTT_MS,
      connections_opened_pooled: connectionsOpenedPooled,
      pooled_ops_per_s: Math.round(pooledOpsPerSec),
      per_call_ops_per_s: Math.round(perCallOpsPerSec),
      ratio: Number((pooledOpsPerSec / Math.max(perCallOpsPerSec, 1e-9)).toFixed(2)),
    };
    console.table([
      { mode: 'pooled (1 connection per router)', 'ops/s': figures.pooled_ops_per_s, connections: connectionsOpenedPooled, errors: pooled.errors },
      { mode: 'connect + login per command', 'ops/s': figures.per_call_ops_per_s, connections: connectionsOpenedPerCall, errors: perCallTally.errors },
    ]);
    console.log(`ratio ${figures.ratio}x with ${ROUTERS} routers, ${RTT_MS} ms round trip, ${CONCURRENCY} concurrent callers, ${ROUNDS} alternating rounds of ${SECONDS / ROUNDS}s per mode`);
    return { figures, targets: { ratio: '≥ 30', connections_opened_pooled: `= routers (${ROUTERS})` } };
  } finally {
    await Promise.all(routers.map((r) => r.stop()));
  }
}
