import type { Connection } from 'mongoose';
import { BuildingRepository } from '../building/building.repository';
import { ContactRepository } from '../contact/contact.repository';
import { DeviceRepository } from '../device/device.repository';
import { UserDowntimeLogRepository } from '../downtime/user-downtime-log.repository';
import { IncidentRepository } from '../incident/incident.repository';
import { NotificationRepository } from '../notification/notification.repository';
import { MikrotikRouterRepository } from '../router/mikrotik-router.repository';
import { PlanRepository } from '../plan/plan.repository';
import { MaintenanceWindowRepository } from '../maintenance/maintenance-window.repository';
import { SubscriberRepository } from '../subscriber/subscriber.repository';
import { IncidentEventRepository } from '../incident-event/incident-event.repository';
import { modelsOn } from './models';

export const REPOSITORIES = [
  BuildingRepository,
  MikrotikRouterRepository,
  DeviceRepository,
  SubscriberRepository,
  UserDowntimeLogRepository,
  IncidentRepository,
  NotificationRepository,
  ContactRepository,
  PlanRepository,
  IncidentEventRepository,
  MaintenanceWindowRepository,
];

export interface Repositories {
  buildings: BuildingRepository;
  routers: MikrotikRouterRepository;
  devices: DeviceRepository;
  subscribers: SubscriberRepository;
  downtime: UserDowntimeLogRepository;
  incidents: IncidentRepository;
  notifications: NotificationRepository;
  contacts: ContactRepository;
  plans: PlanRepository;
  incidentEvents: IncidentEventRepository;
  maintenance: MaintenanceWindowRepository;
}

/** Repositories on a bare connection, for command-line tools and tests that run without Nest. */
export function repositoriesOn(conn: Connection): Repositories {
  const m = modelsOn(conn);
  return {
    buildings: new BuildingRepository(m.building),
    routers: new MikrotikRouterRepository(m.router, m.routerDrift),
    devices: new DeviceRepository(m.device),
    subscribers: new SubscriberRepository(m.subscriber),
    downtime: new UserDowntimeLogRepository(m.downtime),
    incidents: new IncidentRepository(m.incident),
    notifications: new NotificationRepository(m.notification),
    contacts: new ContactRepository(m.contact),
    plans: new PlanRepository(m.plan),
    incidentEvents: new IncidentEventRepository(m.incidentEvent),
    maintenance: new MaintenanceWindowRepository(m.maintenance),
  };
}
