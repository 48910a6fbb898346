import { formatPingTime } from '@isp/routeros';
import type { Row } from './menu-store';
import type { NetworkModel } from './network-model';
import type { Scheduler } from './scheduler';
import type { WireSession } from './wire-server';
import { encodeSentence } from './wire-protocol';

function parseDurationMs(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60000 : n * 1000;
}

/**
 * `/ping` over the API: one `!re` per probe with running totals, answered from the network
 * model; `/cancel` (or the connection closing) interrupts it.
 */
export function streamPing(session: WireSession, tag: string, a: Row, network: NetworkModel, scheduler: Scheduler, rosMajor: 6 | 7): void {
  const address = a.address ?? '';
  // Without count a RouterOS ping never ends; the simulator behaves the same (until /cancel).
  const count = a.count === undefined ? Infinity : Math.max(1, parseInt(a.count, 10) || 1);
  const intervalMs = parseDurationMs(a.interval) ?? 1000;
  const tagWords = tag ? [`.tag=${tag}`] : [];
  let seq = 0;
  let received = 0;
  const rtts: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const finish = (cancelled: boolean) => {
    scheduler.cancel(timer);
    session.running.delete(tag);
    const out: Buffer[] = [];
    if (cancelled) out.push(encodeSentence(['!trap', '=category=2', '=message=interrupted', ...tagWords]));
    out.push(encodeSentence(['!done', ...tagWords]));
    session.write(Buffer.concat(out));
  };
  session.running.set(tag, () => finish(true));
  const probe = () => {
    const reach = network.isReachable(address);
    const loss = network.lossAlongPath(address);
    const ok = reach && Math.random() * 100 >= loss;
    const rtt = network.latencyAlongPath(address) * (0.9 + Math.random() * 0.2);
    // A real router writes the reply row once the echo is back, so a slow hop (host-latency)
    // answers late, as Live Check's hop-by-hop stream must show; a lost echo is reported at once.
    if (ok) timer = scheduler.later(() => answer(ok, rtt), rtt);
    else answer(ok, rtt);
  };
  const answer = (ok: boolean, rtt: number) => {
    if (ok) {
      received++;
      rtts.push(rtt);
    }
    const sent = seq + 1;
    const row: Row = { seq: String(seq), host: address };
    if (ok) Object.assign(row, { size: a.size ?? '56', ttl: '64', time: formatPingTime(rtt, rosMajor) });
    else row.status = 'timeout';
    Object.assign(row, { sent: String(sent), received: String(received), 'packet-loss': String(Math.round(((sent - received) / sent) * 100)) });
    if (rtts.length) {
      Object.assign(row, {
        'min-rtt': formatPingTime(Math.min(...rtts), rosMajor),
        'avg-rtt': formatPingTime(rtts.reduce((x, y) => x + y, 0) / rtts.length, rosMajor),
        'max-rtt': formatPingTime(Math.max(...rtts), rosMajor),
      });
    }
    session.write(encodeSentence(['!re', ...Object.entries(row).map(([k, v]) => `=${k}=${v}`), ...tagWords]));
    seq++;
    if (seq >= count) return finish(false);
    timer = scheduler.later(probe, intervalMs);
  };
  probe();
}
