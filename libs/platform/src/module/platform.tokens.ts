/** Injection tokens the platform module provides. */
export const PLATFORM_REDIS = Symbol('PLATFORM_REDIS');
export const SECRET_BOX = Symbol('SECRET_BOX');
