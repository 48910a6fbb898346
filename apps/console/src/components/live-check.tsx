import { useEffect, useRef, useState } from 'react';
import { useApp } from '../app-context';
import type { EvidenceHop, LiveCheckProgress, LiveCheckResult } from '../api/types';
import { formatRtt } from '../lib/format';
import { liveCheckStreamUrl, placeHop, type HopSlots } from '../lib/live-check';
import { ErrorNote, StateBadge } from './state-badge';

function Hop({ h }: { h: EvidenceHop }) {
  return (
    <li data-testid="hop">
      <StateBadge state={h.state} /> <span className="hop-kind">{h.kind}</span> <strong>{h.name}</strong> {formatRtt(h.rttMs)}
      {h.detail && <span className="muted"> — {h.detail}</span>}
    </li>
  );
}

/**
 * Live Check: probes root to leaf now and lists every hop in order, so the first hop that is not
 * UP is where to look. Hops arrive one by one over the streamed Live Check (an EventSource opened
 * with a single-use ticket, as the feed is), each in its place as its probe answers; the final
 * result then replaces them (it may turn hops below a DOWN one IMPACTED) with the summary.
 */
export function LiveCheck({ kind, id, name }: { kind: 'router' | 'device' | 'subscriber'; id: string; name: string }) {
  const { api } = useApp();
  const [running, setRunning] = useState(false);
  const [slots, setSlots] = useState<HopSlots>([]);
  const [result, setResult] = useState<LiveCheckResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const source = useRef<EventSource | undefined>(undefined);
  useEffect(() => () => source.current?.close(), []);

  const finish = (err?: string) => {
    source.current?.close();
    source.current = undefined;
    if (err) setError(err);
    setRunning(false);
  };
  const run = async () => {
    source.current?.close();
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    setSlots([]);
    let ticket: string;
    try {
      ticket = (await api.post<{ ticket: string }>('/feed/ticket')).ticket;
    } catch (e) {
      return finish((e as Error).message);
    }
    const es = new EventSource(liveCheckStreamUrl(kind, id, ticket));
    source.current = es;
    const read = <T,>(ev: Event): T | undefined => {
      try {
        return JSON.parse((ev as MessageEvent).data as string) as T;
      } catch {
        return undefined;
      }
    };
    es.addEventListener('hop', (ev) => {
      const p = read<LiveCheckProgress>(ev);
      if (p) setSlots((s) => placeHop(s, p));
    });
    es.addEventListener('result', (ev) => {
      setResult(read<LiveCheckResult>(ev));
      finish();
    });
    es.addEventListener('failed', (ev) => finish(read<{ message: string }>(ev)?.message ?? 'Live Check failed'));
    // The stream is closed above once it has its answer; an error before that means it broke off.
    es.onerror = () => finish('Live Check: the stream broke off (try again)');
  };

  const hops = result ? result.hops : slots;
  return (
    <div className="live-check">
      <button type="button" className="secondary" onClick={() => void run()} disabled={running} aria-label={`Live Check ${name}`}>
        {running ? 'Checking…' : 'Live Check'}
      </button>
      <div aria-live="polite">
        {running && !slots.length && <span className="muted"> probing from the core router…</span>}
        <ErrorNote error={error} />
        {(result || slots.length > 0) && (
          <ol className="hops" data-testid={`live-check-${id}`} data-complete={result ? 'true' : 'false'}>
            {hops.map((h, i) =>
              h ? (
                <Hop key={`${h.id}-${i}`} h={h} />
              ) : (
                <li key={`pending-${i}`} data-testid="hop-pending" className="muted">
                  hop {i + 1}: {running ? 'waiting for its answer…' : 'no answer'}
                </li>
              ),
            )}
            {result && (
              <li className="muted summary">
                {result.summary} ({result.durationMs} ms)
              </li>
            )}
          </ol>
        )}
      </div>
    </div>
  );
}
