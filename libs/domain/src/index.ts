// The language of the system: pure types and logic. No Nest, Mongoose, BullMQ, ioredis or MongoDB
// driver imports here (checked by test/architecture), so the tree-walk and the routing rules load
// and test on their own.
export * from './node-state';
export * from './errors/domain-errors';
export * from './model/incident.types';
export * from './model/notification.types';
export * from './model/network.types';
export * from './model/contact.types';
export * from './model/time-zone';
export * from './model/mac-address';
export * from './model/script-safe-name';
export * from './util/with-timeout';
export * from './crypto/secret-box';
export * from './crypto/webhook-token';
export * from './crypto/ack-link';
export * from './cache/negative-cache';
export * from './events/webhook-events';
export * from './events/broadcasts';
export * from './events/dashboard-feed';
export * from './events/presence-reconcile';
export * from './queues/queue-names';
export * from './queues/job-catalogue';
export * from './queues/job-deadline';
export * from './topology-file/topology-file.types';
export * from './topology-file/topology-file.validator';
export * from './migration/legacy-location';
export * from './routing';
export * from './topology';
export * from './flapping/flap-detection';
export * from './maintenance/maintenance-window';
