// `npm run bench -- <name>`: starts Redis and the MongoDB-compatible server (unless REDIS_URL /
// MONGO_URL are set), runs bench/<name>/<name>.bench.ts, prints a table and writes
// bench/results/<name>.json with exactly the fields the benchmark returns. Without a name it runs
// every benchmark and writes bench/results/report.{json,md}.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchModule, BenchResult } from './bench-context';

const { startInfra, ROOT } = require('../../tools/infra') as {
  startInfra: (o: { dir: string }) => Promise<{ redisUrl: string; mongoUrl: string; stop: () => Promise<unknown> }>;
  ROOT: string;
};

const BENCH_SRC = join(ROOT, 'bench');
const RESULTS = join(BENCH_SRC, 'results');

function available(): string[] {
  return readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(__dirname, d.name, `${d.name}.bench.js`)))
    .map((d) => d.name)
    .sort();
}

function table(name: string, result: BenchResult): string {
  const rows = Object.entries(result.figures).map(([k, v]) => {
    const target = result.targets?.[k];
    return `| ${k} | ${typeof v === 'number' ? +v.toFixed(3) : v} | ${target ?? ''} |`;
  });
  return [`### ${name}`, '', '| figure | value | target |', '|---|---|---|', ...rows].join('\n');
}

async function runOne(name: string, ctx: BenchContext): Promise<BenchResult> {
  const mod = require(join(__dirname, name, `${name}.bench.js`)) as BenchModule;
  const result = await mod.run(ctx);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify(result.figures, null, 2) + '\n');
  console.log('\n' + table(name, result) + '\n');
  return result;
}

async function main() {
  const names = process.argv.slice(2);
  const known = available();
  for (const n of names) if (!known.includes(n)) throw new Error(`unknown benchmark "${n}"; known: ${known.join(', ')}`);
  const infra = await startInfra({ dir: join(ROOT, '.local', 'bench', `run-${process.pid}`) });
  const ctx: BenchContext = { redisUrl: infra.redisUrl, mongoUrl: infra.mongoUrl, root: ROOT };
  try {
    const all: Record<string, BenchResult> = {};
    for (const n of names.length ? names : known) all[n] = await runOne(n, ctx);
    if (!names.length) {
      const machine = { cores: cpus().length, cpu: cpus()[0]?.model, memory_gib: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };
      writeFileSync(join(RESULTS, 'report.json'), JSON.stringify({ machine, at: new Date().toISOString(), benchmarks: all }, null, 2) + '\n');
      const md = [`# Benchmark report`, '', `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memory_gib} GiB, Node ${machine.node}`, '', ...Object.entries(all).map(([n, r]) => table(n, r) + '\n')];
      writeFileSync(join(RESULTS, 'report.md'), md.join('\n'));
    }
  } finally {
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
