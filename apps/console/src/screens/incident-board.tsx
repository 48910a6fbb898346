import { useEffect, useState, type FormEvent } from 'react';
import { useApp, useFeed, useLoad } from '../app-context';
import type { Building, Incident, Page } from '../api/types';
import { ErrorNote, IncidentBadge, StateBadge } from '../components/state-badge';
import { formatRtt, formatTime, since } from '../lib/format';
import { incidentIdOf, incidentQuery, upsertIncident, type BoardFilter } from '../lib/incident-board';
import { href } from '../lib/route';
import { can, LEVEL_NAMES } from '../lib/state-labels';

/**
 * Incidents, live: the list is read once per filter, then each feed message about an incident
 * re-reads that incident and folds it in (new ones appear, resolved ones leave the active view).
 */
export function IncidentBoard() {
  const { api, me, session, feedStatus } = useApp();
  const role = me?.role ?? session.role;
  // Support works Level 1 (single subscribers) first; they can widen the filter.
  const [filter, setFilter] = useState<BoardFilter>({ state: 'active', level: role === 'support' ? 1 : undefined });
  const buildings = useLoad(() => api.get<Page<Building>>('/buildings?limit=500'), 'buildings');
  const board = useLoad(() => api.get<Page<Incident>>(`/incidents?${incidentQuery(filter)}`).then((p) => p.items), JSON.stringify(filter));
  const [actionError, setActionError] = useState<string | undefined>();
  // A (re)connected feed may have missed messages: read the list again (board.reload is stable).
  useEffect(() => {
    if (feedStatus === 'live') board.reload();
  }, [feedStatus]);
  useFeed((m) => {
    const id = incidentIdOf(m);
    if (!id) return;
    api.get<Incident>(`/incidents/${id}`).then(
      (i) => board.setData((old) => upsertIncident(old ?? [], i, filter)),
      () => undefined,
    );
  });
  const act = async (i: Incident, action: 'acknowledge' | 'resolve', note?: string) => {
    setActionError(undefined);
    try {
      const updated = await api.post<Incident>(`/incidents/${i.id}/${action}`, action === 'acknowledge' && note?.trim() ? { note: note.trim() } : undefined);
      board.setData((old) => upsertIncident(old ?? [], updated, filter));
    } catch (e) {
      setActionError((e as Error).message);
    }
  };
  const mine = role === 'technician' && me?.buildings.length ? new Set(me.buildings) : undefined;
  const items = (board.data ?? []).filter((i) => !mine || !i.building || mine.has(i.building));
  return (
    <section aria-labelledby="board-title">
      <h1 id="board-title">Incidents</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter incidents">
        <label>
          State
          <select value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as BoardFilter['state'] })}>
            <option value="active">Open and acknowledged</option>
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        <label>
          Level
          <select value={filter.level ?? ''} onChange={(e) => setFilter({ ...filter, level: e.target.value ? Number(e.target.value) : undefined })}>
            <option value="">All levels</option>
            {[1, 2, 3].map((l) => (
              <option key={l} value={l}>
                {LEVEL_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Building
          <select value={filter.building ?? ''} onChange={(e) => setFilter({ ...filter, building: e.target.value || undefined })}>
            <option value="">All buildings</option>
            {(buildings.data?.items ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={board.error ?? actionError} />
      <p className="muted" aria-live="polite" data-testid="incident-count">
        {board.data ? `${items.length} incident${items.length === 1 ? '' : 's'}` : 'Loading…'}
      </p>
      <ul className="cards" data-testid="incidents">
        {items.map((i) => (
          <li key={i.id} className="card incident" data-testid="incident" data-incident-id={i.id}>
            <h2>
              <IncidentBadge state={i.state} /> {i.rootCause.name} <span className="muted">({i.rootCause.type})</span>
            </h2>
            {i.inMaintenance && (
              <p>
                <span className="badge tone-warn" data-testid="in-maintenance" title="inside a maintenance window: nobody is paged until it ends with this still open">
                  ⚒ IN MAINTENANCE{i.maintenance?.until ? ` until ${formatTime(i.maintenance.until)}` : ''}
                </span>
              </p>
            )}
            <p>
              {LEVEL_NAMES[i.level] ?? `Level ${i.level}`} · {i.building ? <a href={href({ screen: 'building', id: i.building })}>{i.buildingName ?? 'building'}</a> : 'no building'}
            </p>
            <p data-testid="impacted">
              Impacted: <strong>{i.impactedDevices}</strong> device{i.impactedDevices === 1 ? '' : 's'}, <strong>{i.impactedSubscribers}</strong> subscriber{i.impactedSubscribers === 1 ? '' : 's'}
            </p>
            {i.path.length > 0 && (
              <ol className="path" aria-label="Evidence path, core to fault">
                {i.path.map((h, n) => (
                  <li key={`${h.id}-${n}`}>
                    {h.name} <StateBadge state={h.state} /> {formatRtt(h.rttMs)}
                  </li>
                ))}
              </ol>
            )}
            <p className="timeline muted">
              Opened {formatTime(i.openedAt)} ({since(i.openedAt)})
              {i.acknowledgedAt && ` · acknowledged ${formatTime(i.acknowledgedAt)} by ${i.acknowledgedBy ?? 'someone'}`}
              {i.resolvedAt && ` · resolved ${formatTime(i.resolvedAt)}`}
            </p>
            {i.acknowledgeNote && (
              <p className="ack-note" data-testid="ack-note">
                Note: {i.acknowledgeNote}
              </p>
            )}
            <p className="actions">
              {i.state === 'open' && can(role, 'acknowledge') && <AcknowledgeForm onAcknowledge={(note) => act(i, 'acknowledge', note)} />}
              {i.state !== 'resolved' && can(role, 'resolve') && (
                <button type="button" className="secondary" onClick={() => void act(i, 'resolve')}>
                  Resolve
                </button>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Acknowledge with an optional note for whoever looks next (the API keeps up to 500 characters). */
function AcknowledgeForm({ onAcknowledge }: { onAcknowledge: (note: string) => Promise<void> }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onAcknowledge(note);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="ack-form" onSubmit={(e) => void submit(e)}>
      <label>
        Note (optional)
        <input type="text" name="note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} autoComplete="off" />
      </label>
      <button type="submit" disabled={busy}>
        Acknowledge
      </button>
    </form>
  );
}
