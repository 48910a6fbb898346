/** Injection tokens of the gateway. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
/** Nest Redis-transport client used only to broadcast (topology/router changed). */
export const BROADCAST_CLIENT = Symbol('BROADCAST_CLIENT');
