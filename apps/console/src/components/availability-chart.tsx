import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Availability per bucket as a uPlot line (x: bucket start in seconds, y: percent). */
export function AvailabilityChart({ data, label }: { data: [number[], (number | null)[]]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 220,
        scales: { y: { range: (_u, min) => [Math.min(min ?? 100, 99) - 1, 100.5] } },
        axes: [{}, { label: '%', values: (_u, ticks) => ticks.map((t) => `${t.toFixed(1)}`) }],
        series: [{}, { label, stroke: '#1f6feb', width: 2, points: { show: true, size: 6 }, value: (_u, v) => (v === null ? '—' : `${v.toFixed(3)} %`) }],
      },
      data as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [data, label]);
  return <div ref={host} className="chart" role="img" aria-label={`${label}: availability per period, listed in the table below`} />;
}
