import { useApp, useLoad } from '../app-context';
import type { Router } from '../api/types';
import { ErrorNote, StateBadge, SyncBadge } from '../components/state-badge';
import { LiveCheck } from '../components/live-check';
import { formatTime, since } from '../lib/format';
import { href } from '../lib/route';

export function RouterPage({ id }: { id: string }) {
  const { api } = useApp();
  const r = useLoad(() => api.get<Router>(`/routers/${id}`), id);
  const x = r.data;
  return (
    <section aria-labelledby="router-title">
      <h1 id="router-title">{x ? `Router ${x.name}` : 'Router'}</h1>
      <ErrorNote error={r.error} />
      {x && (
        <div className="card">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StateBadge state={x.status.state} /> since {formatTime(x.status.since)} ({since(x.status.since)})
            </dd>
            <dt>Last heartbeat</dt>
            <dd>{x.status.lastSeenAt ? `${formatTime(x.status.lastSeenAt)} (${since(x.status.lastSeenAt)})` : 'none yet'}</dd>
            <dt>Last check</dt>
            <dd>{formatTime(x.status.lastCheckAt)}</dd>
            <dt>RouterOS</dt>
            <dd>{x.rosVersion ?? 'unknown'}</dd>
            <dt>API</dt>
            <dd className="mono">
              {x.host}:{x.apiPort} {x.tls ? '(api-ssl)' : '(plain)'}
            </dd>
            <dt>Role</dt>
            <dd>{x.role}</dd>
            <dt>Configuration</dt>
            <dd>
              <SyncBadge status={x.syncStatus} /> {x.lastSyncedAt && `last ${formatTime(x.lastSyncedAt)}`} {x.syncError}
            </dd>
            <dt>Webhook token</dt>
            <dd>{x.hasWebhookToken ? 'issued' : 'not issued: the router cannot report events'}</dd>
            <dt>Building</dt>
            <dd>{x.building ? <a href={href({ screen: 'building', id: x.building })}>open the building</a> : '—'}</dd>
          </dl>
          <LiveCheck kind="router" id={x.id} name={x.name} />
        </div>
      )}
    </section>
  );
}
