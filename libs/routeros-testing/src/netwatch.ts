import type { MenuStore } from './menu-store';
import type { NetworkModel } from './network-model';
import type { ScriptHost } from './script-host';

/** `/tool netwatch`: after a topology change, entries whose host changed state run up-script / down-script. */
export function netwatchCheck(menus: MenuStore, network: NetworkModel, scripts: ScriptHost): void {
  for (const row of menus.table('/tool/netwatch').rows.values()) {
    if (row.disabled === 'true') continue;
    const status = network.isReachable(row.host) ? 'up' : 'down';
    if (status === row.status) continue;
    const was = row.status;
    row.status = status;
    row.since = new Date().toISOString();
    if (was === 'up' || was === 'down') scripts.run('netwatch', status === 'up' ? row['up-script'] : row['down-script'], { host: row.host, status, name: row.name ?? '' });
  }
}
