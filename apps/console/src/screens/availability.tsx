import { useMemo, useState } from 'react';
import { useApp, useLoad } from '../app-context';
import type { Availability, DowntimeLog } from '../api/types';
import { AvailabilityChart } from '../components/availability-chart';
import { ErrorNote } from '../components/state-badge';
import { formatDuration, formatPct, formatTime } from '../lib/format';
import { bucketsEnding, chartData, PERIODS, type PeriodKey } from '../lib/period';

/** Availability of a subscriber or a building over a chosen period, per bucket, with its downtime intervals. */
export function AvailabilityScreen({ scope, id }: { scope: 'building' | 'subscriber'; id: string }) {
  const { api } = useApp();
  const [period, setPeriod] = useState<PeriodKey>('7d');
  const base = scope === 'building' ? `/buildings/${id}` : `/subscribers/${id}`;
  // The end is fixed when the period is chosen so every bucket read covers the same window.
  const buckets = useMemo(() => bucketsEnding(Date.now(), PERIODS[period].ms, PERIODS[period].buckets), [period]);
  const whole = useLoad(() => api.get<Availability>(`${base}/availability?${new URLSearchParams({ from: buckets[0].from, to: buckets.at(-1)!.to })}`), `${base}-${period}`);
  const parts = useLoad(() => Promise.all(buckets.map((b) => api.get<Availability>(`${base}/availability?${new URLSearchParams({ from: b.from, to: b.to })}`))), `${base}-parts-${period}`);
  const logs = useLoad(
    () => api.get<{ items: DowntimeLog[] }>(`/downtime-logs?${new URLSearchParams({ [scope === 'building' ? 'building' : 'user']: id, from: buckets[0].from, limit: '100' })}`),
    `${base}-logs-${period}`,
  );
  const name = scope === 'building' ? 'Building' : 'Subscriber';
  const data = useMemo(() => chartData(buckets, (parts.data ?? []).map((a) => a.availabilityPct)), [buckets, parts.data]);
  return (
    <section aria-labelledby="avail-title">
      <h1 id="avail-title">{name} availability</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Period
          <select value={period} onChange={(e) => setPeriod(e.target.value as PeriodKey)}>
            {Object.entries(PERIODS).map(([k, p]) => (
              <option key={k} value={k}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={whole.error ?? parts.error ?? logs.error} />
      {whole.data && (
        <p className="summary-line" data-testid="availability-total">
          <strong>{formatPct(whole.data.availabilityPct)}</strong> over {PERIODS[period].label.toLowerCase()} · downtime {formatDuration(whole.data.downtimeSec)} (of which upstream outages {formatDuration(whole.data.impactedSec)}) ·{' '}
          {whole.data.affectedSubscribers} of {whole.data.subscribers} subscriber{whole.data.subscribers === 1 ? '' : 's'} affected
        </p>
      )}
      {parts.data && <AvailabilityChart data={data} label={`${name} availability`} />}
      <h2>Downtime intervals</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
            <th scope="col">Duration</th>
            <th scope="col">Cause</th>
          </tr>
        </thead>
        <tbody>
          {(logs.data?.items ?? []).map((l) => (
            <tr key={l.id}>
              <td>{formatTime(l.startedAt)}</td>
              <td>{l.open ? 'ongoing' : formatTime(l.endedAt ?? undefined)}</td>
              <td>{formatDuration(l.durationSec)}</td>
              <td>{l.cause === 'impacted' ? 'upstream outage' : 'own connection'}</td>
            </tr>
          ))}
          {logs.data && logs.data.items.length === 0 && (
            <tr>
              <td colSpan={4}>No downtime in this period.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
