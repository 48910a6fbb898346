import { useEffect, useState } from 'react';
import { useApp, useFeed, useLoad } from '../app-context';
import type { DowntimeLog, Subscriber, SubscriberStatus, SyncState } from '../api/types';
import { ErrorNote, StateBadge, SyncBadge } from '../components/state-badge';
import { LiveCheck } from '../components/live-check';
import { formatDuration, formatTime, since } from '../lib/format';
import { href } from '../lib/route';
import { can } from '../lib/state-labels';

/** How often the sync state is re-read while provisioning has not caught up (no feed event for it). */
const SYNC_POLL_MS = 1000;

export function SubscriberCard({ id }: { id: string }) {
  const { api, me, session } = useApp();
  const role = me?.role ?? session.role;
  const sub = useLoad(() => api.get<Subscriber>(`/subscribers/${id}`), id);
  const status = useLoad(() => api.get<SubscriberStatus>(`/subscribers/${id}/status`), `status-${id}`);
  const sync = useLoad(() => api.get<SyncState>(`/subscribers/${id}/sync`), `sync-${id}`);
  const history = useLoad(() => api.get<{ items: DowntimeLog[] }>(`/downtime-logs?user=${id}&limit=20`), `downtime-${id}`);
  const [actionError, setActionError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useFeed((m) => {
    // Its own state changes, and flapping starting or ending (a node-state notice from diagnostics).
    if ((m.type === 'subscriber-state' && m.data.userId === id) || (m.type === 'node-state' && m.data.kind === 'subscriber' && m.data.id === id)) {
      status.reload();
      history.reload();
    }
  });
  // Provisioning publishes nothing on the feed: follow the sync state until the router has it.
  const behind = sync.data ? !(sync.data.syncStatus === 'synced' && sync.data.inSync) && sync.data.syncStatus !== 'failed' : false;
  useEffect(() => {
    if (!behind) return;
    const t = setTimeout(sync.reload, SYNC_POLL_MS);
    return () => clearTimeout(t);
  }, [behind, sync.data, sync.reload]);

  const setSuspended = async (suspend: boolean) => {
    setBusy(true);
    setActionError(undefined);
    try {
      const updated = await api.post<Subscriber>(`/subscribers/${id}/${suspend ? 'suspend' : 'unsuspend'}`);
      sub.setData(() => updated);
      sync.setData(() => updated.sync);
    } catch (e) {
      setActionError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const s = sub.data;
  const st = status.data;
  const dt = st?.currentDowntime;
  return (
    <section aria-labelledby="sub-title">
      <h1 id="sub-title">{s?.username ?? 'Subscriber'}</h1>
      <ErrorNote error={sub.error ?? status.error ?? actionError} />
      {s && st && (
        <div className="card status-card" data-testid="status-card">
          <p>
            <StateBadge state={st.state} testId="subscriber-state" /> {st.isOnline ? `online since ${formatTime(st.since ?? st.lastOnlineAt)}` : `down since ${formatTime(st.since ?? st.lastOfflineAt)}`}{' '}
            <span className="muted">({since(st.since)})</span>
            {st.flapping && (
              <>
                {' '}
                <span className="badge tone-warn" data-testid="flapping" title="changing state too often: one notice, no message per flap">
                  FLAPPING since {formatTime(st.flappingSince)}
                </span>
              </>
            )}
          </p>
          {dt && (
            <p data-testid="current-downtime">
              Current downtime from {formatTime(dt.startedAt)}: {dt.cause === 'impacted' ? `upstream outage at ${dt.rootCause?.name ?? 'a node above'}` : 'this subscriber only'}
              {dt.incidentId && (
                <>
                  {' '}
                  (incident <a href={href({ screen: 'incidents' })}>Level {dt.incidentLevel}, {dt.incidentState}</a>)
                </>
              )}
            </p>
          )}
          <dl className="facts">
            <dt>Address</dt>
            <dd className="mono">{st.currentAddress ?? s.staticIp ?? '—'}</dd>
            <dt>MAC</dt>
            <dd className="mono">{s.macAddress ?? '—'}</dd>
            <dt>Plan</dt>
            <dd>{s.profile}</dd>
            <dt>Service</dt>
            <dd data-testid="suspension">{s.isSuspended ? <span className="badge tone-warn">SUSPENDED</span> : <span className="badge tone-ok">ACTIVE</span>}</dd>
            <dt>Router sync</dt>
            <dd aria-live="polite">
              {sync.data && <SyncBadge status={sync.data.syncStatus} inSync={sync.data.inSync} testId="sync-state" />}{' '}
              {sync.data && (
                <span className="muted">
                  v{sync.data.appliedVersion}/{sync.data.desiredVersion}
                  {sync.data.syncError && ` — ${sync.data.syncError}`}
                </span>
              )}
            </dd>
          </dl>
          <p className="actions">
            {can(role, 'suspend') &&
              (s.isSuspended ? (
                <button type="button" disabled={busy} onClick={() => void setSuspended(false)}>
                  Unsuspend
                </button>
              ) : (
                <button type="button" className="danger" disabled={busy} onClick={() => void setSuspended(true)}>
                  Suspend
                </button>
              ))}
            <a href={href({ screen: 'availability', scope: 'subscriber', id })}>Availability</a>
          </p>
          <LiveCheck kind="subscriber" id={id} name={s.username} />
        </div>
      )}
      <h2>Downtime history</h2>
      <table className="table" data-testid="downtime-history">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
            <th scope="col">Duration</th>
            <th scope="col">Cause</th>
          </tr>
        </thead>
        <tbody>
          {(history.data?.items ?? []).map((l) => (
            <tr key={l.id}>
              <td>{formatTime(l.startedAt)}</td>
              <td>{l.open ? 'ongoing' : formatTime(l.endedAt ?? undefined)}</td>
              <td>{l.open ? since(l.startedAt) : formatDuration(l.durationSec)}</td>
              <td>{l.cause === 'impacted' ? 'upstream outage' : l.cause === 'self' ? 'own connection' : l.cause}</td>
            </tr>
          ))}
          {history.data && history.data.items.length === 0 && (
            <tr>
              <td colSpan={4}>No downtime recorded.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
