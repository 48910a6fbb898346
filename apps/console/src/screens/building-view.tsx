import { useApp, useFeed, useLoad } from '../app-context';
import type { NodeState, Router, Topology, Page } from '../api/types';
import { ErrorNote, StateBadge } from '../components/state-badge';
import { LiveCheck } from '../components/live-check';
import { since } from '../lib/format';
import { href } from '../lib/route';
import { applyNodeState, countStates, flattenTree } from '../lib/tree';

/** A building's tree (routers, backhauls, sectors, stations) with live states and Live Check on every node. */
export function BuildingView({ id }: { id: string }) {
  const { api } = useApp();
  const topo = useLoad(() => api.get<Topology>(`/buildings/${id}/topology`), id);
  const routers = useLoad(() => api.get<Page<Router>>(`/routers?building=${id}&limit=100`), `routers-${id}`);
  useFeed((m) => {
    if (m.type !== 'node-state') return;
    const nodeId = String(m.data.id ?? '');
    const state = String(m.data.state ?? '') as NodeState;
    topo.setData((t) => (t ? { ...t, roots: applyNodeState(t.roots, nodeId, state, m.at) } : t));
  });
  const t = topo.data;
  const rows = t ? flattenTree(t.roots) : [];
  const counts = t ? countStates(t.roots) : {};
  return (
    <section aria-labelledby="building-title">
      <h1 id="building-title">{t ? `${t.building.name} (${t.building.code})` : 'Building'}</h1>
      <ErrorNote error={topo.error} />
      {t && (
        <p className="summary-line">
          {t.totals.routers} router{t.totals.routers === 1 ? '' : 's'}, {t.totals.devices} devices, {t.totals.subscribers.total} subscribers ({t.totals.subscribers.online} online, {t.totals.subscribers.impacted} impacted,{' '}
          {t.totals.subscribers.down} down, {t.totals.subscribers.suspended} suspended) ·{' '}
          {Object.entries(counts)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ')}{' '}
          · <a href={href({ screen: 'availability', scope: 'building', id })}>Availability</a>
        </p>
      )}
      {(routers.data?.items ?? []).length > 0 && (
        <p>
          Routers:{' '}
          {routers.data!.items.map((r, i) => (
            <span key={r.id}>
              {i > 0 && ', '}
              <a href={href({ screen: 'router', id: r.id })}>{r.name}</a>
            </span>
          ))}
        </p>
      )}
      <ul className="tree" aria-label="Topology, core first" data-testid="topology">
        {rows.map(({ node, depth }) => (
          <li key={node.id} className="tree-row" style={{ paddingLeft: `${depth * 1.1}rem` }} data-testid="tree-node" data-node-name={node.name}>
            <div className="tree-line">
              <span className="tree-name">
                {depth > 0 && <span aria-hidden="true">└ </span>}
                <strong>{node.name}</strong> <span className="muted">{node.type}</span> {node.ipAddress && <span className="muted mono">{node.ipAddress}</span>}
              </span>
              <StateBadge state={node.state} testId={`state-${node.name}`} />
              {node.since && <span className="muted"> since {since(node.since)}</span>}
              {node.subscribers && (
                <span className="muted">
                  {' '}
                  · {node.subscribers.total} subs ({node.subscribers.online} online)
                </span>
              )}
            </div>
            {node.id !== 'unknown' && <LiveCheck kind={node.kind} id={node.id} name={node.name} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
