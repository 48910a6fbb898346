import { useState } from 'react';
import { useApp } from '../app-context';
import type { LiveCheckResult } from '../api/types';
import { formatRtt } from '../lib/format';
import { ErrorNote, StateBadge } from './state-badge';

/**
 * Live Check: probes root to leaf now (POST /live-check) and lists every hop in order, so the
 * first hop that is not UP is where to look. The API answers with all hops at once, after the
 * last probe; the list is announced to screen readers when it arrives.
 */
export function LiveCheck({ kind, id, name }: { kind: 'router' | 'device' | 'subscriber'; id: string; name: string }) {
  const { api } = useApp();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<LiveCheckResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setResult(await api.post<LiveCheckResult>('/live-check', { kind, id }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="live-check">
      <button type="button" className="secondary" onClick={() => void run()} disabled={running} aria-label={`Live Check ${name}`}>
        {running ? 'Checking…' : 'Live Check'}
      </button>
      <div aria-live="polite">
        {running && <span className="muted"> probing from the core router…</span>}
        <ErrorNote error={error} />
        {result && !running && (
          <ol className="hops" data-testid={`live-check-${id}`}>
            {result.hops.map((h, i) => (
              <li key={`${h.id}-${i}`} data-testid="hop">
                <StateBadge state={h.state} /> <span className="hop-kind">{h.kind}</span> <strong>{h.name}</strong> {formatRtt(h.rttMs)}
                {h.detail && <span className="muted"> — {h.detail}</span>}
              </li>
            ))}
            <li className="muted summary">
              {result.summary} ({result.durationMs} ms)
            </li>
          </ol>
        )}
      </div>
    </div>
  );
}
