// The fault-scenario matrix of issue 19 (bench/scenarios/scenario-matrix.ts): the five apps as
// processes from dist/ and the RouterOS simulator, one shared stack, reset between scenarios.
// Each scenario is a test; its expected pages are written in the matrix file.
import { join } from 'node:path';
import { SCENARIOS, runScenario } from '../../bench/scenarios/scenario-matrix';
import { ScenarioStack, type StackTools } from '../../bench/scenarios/scenario-stack';
import { testMongoUrl, testQueuePrefix, testRedisUrl, waitFor } from '../support';

const stack = require('../../tools/stack') as Pick<StackTools, 'launchApp' | 'stopApp'>;
const { startMongoCompat } = require('../../tools/infra') as Pick<StackTools, 'startMongoCompat'>;
const until: StackTools['until'] = (what, fn, timeoutMs) => waitFor(fn, { timeoutMs, intervalMs: 100, message: what }) as never;

const NAME = 'scenarios';
let s: ScenarioStack;

beforeAll(async () => {
  s = await ScenarioStack.start({
    redisUrl: testRedisUrl(),
    mongoUrl: testMongoUrl(NAME),
    prefix: testQueuePrefix(NAME),
    logDir: join(__dirname, '..', '..', '.local', 'test', `${testQueuePrefix(NAME)}-logs`),
    tools: { ...stack, until, startMongoCompat },
  });
}, 180000);

afterAll(async () => {
  await s?.stop();
}, 60000);

describe('fault-scenario matrix', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.id}. ${sc.name}: pages ${JSON.stringify(sc.expectedPages)}`, async () => {
      const v = await runScenario(s, sc, until);
      expect({ error: v.error, pages: v.actual }).toEqual({ error: undefined, pages: sc.expectedPages });
    }, sc.timeoutMs ?? 120000);
  }
});
