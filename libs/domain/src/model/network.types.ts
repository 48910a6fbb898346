/** Kinds of equipment and service the topology knows. */
export type RouterRole = 'core' | 'edge';
export const ROUTER_ROLES: readonly RouterRole[] = ['core', 'edge'];
export type DeviceType = 'sector' | 'backhaul' | 'station' | 'switch' | 'other';
export const DEVICE_TYPES: readonly DeviceType[] = ['sector', 'backhaul', 'station', 'switch', 'other'];
export type ServiceType = 'pppoe' | 'static' | 'dhcp';
export const SERVICE_TYPES: readonly ServiceType[] = ['pppoe', 'static', 'dhcp'];
