// Compiles apps/ and libs/ with SWC into dist/ (path aliases rewritten to relative imports), and
// the operator console (apps/console, a Vite + React front end) into dist/console, which the
// api-gateway serves at /. Type-checking is separate (`npm run typecheck`), as in Nest's SWC builder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE = join(root, 'apps', 'console');
const CONSOLE_OUT = join(root, 'dist', 'console');
const dirs = ['apps', 'libs', 'bench'].filter((d) => existsSync(join(root, d)) && statSync(join(root, d)).isDirectory());
mkdirSync(join(root, 'dist'), { recursive: true });
execFileSync(join(root, 'node_modules', '.bin', 'swc'), [...dirs, '-d', 'dist', '--config-file', '.swcrc', '--copy-files', '--quiet', '--ignore', 'apps/console/**'], {
  cwd: root,
  stdio: 'inherit',
});

/** Newest modification time under `dir` (unit specs do not change the bundle). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!e.name.endsWith('.spec.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

// The console bundle is rebuilt only when its sources, the lock file (its libraries) or this
// script changed since the last build: Vite takes seconds, and every test run calls this script.
if (existsSync(CONSOLE)) {
  const stamp = join(CONSOLE_OUT, '.built-at');
  const inputs = Math.max(newest(CONSOLE), statSync(join(root, 'package-lock.json')).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < inputs) {
    const { build } = await import('vite');
    await build({ configFile: join(CONSOLE, 'vite.config.mts') });
    writeFileSync(stamp, new Date().toISOString());
  }
}
writeFileSync(join(root, 'dist', '.built-at'), new Date().toISOString());
