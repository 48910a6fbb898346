import { WEBHOOK_KINDS, type WebhookKind } from '../events/webhook-events';

/**
 * Whether a router's monitoring can be believed: a push-based monitor fails quietly (a router
 * whose scripts never fire looks healthy), so the coverage report says per router what is known
 * to report and what is not. Pure: the gateway gathers the facts, this decides.
 */
export type CoverageVerdict = 'covered' | 'degraded' | 'silent';

/**
 * Root-cause type of the notice that a router went silent: no webhook and no API answer for
 * ROUTER_SILENT_AFTER_MS. Routed like monitoring-degraded (network admins, normal priority).
 */
export const ROUTER_SILENT = 'router-silent';

/** Incident types that are notices about monitoring, not outages: never merged into, nor re-rooted as, one. */
export const MONITORING_NOTICE_TYPES: readonly string[] = ['monitoring-degraded', ROUTER_SILENT];

export function isMonitoringNotice(type: string | undefined): boolean {
  return type !== undefined && MONITORING_NOTICE_TYPES.includes(type);
}

/** Redis hash of the last webhook received per kind (field: kind, value: epoch ms), per router. */
export function lastWebhookKey(queuePrefix: string, routerId: string): string {
  return `${queuePrefix}:coverage:webhooks:${routerId}`;
}

export interface SilenceInput {
  now: number;
  /** the latest webhook of any kind (epoch ms) */
  lastWebhookAt?: number;
  /** the latest time the router's API answered: heartbeat or a router pass (epoch ms) */
  lastAnsweredAt?: number;
  /** when the router was registered: a router just added is not silent yet */
  createdAt?: number;
  silentAfterMs: number;
}

/** No webhook and no API answer for `silentAfterMs` (counted from registration when it never spoke). */
export function isSilent(i: SilenceInput): boolean {
  const last = Math.max(i.lastWebhookAt ?? -Infinity, i.lastAnsweredAt ?? -Infinity, i.createdAt ?? -Infinity);
  return last === -Infinity || i.now - last >= i.silentAfterMs;
}

export interface CoverageFacts extends SilenceInput {
  hasWebhookToken: boolean;
  /** the router's own report of its version (unset: only a typed hint or nothing) */
  rosVersionObservedAt?: number;
  /** the last router pass that read every snitch script of this router */
  scriptsVerifiedAt?: number;
  /** snitch entries the last pass found missing on a router it had verified before (rewritten) */
  scriptsMissing: string[];
  /** script fields the last pass could not make ours (another deployment's) */
  scriptConflicts: string[];
  devicesWithoutNetwatch: number;
  subscribersWithoutStatusSource: number;
  namesRefused: number;
}

export interface CoverageJudgement {
  verdict: CoverageVerdict;
  reasons: string[];
}

/** Silent beats degraded: a router that says nothing at all is the worst case, whatever else is wrong. */
export function judgeCoverage(f: CoverageFacts): CoverageJudgement {
  const reasons: string[] = [];
  if (isSilent(f)) {
    reasons.push(`no webhook and no API answer for ${Math.round(f.silentAfterMs / 1000)} s`);
    return { verdict: 'silent', reasons };
  }
  if (!f.hasWebhookToken) reasons.push('no webhook token: the snitch scripts cannot be installed');
  else if (f.scriptsVerifiedAt === undefined) reasons.push('snitch scripts never verified by a router pass');
  if (f.rosVersionObservedAt === undefined) reasons.push('RouterOS version not yet reported by the router: the script dialect is a guess');
  if (f.scriptsMissing.length) reasons.push(`the last pass found ${f.scriptsMissing.length} snitch script(s) missing and rewrote them: ${f.scriptsMissing.slice(0, 5).join('; ')}`);
  if (f.scriptConflicts.length) reasons.push(`${f.scriptConflicts.length} script field(s) not ours to write: ${f.scriptConflicts.slice(0, 5).join('; ')}`);
  if (f.devicesWithoutNetwatch) reasons.push(`${f.devicesWithoutNetwatch} device(s) without a Netwatch entry`);
  if (f.subscribersWithoutStatusSource) reasons.push(`${f.subscribersWithoutStatusSource} subscriber(s) without a status source`);
  if (f.namesRefused) reasons.push(`${f.namesRefused} name(s) with control characters: their events are refused by ingest`);
  return { verdict: reasons.length ? 'degraded' : 'covered', reasons };
}

/** Parses the Redis hash of `lastWebhookKey` into kind -> Date (unknown fields ignored). */
export function lastWebhooksFrom(hash: Record<string, string>): Partial<Record<WebhookKind, Date>> {
  const out: Partial<Record<WebhookKind, Date>> = {};
  for (const kind of WEBHOOK_KINDS) {
    const ms = Number(hash[kind]);
    if (hash[kind] && Number.isFinite(ms)) out[kind] = new Date(ms);
  }
  return out;
}
