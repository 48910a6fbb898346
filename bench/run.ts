// `npm run bench -- <name>`: starts Redis and the MongoDB-compatible server (unless REDIS_URL /
// MONGO_URL are set), runs bench/<name>/<name>.bench.ts, prints a table and writes
// bench/results/<name>.json with exactly the fields the benchmark returns. Without a name it runs
// every benchmark and writes bench/results/report.{json,md}: the machine, and each figure next to
// its target with a verdict. A benchmark that fails or hangs (BENCH_TIMEOUT_MS, default 5 min) is
// reported as failed and the others still run; the exit code is 1 if any failed.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchModule, BenchResult } from './bench-context';
import { infra } from './project-tools';
import { verdict, type Verdict } from './verdict';

const { startInfra, ROOT } = infra;

const BENCH_SRC = join(ROOT, 'bench');
const RESULTS = join(BENCH_SRC, 'results');

function available(): string[] {
  return readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(__dirname, d.name, `${d.name}.bench.js`)))
    .map((d) => d.name)
    .sort();
}

export interface BenchOutcome {
  figures: BenchResult['figures'];
  targets: Record<string, string>;
  verdicts: Record<string, Verdict>;
  seconds: number;
  error?: string;
}

function table(name: string, o: BenchOutcome): string {
  const head = [`### ${name}`, ''];
  if (o.error) return [...head, `**failed** after ${o.seconds} s: ${o.error.split('\n')[0]}`].join('\n');
  const mark = { met: '✓', missed: '✗ missed', '': '' };
  const rows = Object.entries(o.figures).map(([k, v]) => `| ${k} | ${typeof v === 'number' ? +v.toFixed(3) : v} | ${o.targets[k] ?? ''} | ${mark[o.verdicts[k] ?? '']} |`);
  return [...head, '| figure | value | target | |', '|---|---|---|---|', ...rows, '', `(${o.seconds} s)`].join('\n');
}

/** One benchmark; a failure or a hang is reported for it and the run goes on with the next. */
async function runOne(name: string, ctx: BenchContext, timeoutMs: number): Promise<BenchOutcome> {
  const started = Date.now();
  const seconds = () => +((Date.now() - started) / 1000).toFixed(1);
  let timer: NodeJS.Timeout | undefined;
  try {
    const mod = require(join(__dirname, name, `${name}.bench.js`)) as BenchModule;
    // A benchmark that needs longer than the default by design says so (BENCH_TIMEOUT_MS still wins).
    const limitMs = mod.timeoutMs && !process.env.BENCH_TIMEOUT_MS ? mod.timeoutMs : timeoutMs;
    const result = await Promise.race([
      mod.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish within ${limitMs / 1000} s (BENCH_TIMEOUT_MS)`)), limitMs);
      }),
    ]);
    const targets = result.targets ?? {};
    const verdicts = Object.fromEntries(Object.keys(result.figures).map((k) => [k, verdict(result.figures, k, targets[k])]));
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify(result.figures, null, 2) + '\n');
    const outcome = { figures: result.figures, targets, verdicts, seconds: seconds() };
    console.log('\n' + table(name, outcome) + '\n');
    return outcome;
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`\nbenchmark ${name} failed: ${message}\n`);
    return { figures: {}, targets: {}, verdicts: {}, seconds: seconds(), error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory_gib: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: `${platform()} ${arch()}` };
}

function writeReport(all: Record<string, BenchOutcome>): void {
  const m = machine();
  const at = new Date().toISOString();
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'report.json'), JSON.stringify({ machine: m, at, benchmarks: all }, null, 2) + '\n');
  const summary = Object.entries(all).map(([n, o]) => {
    const missed = Object.entries(o.verdicts).filter(([, v]) => v === 'missed').map(([k]) => k);
    const status = o.error ? 'failed' : missed.length ? `missed: ${missed.join(', ')}` : 'all targets met';
    return `| ${n} | ${status} | ${o.seconds} |`;
  });
  const md = [
    '# Benchmark report',
    '',
    `Run ${at} on ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB memory, Node ${m.node}, ${m.platform}.`,
    'Each benchmark measures against its reference in the same run; `npm run bench -- <name>` repeats one.',
    '',
    '| benchmark | result | seconds |',
    '|---|---|---|',
    ...summary,
    '',
    ...Object.entries(all).map(([n, o]) => table(n, o) + '\n'),
  ];
  writeFileSync(join(RESULTS, 'report.md'), md.join('\n'));
}

async function main() {
  const names = process.argv.slice(2);
  const known = available();
  for (const n of names) if (!known.includes(n)) throw new Error(`unknown benchmark "${n}"; known: ${known.join(', ')}`);
  const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 5 * 60 * 1000);
  const infra = await startInfra({ dir: join(ROOT, '.local', 'bench', `run-${process.pid}`) });
  const ctx: BenchContext = { redisUrl: infra.redisUrl, mongoUrl: infra.mongoUrl, root: ROOT };
  const all: Record<string, BenchOutcome> = {};
  try {
    for (const n of names.length ? names : known) all[n] = await runOne(n, ctx, timeoutMs);
    if (!names.length) {
      writeReport(all);
      console.log(`report: ${join(RESULTS, 'report.md')} and report.json`);
    }
  } finally {
    await infra.stop();
  }
  const failed = Object.entries(all).filter(([, o]) => o.error).map(([n]) => n);
  if (failed.length) throw new Error(`benchmark(s) failed: ${failed.join(', ')}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
