import type { Connection, Model, Schema } from 'mongoose';
import { BUILDING_MODEL, BuildingSchema, type Building } from '../building/building.schema';
import { CONTACT_MODEL, ContactSchema, type Contact } from '../contact/contact.schema';
import { DEVICE_MODEL, DeviceSchema, type Device } from '../device/device.schema';
import { USER_DOWNTIME_LOG_MODEL, UserDowntimeLogSchema, type UserDowntimeLog } from '../downtime/user-downtime-log.schema';
import { INCIDENT_MODEL, IncidentSchema, type Incident } from '../incident/incident.schema';
import { NOTIFICATION_MODEL, NotificationSchema, type Notification } from '../notification/notification.schema';
import { MIKROTIK_ROUTER_MODEL, MikrotikRouterSchema, type MikrotikRouter } from '../router/mikrotik-router.schema';
import { ROUTER_DRIFT_MODEL, RouterDriftSchema, type RouterDrift } from '../router/router-drift.schema';
import { PLAN_MODEL, PlanSchema, type Plan } from '../plan/plan.schema';
import { INCIDENT_EVENT_MODEL, IncidentEventSchema, type IncidentEvent } from '../incident-event/incident-event.schema';
import { MAINTENANCE_WINDOW_MODEL, MaintenanceWindowSchema, type MaintenanceWindow } from '../maintenance/maintenance-window.schema';
import { SUBSCRIBER_MODEL, SubscriberSchema, type Subscriber } from '../subscriber/subscriber.schema';

export const DOMAIN_MODELS: { name: string; schema: Schema }[] = [
  { name: BUILDING_MODEL, schema: BuildingSchema },
  { name: MIKROTIK_ROUTER_MODEL, schema: MikrotikRouterSchema },
  { name: ROUTER_DRIFT_MODEL, schema: RouterDriftSchema },
  { name: DEVICE_MODEL, schema: DeviceSchema },
  { name: SUBSCRIBER_MODEL, schema: SubscriberSchema },
  { name: USER_DOWNTIME_LOG_MODEL, schema: UserDowntimeLogSchema },
  { name: INCIDENT_MODEL, schema: IncidentSchema },
  { name: NOTIFICATION_MODEL, schema: NotificationSchema },
  { name: CONTACT_MODEL, schema: ContactSchema },
  { name: PLAN_MODEL, schema: PlanSchema },
  { name: INCIDENT_EVENT_MODEL, schema: IncidentEventSchema },
  { name: MAINTENANCE_WINDOW_MODEL, schema: MaintenanceWindowSchema },
];

export interface DomainModels {
  building: Model<Building>;
  router: Model<MikrotikRouter>;
  routerDrift: Model<RouterDrift>;
  device: Model<Device>;
  subscriber: Model<Subscriber>;
  downtime: Model<UserDowntimeLog>;
  incident: Model<Incident>;
  notification: Model<Notification>;
  contact: Model<Contact>;
  plan: Model<Plan>;
  incidentEvent: Model<IncidentEvent>;
  maintenance: Model<MaintenanceWindow>;
}

/** Models on a bare connection, for command-line tools that run without Nest. */
export function modelsOn(conn: Connection): DomainModels {
  const m = <T>(name: string, schema: Schema) => (conn.models[name] as Model<T>) ?? conn.model<T>(name, schema as Schema<T>);
  return {
    building: m<Building>(BUILDING_MODEL, BuildingSchema),
    router: m<MikrotikRouter>(MIKROTIK_ROUTER_MODEL, MikrotikRouterSchema),
    routerDrift: m<RouterDrift>(ROUTER_DRIFT_MODEL, RouterDriftSchema),
    device: m<Device>(DEVICE_MODEL, DeviceSchema),
    subscriber: m<Subscriber>(SUBSCRIBER_MODEL, SubscriberSchema),
    downtime: m<UserDowntimeLog>(USER_DOWNTIME_LOG_MODEL, UserDowntimeLogSchema),
    incident: m<Incident>(INCIDENT_MODEL, IncidentSchema),
    notification: m<Notification>(NOTIFICATION_MODEL, NotificationSchema),
    contact: m<Contact>(CONTACT_MODEL, ContactSchema),
    plan: m<Plan>(PLAN_MODEL, PlanSchema),
    incidentEvent: m<IncidentEvent>(INCIDENT_EVENT_MODEL, IncidentEventSchema),
    maintenance: m<MaintenanceWindow>(MAINTENANCE_WINDOW_MODEL, MaintenanceWindowSchema),
  };
}

/** Creates the indexes the schemas declare (FerretDB and MongoDB alike). */
export async function ensureIndexes(models: DomainModels): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) await model.createIndexes();
}
