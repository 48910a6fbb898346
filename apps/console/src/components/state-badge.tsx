import type { StateLabel } from '../lib/state-labels';
import { incidentStateLabel, stateLabel, syncLabel } from '../lib/state-labels';

export function Badge({ label, testId }: { label: StateLabel; testId?: string }) {
  return (
    <span className={`badge tone-${label.tone}`} title={label.description} data-testid={testId}>
      <span aria-hidden="true">{label.glyph}</span> {label.text}
    </span>
  );
}

export const StateBadge = ({ state, testId }: { state: string | undefined; testId?: string }) => <Badge label={stateLabel(state)} testId={testId} />;
export const IncidentBadge = ({ state }: { state: string }) => <Badge label={incidentStateLabel(state)} />;
export const SyncBadge = ({ status, inSync, testId }: { status: string; inSync?: boolean; testId?: string }) => <Badge label={syncLabel(status, inSync)} testId={testId} />;

export function ErrorNote({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}
