/** How far a long job (the legacy migration, a topology load) has got: records of a stage done out of its total. */
export interface Progress {
  stage: string;
  done: number;
  total: number;
}
export type OnProgress = (p: Progress) => void;

/** "subscribers: 1200/5000 (24%)" */
export function formatProgress(p: Progress): string {
  const pct = p.total ? Math.floor((p.done / p.total) * 100) : 100;
  return `${p.stage}: ${p.done}/${p.total} (${pct}%)`;
}

/** Calls `onProgress` every `every` records and at the last one, so a big stage prints a line now and then, not per record. */
export function progressEvery(stage: string, total: number, onProgress: OnProgress | undefined, every = 500): (done: number) => void {
  return (done) => {
    if (onProgress && (done === total || done % every === 0)) onProgress({ stage, done, total });
  };
}
