// libs/routeros-testing: the RouterOS simulator and its helpers, for tests, the demo and benches.
// Import as '@isp/routeros-testing'. Never imported by production code (lint rule in eslint.config.mjs).
export * from './wire-protocol';
export * from './simulated-router';
export * from './simulated-network';
export * from './topology';
export { parseFetch, rosUrlEncode, type WebhookAttempt } from './script-runner';
export * from './control-server';
