/**
 * Queue names. WARNING: renaming a queue strands the jobs already waiting in Redis under the
 * old name; add the new one, drain the old, then remove it. `MikroTik-Sync` is the name the
 * previous system used and is kept on purpose.
 */
export const QueueName = {
  MONITORING: 'monitoring-queue',
  NOTIFICATION: 'notification-queue',
  SYNC: 'MikroTik-Sync',
  LIVE_CHECK: 'live-check',
  /** Upkeep of the stored data (retention), worked by the api-gateway. */
  HOUSEKEEPING: 'housekeeping',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
