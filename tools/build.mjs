// Compiles apps/ and libs/ with SWC into dist/ (path aliases rewritten to relative imports).
// Type-checking is separate (`npm run typecheck`), as in Nest's SWC builder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['apps', 'libs', 'bench'].filter((d) => existsSync(join(root, d)) && statSync(join(root, d)).isDirectory());
mkdirSync(join(root, 'dist'), { recursive: true });
execFileSync(join(root, 'node_modules', '.bin', 'swc'), [...dirs, '-d', 'dist', '--config-file', '.swcrc', '--copy-files', '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});
writeFileSync(join(root, 'dist', '.built-at'), new Date().toISOString());
