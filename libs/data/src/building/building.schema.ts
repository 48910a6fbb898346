import { Schema } from 'mongoose';
import type { Id } from '../database/common';

/** The site anchor: routers and devices reference it, subscribers inherit it from their station. */
export interface Building {
  _id: Id;
  name: string;
  /** Normalised name (lower case, single spaces) for case/space-insensitive uniqueness. */
  nameKey: string;
  code: string;
  address?: string;
  geo?: { lat: number; lng: number };
  notes?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export const BUILDING_MODEL = 'Building';

export function buildingNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export const BuildingSchema = new Schema<Building>(
  {
    name: { type: String, required: true, trim: true },
    nameKey: { type: String, required: true },
    code: { type: String, required: true, trim: true, uppercase: true },
    address: String,
    geo: { type: new Schema({ lat: Number, lng: Number }, { _id: false }), default: undefined },
    notes: String,
  },
  { collection: 'buildings', timestamps: true },
);
BuildingSchema.index({ nameKey: 1 }, { unique: true });
BuildingSchema.index({ code: 1 }, { unique: true });
BuildingSchema.pre('validate', function () {
  if (this.name) this.nameKey = buildingNameKey(this.name);
});
