// Public API of libs/routeros. The simulator is its own library, '@isp/routeros-testing'.
export * from './errors/router-errors';
// RosConnection itself stays internal: nothing outside the pool opens a connection.
export type { RosRow } from './client/ros-connection';
export * from './pool/router-connection-pool';
export * from './pool/pool-metrics';
export * from './pool/router-limiter';
export * from './pool/router-tls';
export * from './pool/router-endpoint';
export * from './commands/duration';
export * from './commands/ros-menu';
export * from './commands/command-types';
export * from './commands/router-commands';
export * from './snitch/snitch-script.generator';
// Nest wiring is separate so the core has no Nest dependency: import RouterOsModule from '@isp/routeros/routeros.module'.
