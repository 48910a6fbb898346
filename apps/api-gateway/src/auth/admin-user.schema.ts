import { Schema, Types } from 'mongoose';
import { ROLES, type Role } from './roles';

/** A person who uses the admin API (not a subscriber, not a paging contact). */
export interface AdminUser {
  _id: Types.ObjectId;
  email: string;
  name?: string;
  /** bcrypt hash; the password itself is never stored or returned. */
  passwordHash: string;
  role: Role;
  /** Buildings a technician may edit devices in. */
  buildings: Types.ObjectId[];
  active: boolean;
  /** Raised by a password change or a deactivation: tokens issued before it stop working. */
  sessionVersion?: number;
  lastLoginAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

export const ADMIN_USER_MODEL = 'AdminUser';

export const AdminUserSchema = new Schema<AdminUser>(
  {
    email: { type: String, required: true, trim: true, lowercase: true },
    name: { type: String, trim: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    buildings: { type: [Schema.Types.ObjectId], ref: 'Building', default: [] },
    active: { type: Boolean, default: true },
    sessionVersion: { type: Number, default: 0 },
    lastLoginAt: Date,
  },
  { collection: 'adminusers', timestamps: true },
);
AdminUserSchema.index({ email: 1 }, { unique: true });
AdminUserSchema.index({ role: 1 });
