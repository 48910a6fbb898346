// Testing entry point of libs/routeros: the RouterOS simulator and its helpers.
// Import as '@isp/routeros/testing'. Not for production code paths.
export * from './wire-protocol';
export * from './simulated-router';
export * from './simulated-network';
export * from './topology';
export { parseFetch, rosUrlEncode, type WebhookAttempt } from './script-runner';
export * from './control-server';
