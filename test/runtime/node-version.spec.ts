import { execFileSync } from 'node:child_process';

/**
 * The project runs on Node 24 LTS (package.json "engines"): tools/use-node.sh puts it first on PATH,
 * installing it into .local/ when the machine's Node is older, before `npm test` starts Jest.
 */
describe('runtime', () => {
  it('runs the tests on Node 24', () => {
    expect(process.version).toMatch(/^v24\./);
  });

  it('puts Node 24 first on PATH for the commands the scripts run (`node`, npx, bins)', () => {
    expect(execFileSync('node', ['-v'], { encoding: 'utf8' }).trim()).toMatch(/^v24\./);
  });
});
