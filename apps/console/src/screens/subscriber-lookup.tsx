import { useState, type FormEvent } from 'react';
import { useApp, useLoad } from '../app-context';
import type { Page, Subscriber } from '../api/types';
import { ErrorNote, StateBadge, SyncBadge } from '../components/state-badge';
import { href } from '../lib/route';

/**
 * One lookup box: a username prefix, a MAC in any notation or an IPv4 address (the API's `q`
 * reads which; a customer on the phone reads out whichever they have to hand).
 */
export function SubscriberLookup({ q }: { q?: string }) {
  const { api } = useApp();
  const [text, setText] = useState(q ?? '');
  const results = useLoad(
    () => (q ? api.get<Page<Subscriber>>(`/subscribers?${new URLSearchParams({ q, limit: '50' })}`) : Promise.resolve(undefined)),
    q ?? '',
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    location.hash = href({ screen: 'subscribers', q: text.trim() || undefined });
  };
  return (
    <section aria-labelledby="lookup-title">
      <h1 id="lookup-title">Subscribers</h1>
      <form onSubmit={submit} role="search" className="filters">
        <label>
          Username (or its beginning), MAC or IP address
          <input type="search" name="q" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={results.error} />
      {results.data && (
        <>
          <p className="muted" aria-live="polite">
            {results.data.total} match{results.data.total === 1 ? '' : 'es'}
          </p>
          <ul className="results" data-testid="subscriber-results">
            {results.data.items.map((s) => (
              <li key={s.id}>
                <a href={href({ screen: 'subscriber', id: s.id })}>{s.username}</a> <StateBadge state={s.state} /> {s.isSuspended && <span className="badge tone-warn">SUSPENDED</span>}{' '}
                <SyncBadge status={s.sync.syncStatus} inSync={s.sync.inSync} /> {s.currentAddress && <span className="muted mono">{s.currentAddress}</span>}{' '}
                {s.macAddress && <span className="muted mono">{s.macAddress}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
