// MongoDB data access: schemas, repositories, the model registry, and the two importers (topology
// file, legacy migration). Depends on @isp/domain only.
export * from './database/common';
export * from './database/models';
export * from './database/repositories';
export * from './building/building.schema';
export * from './building/building.repository';
export * from './router/mikrotik-router.schema';
export * from './router/mikrotik-router.repository';
export * from './device/device.schema';
export * from './device/device.repository';
export * from './subscriber/subscriber.schema';
export * from './subscriber/subscriber.repository';
export * from './downtime/user-downtime-log.schema';
export * from './downtime/user-downtime-log.repository';
export * from './incident/incident.schema';
export * from './incident/incident.repository';
export * from './notification/notification.schema';
export * from './notification/notification.repository';
export * from './contact/contact.schema';
export * from './contact/contact.repository';
export * from './plan/plan.schema';
export * from './plan/plan.repository';
export * from './topology-file/topology-file.loader';
export * from './topology-file/topology-file.repository';
export * from './migration/legacy-migration';
export * from './database/bulk-chunks';
export * from './secrets/secret-rotation';
