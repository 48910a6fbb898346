import type { IncidentLevel, IncidentState, RootCauseKind } from '../model/incident.types';
import type { NotificationKind } from '../model/notification.types';
import { NODE_STATES, type NodeState } from '../node-state';
import type { IncidentChange } from '../queues/job-catalogue';

/**
 * The dashboard feed: Redis pub/sub the gateway streams as server-sent events (`GET
 * /api/v1/feed`, event name = message type). Each message type has one publisher
 * (docs/decisions.md, "One owner per feed message"), and all of them publish through the
 * platform's FeedPublisher.
 */
export const FEED_MESSAGE_TYPES = ['incident', 'node-state', 'subscriber-state', 'notification'] as const;
export type FeedMessageType = (typeof FEED_MESSAGE_TYPES)[number];

export interface FeedRootCause {
  kind: RootCauseKind;
  id: string;
  name: string;
  /** router role or device type ("core", "sector", "station"...), or "subscriber" */
  type: string;
}

/** An incident changed (diagnostics, as it records the change): the facts of that revision. */
export interface IncidentFeedData {
  change: IncidentChange;
  incidentId: string;
  revision: number;
  level: IncidentLevel;
  state: IncidentState;
  rootCause: FeedRootCause;
  buildingName?: string;
  impactedDevices: number;
  impactedSubscribers: number;
}

/** A router or device went DOWN or came back (diagnostics). */
export interface NodeStateFeedData {
  kind: RootCauseKind;
  id: string;
  name: string;
  state: NodeState;
  /** the incident rooted at the node, when there is one */
  incidentId?: string;
  /** nodes below it unreachable because of it (DOWN only) */
  impacted?: number;
  /** it started or stopped flapping (diagnostics' one notice per flapping period; `state` is its state then) */
  flapping?: 'started' | 'ended';
}

/** A single subscriber's own session went down or came back (notifier, Level 1: dashboard only). */
export interface SubscriberStateFeedData {
  userId: string;
  state: NodeState;
}

/** A notification the routing rules sent to the dashboard (notifier's dashboard channel). */
export interface NotificationFeedData {
  notificationId: string;
  incidentId?: string;
  kind?: NotificationKind;
  /** the message as rendered for chat */
  text: string;
  priority: 'high' | 'normal';
  /** the incident as it stood when the notification was delivered */
  level?: number;
  state?: IncidentState;
  building?: string | null;
  buildingName?: string | null;
  rootCause?: FeedRootCause;
  impactedDevices?: number;
  impactedSubscribers?: number;
  openedAt?: string;
  resolvedAt?: string | null;
  /** The incident is inside a maintenance window (nobody paged; the feed still shows it). */
  inMaintenance?: boolean;
}

export interface FeedPayloads {
  incident: IncidentFeedData;
  'node-state': NodeStateFeedData;
  'subscriber-state': SubscriberStateFeedData;
  notification: NotificationFeedData;
}

export type FeedMessage<T extends FeedMessageType> = { type: T; at: string; data: FeedPayloads[T] };
/** One message on the feed: `type` tells which payload `data` is. */
export type DashboardFeedMessage = { [T in FeedMessageType]: FeedMessage<T> }[FeedMessageType];

/** The feed's pub/sub channel: under QUEUE_PREFIX, so deployments sharing one Redis keep their feeds apart. */
export function dashboardFeedChannel(prefix: string): string {
  return `${prefix}:dashboard-feed`;
}

/**
 * A feed message read off the channel, or null when it is not one (not JSON, unknown type, no
 * data). The publishers are typed; this guards the reader against anything else on the channel.
 */
export function parseFeedMessage(raw: string): DashboardFeedMessage | null {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object') return null;
  const { type, at, data } = m as Record<string, unknown>;
  if (!(FEED_MESSAGE_TYPES as readonly unknown[]).includes(type) || typeof at !== 'string' || !data || typeof data !== 'object') return null;
  if ((type === 'subscriber-state' || type === 'node-state') && !NODE_STATES.includes((data as { state?: NodeState }).state as NodeState)) return null;
  return m as DashboardFeedMessage;
}
