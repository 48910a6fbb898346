import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { toId, type Id } from '../database/common';
import type { Incident } from '../incident/incident.schema';
import { INCIDENT_EVENT_MODEL, type IncidentEvent } from './incident-event.schema';

export type NewIncidentEvent = Omit<IncidentEvent, '_id' | 'incident' | 'key' | 'createdAt' | 'at'> & { incident: string | Id; key: string; at?: Date };

/** Most events one timeline shows: an incident flapping for days must not load without bound. */
export const TIMELINE_EVENTS_MAX = 1000;

@Injectable()
export class IncidentEventRepository {
  constructor(@InjectModel(INCIDENT_EVENT_MODEL) private readonly model: Model<IncidentEvent>) {}

  /** Appends once: a second write with the same key (a retried job) is a no-op. */
  async append(e: NewIncidentEvent): Promise<void> {
    try {
      await this.model.create({ ...e, incident: toId(e.incident), at: e.at ?? new Date() });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }

  /** An incident's events, oldest first. */
  forIncident(incident: string | Id, limit = TIMELINE_EVENTS_MAX): Promise<IncidentEvent[]> {
    return this.model.find({ incident: toId(incident) }).sort({ at: 1, _id: 1 }).limit(limit).lean<IncidentEvent[]>().exec();
  }
}

/** The impact figures an event keeps of an incident. */
export function impactOfIncident(i: Pick<Incident, 'impactedDevices' | 'impactedStations' | 'impactedSubscribers'>): IncidentEvent['impact'] {
  return { devices: i.impactedDevices ?? 0, stations: i.impactedStations ?? 0, subscribers: i.impactedSubscribers ?? 0 };
}
