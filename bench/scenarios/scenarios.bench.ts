/**
 * Scenario benchmark (`npm run bench -- scenarios`): the fault-scenario matrix of issue 19
 * (scenario-matrix.ts) through the five apps as processes and the RouterOS simulator. Writes
 * scenarios, passed, false_pages, missed_outages and a per-scenario table.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext, BenchResult } from '../bench-context';
import { infra, stack, until } from '../project-tools';
import { SCENARIOS, runScenario, type ScenarioVerdict } from './scenario-matrix';
import { ScenarioStack } from './scenario-stack';

export async function run(ctx: BenchContext): Promise<BenchResult> {
  const runId = randomBytes(3).toString('hex');
  const s = await ScenarioStack.start({
    redisUrl: ctx.redisUrl,
    mongoUrl: infra.mongoDbUrl(ctx.mongoUrl, `bench_scenarios_${runId}`),
    prefix: `bench-scenarios-${runId}`,
    logDir: join(ctx.root, '.local', 'bench', `scenarios-${runId}`),
    tools: { ...stack, until, startMongoCompat: infra.startMongoCompat },
  });
  const verdicts: ScenarioVerdict[] = [];
  try {
    for (const sc of SCENARIOS) {
      const v = await runScenario(s, sc, until);
      console.log(`${v.passed ? 'PASS' : 'FAIL'} ${sc.id}. ${sc.name} (${v.seconds} s)${v.error ? `: ${v.error}` : ''} pages ${JSON.stringify(v.actual)}`);
      verdicts.push(v);
    }
  } finally {
    await s.stop();
  }
  const table = verdicts.map((v) => `${v.id}|${v.passed ? 'pass' : 'FAIL'}|${v.seconds}s|expected ${JSON.stringify(v.expected)}|got ${JSON.stringify(v.actual)}${v.error ? `|${v.error}` : ''}`).join('\n');
  return {
    figures: {
      scenarios: verdicts.length,
      passed: verdicts.filter((v) => v.passed).length,
      false_pages: verdicts.reduce((n, v) => n + v.false_pages, 0),
      missed_outages: verdicts.reduce((n, v) => n + v.missed_outages, 0),
      table,
    },
    targets: { scenarios: '≥ 19', passed: '= scenarios', false_pages: '0', missed_outages: '0' },
  };
}
