// The layering the folder names promise, checked on every test run: a newcomer can trust that the
// pure domain library loads without Nest or a database, and that no layer reaches back up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)'([^']+)'/g)].map((m) => m[1]);
}

function offenders(dir: string, forbidden: RegExp, opts: { specs?: boolean } = {}): string[] {
  return sources(join(ROOT, dir))
    .filter((f) => opts.specs !== false || !/\.(e2e-)?spec\.ts$/.test(f))
    .flatMap((f) => importsOf(f).filter((i) => forbidden.test(i)).map((i) => `${relative(ROOT, f)} -> ${i}`));
}

describe('architecture', () => {
  it('libs/domain is pure: no Nest, Mongoose, MongoDB driver, BullMQ or ioredis, and no upper layer', () => {
    expect(offenders('libs/domain/src', /^(@nestjs\/|mongoose$|mongodb$|bullmq$|ioredis$|@isp\/(data|platform|routeros))/)).toEqual([]);
  });

  it('libs/data does not reach up to the platform or to routers', () => {
    expect(offenders('libs/data/src', /^(@isp\/(platform|routeros)|bullmq$|ioredis$)/)).toEqual([]);
  });

  it('production libraries never import the RouterOS simulator', () => {
    for (const lib of ['libs/domain/src', 'libs/data/src', 'libs/platform/src', 'libs/routeros/src']) {
      expect(offenders(lib, /^@isp\/routeros-testing|\/testing(\/|$)/, { specs: false })).toEqual([]);
    }
  });

  it('no app imports another app', () => {
    const apps = readdirSync(join(ROOT, 'apps'));
    for (const app of apps) {
      const others = apps.filter((a) => a !== app).join('|');
      expect(offenders(`apps/${app}/src`, new RegExp(`apps/(${others})/`))).toEqual([]);
    }
  });

  it('no source file under libs/ is over 400 lines', () => {
    const long = sources(join(ROOT, 'libs'))
      .map((f) => ({ f: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > 400);
    expect(long).toEqual([]);
  });
});
