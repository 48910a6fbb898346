export type ContactLevel = 1 | 2 | 3;

/** Optional on-duty window of a contact: local "HH:MM" times and ISO weekdays (1 = Monday). */
export interface OnDutyWindow {
  from: string;
  to: string;
  days?: number[];
  timezone?: string;
}
