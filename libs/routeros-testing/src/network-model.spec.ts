import { NetworkModel } from './network-model';

describe('NetworkModel: redundant uplinks', () => {
  it('a device with an alternate uplink answers while either uplink path is up, not when both are down', () => {
    const m = new NetworkModel('127.0.0.2');
    m.addDevice({ name: 'BH-A', type: 'backhaul', ip: '10.0.0.1' });
    m.addDevice({ name: 'BH-B', type: 'backhaul', ip: '10.0.0.2' });
    m.addDevice({ name: 'SEC', type: 'sector', ip: '10.0.1.1', parentIp: '10.0.0.1', altParentIps: ['10.0.0.2'] });
    m.addDevice({ name: 'ST', type: 'station', ip: '10.0.1.11', parentIp: '10.0.1.1' });
    m.device('10.0.0.1').up = false;
    expect(m.isReachable('10.0.1.11')).toBe(true);
    m.device('10.0.0.2').up = false;
    expect(m.isReachable('10.0.1.11')).toBe(false);
    m.device('10.0.0.1').up = true;
    expect(m.isReachable('10.0.1.11')).toBe(true);
    expect(m.list().find((d) => d.name === 'SEC')?.altParentIps).toEqual(['10.0.0.2']);
  });
});
