import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConsoleDir } from './console-static';

describe('defaultConsoleDir', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'console-dir-'));
    writeFileSync(join(root, 'package.json'), '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds dist/console under the nearest folder with a package.json, from the build or the sources', () => {
    const built = join(root, 'dist', 'apps', 'api-gateway', 'src', 'console');
    const source = join(root, 'apps', 'api-gateway', 'src', 'console');
    mkdirSync(built, { recursive: true });
    mkdirSync(source, { recursive: true });
    expect(defaultConsoleDir(built)).toBe(join(root, 'dist', 'console'));
    expect(defaultConsoleDir(source)).toBe(join(root, 'dist', 'console'));
  });
});
