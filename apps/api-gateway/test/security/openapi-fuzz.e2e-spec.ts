// Issue 15 item 16: a property-based fuzz over every operation of the served OpenAPI document,
// authenticated as an admin. Path ids, query parameters and bodies are generated from the
// document's own schemas, mixed with malformed values; every answer must be below 500 and a
// status the document lists for that operation.
import fc from 'fast-check';
import { startHarness, type Harness } from '../gateway-harness';

type Schema = { $ref?: string; type?: string; enum?: unknown[]; items?: Schema; properties?: Record<string, Schema>; format?: string; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, unknown>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Runs per operation: about fifty operations, so a full pass stays well under a minute. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', 'null', 'undefined', '-1', '0', '1e309', 'NaN', 'true', '{}', '[]', '$where', '{"$gt":""}', '%00', '../..', 'a'.repeat(600), 'ǅ€\u0000'),
);

function valueFor(doc: Doc, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.anything({ maxDepth: 2 });
  if (schema.$ref) return valueFor(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!], depth + 1);
  const alternatives = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => valueFor(doc, s, depth + 1)));
  let typed: fc.Arbitrary<unknown>;
  if (schema.enum?.length) typed = fc.constantFrom(...schema.enum);
  else if (schema.type === 'integer') typed = fc.oneof(fc.integer({ min: -5, max: 600 }), fc.integer());
  else if (schema.type === 'number') typed = fc.oneof(fc.double(), fc.integer());
  else if (schema.type === 'boolean') typed = fc.boolean();
  else if (schema.type === 'array') typed = fc.array(valueFor(doc, schema.items, depth + 1), { maxLength: 3 });
  else if (schema.type === 'object' || schema.properties) {
    const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, valueFor(doc, s, depth + 1)]));
    typed = fc.record(props, { requiredKeys: [] });
  } else if (schema.format === 'date-time') typed = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  else typed = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('10.0.0.1', 'AA:BB:CC:00:11:22', '10M/20M', '7.18', 'a@b.co'));
  // Mostly well-typed values (to reach the services), sometimes anything at all.
  return fc.oneof({ arbitrary: typed, weight: 4 }, { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 });
}

describe('OpenAPI-driven fuzz (issue 15 item 16)', () => {
  let h: Harness;
  let doc: Doc;
  const known: string[] = [];

  beforeAll(async () => {
    h = await startHarness('security-fuzz', { LIVE_CHECK_TIMEOUT_MS: '100', BULL_BOARD: 'false' });
    doc = (await h.request('GET', '/api/docs-json')).body as Doc;
    // Some ids that exist, so generated requests also reach past the "not found" answers.
    const token = h.tokens.admin;
    const b = await h.request('POST', '/api/v1/buildings', { token, body: { name: 'Fuzz tower', code: 'FZ' } });
    const r = await h.request('POST', '/api/v1/routers', { token, body: { name: 'core-fz', host: '127.0.0.1', apiPort: 1, apiUser: 'api', apiPassword: 'pw', building: b.body.id } });
    const d = await h.request('POST', '/api/v1/devices', { token, body: { name: 'sector-fz', deviceType: 'sector', ipAddress: '10.30.0.2', router: r.body.id } });
    const s = await h.request('POST', '/api/v1/subscribers', { token, body: { username: 'fuzz', password: 'fuzz-pass-1', router: r.body.id } });
    const pl = await h.request('POST', '/api/v1/plans', { token, body: { name: 'fuzz-plan', download: '10M', upload: '2M' } });
    known.push(b.body.id, r.body.id, d.body.id, s.body.id, pl.body.id);
    for (const id of known) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('every operation answers below 500 with a documented status, whatever it is sent', async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
    expect(operations.length).toBeGreaterThan(40);
    const id = fc.oneof(fc.constantFrom(...known), fc.stringMatching(/^[0-9a-f]{24}$/), junk);
    const failures: string[] = [];

    for (const { path, method, op } of operations) {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const request = fc.record({
        path: fc.tuple(...pathParams.map(() => id)),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(valueFor(doc, p.schema), junk)])), { requiredKeys: [] }),
        extraQuery: fc.option(fc.tuple(fc.constantFrom('$where', 'access_token', 'unknown', '__proto__'), junk), { nil: undefined }),
        body: bodySchema ? fc.oneof({ arbitrary: valueFor(doc, bodySchema).map((v) => JSON.stringify(v) ?? 'null'), weight: 4 }, { arbitrary: junk, weight: 1 }) : fc.constant(undefined),
      });
      // fc.check, not fc.assert: one operation's failure must not hide the others'.
      await fc.check(
        fc.asyncProperty(request, async (req) => {
          let i = 0;
          const url = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(String(req.path[i++])));
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(req.query)) qs.append(k, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
          if (req.extraQuery) qs.append(req.extraQuery[0], req.extraQuery[1]);
          const target = `${url}${qs.size ? `?${qs}` : ''}`;
          const abort = new AbortController();
          const headers: Record<string, string> = { authorization: `Bearer ${h.tokens.admin}` };
          if (req.body !== undefined) headers['content-type'] = 'application/json';
          // Headers are enough: a stream (the feed) is closed as soon as it answers.
          const res = await fetch(h.baseUrl + target, { method, headers, body: req.body, signal: abort.signal });
          abort.abort();
          const status = String(res.status);
          if (res.status >= 500 || !(status in op.responses)) {
            failures.push(`${method} ${target} ${req.body ?? ''} -> ${status} (documented: ${Object.keys(op.responses).join(', ')})`);
            return false;
          }
          return true;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
