import { useApp, useFeed, useLoad } from '../app-context';
import type { Building, Incident, Page } from '../api/types';
import { ErrorNote } from '../components/state-badge';
import { incidentIdOf } from '../lib/incident-board';
import { href } from '../lib/route';

/** The first screen: the buildings this user looks after, with their active incidents. */
export function Home() {
  const { api, me } = useApp();
  const buildings = useLoad(() => api.get<Page<Building>>('/buildings?limit=500'), 'buildings');
  const incidents = useLoad(() => api.get<Page<Incident>>('/incidents?state=active&limit=500'), 'active-incidents');
  useFeed((m) => {
    if (incidentIdOf(m)) incidents.reload();
  });
  // Technicians see their own buildings (when they have been given some); others see all.
  const mine = me?.role === 'technician' && me.buildings.length ? new Set(me.buildings) : undefined;
  const list = (buildings.data?.items ?? []).filter((b) => !mine || mine.has(b.id));
  const active = (id: string) => (incidents.data?.items ?? []).filter((i) => i.building === id);
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Buildings</h1>
      <ErrorNote error={buildings.error ?? incidents.error} />
      {buildings.loading && !buildings.data && <p className="muted">Loading…</p>}
      {buildings.data && list.length === 0 && <p>No buildings yet.</p>}
      <ul className="cards" data-testid="buildings">
        {list.map((b) => {
          const here = active(b.id);
          return (
            <li key={b.id} className="card" data-testid="building-card">
              <h2>
                <a href={href({ screen: 'building', id: b.id })}>{b.name}</a> <span className="muted">({b.code})</span>
              </h2>
              {b.address && <p className="muted">{b.address}</p>}
              <p>
                {here.length === 0 ? (
                  <span className="badge tone-ok">
                    <span aria-hidden="true">●</span> No active incidents
                  </span>
                ) : (
                  <a className="badge tone-bad" href={href({ screen: 'incidents' })}>
                    <span aria-hidden="true">!</span> {here.length} active incident{here.length > 1 ? 's' : ''}
                  </a>
                )}
              </p>
              <p className="links">
                <a href={href({ screen: 'building', id: b.id })}>Topology</a> · <a href={href({ screen: 'availability', scope: 'building', id: b.id })}>Availability</a>
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
