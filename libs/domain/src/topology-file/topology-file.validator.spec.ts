import { TopologyFileError, validateTopologyFile } from './topology-file.validator';

describe('topology file: names that reach a router (issue 14 item 6)', () => {
  const file = (over: { device?: string; username?: string; router?: string; building?: string }) => ({
    buildings: [{ code: 'B1', name: over.building ?? 'Tower' }],
    routers: [{ name: over.router ?? 'core-1', building: 'B1', host: '10.0.0.1', apiUser: 'api', apiPassword: 'pw' }],
    devices: [{ name: over.device ?? 'Sector "A" ü', router: over.router ?? 'core-1', type: 'sector' as const, ip: '10.0.1.1' }],
    subscribers: [{ username: over.username ?? 'juan.perez', router: over.router ?? 'core-1', password: 'x', station: over.device ?? 'Sector "A" ü' }],
  });
  const problems = (input: unknown) => {
    try {
      validateTopologyFile(input);
      return [];
    } catch (err) {
      if (err instanceof TopologyFileError) return err.problems;
      throw err;
    }
  };

  it('accepts quotes, backslashes and accents', () => expect(problems(file({}))).toEqual([]));

  it('refuses control characters in every name, naming the record and the field', () => {
    expect(problems(file({ device: 'Sector\tA' }))).toContain('devices[0] (Sector\tA): name must not contain control characters (tab, newline...)');
    expect(problems(file({ username: 'juan\n' }))).toContain('subscribers[0] (juan\n): username must not contain control characters (tab, newline...)');
    expect(problems(file({ router: 'core\r1' })).some((p) => p.startsWith('routers[0]') && /name must not contain control/.test(p))).toBe(true);
    expect(problems(file({ building: 'Tower\u0085' })).some((p) => p.startsWith('buildings[0]') && /name must not contain control/.test(p))).toBe(true);
  });
});
