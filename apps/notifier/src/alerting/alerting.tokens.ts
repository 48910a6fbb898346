/** Injection tokens of the alerting feature. */
export const ROUTING_RULES = Symbol('ROUTING_RULES');
export const MESSAGE_TEMPLATES = Symbol('MESSAGE_TEMPLATES');
