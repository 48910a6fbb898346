// libs/routeros-testing: the RouterOS simulator and its helpers, for tests, the demo and benches.
// Import as '@isp/routeros-testing'. Never imported by production code (lint rule in eslint.config.mjs).
export * from './wire-protocol';
export * from './simulated-router';
export * from './simulated-network';
export * from './topology';
export { matchesQuery } from './query-engine';
export type { SimDevice } from './network-model';
export type { Subscriber } from './subscriber-sessions';
export type { CommandFault, HookKind, WebhookDrop } from './faults';
export type { ScriptFailure } from './script-host';
export { parseRouterVersion, type RouterVersion, type Hardware } from './router-version';
export { parseFetch, rosUrlEncode, type WebhookAttempt } from './script-runner';
export * from './control-server';
export * from './webhook-sink';
