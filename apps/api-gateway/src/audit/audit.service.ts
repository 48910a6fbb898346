import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Connection, type Model } from 'mongoose';
import type { Page } from '../common/pagination.dto';
import { secretPathsOf, type SchemaPaths } from './audit-mask';
import { AUDIT_ENTRY_MODEL, type AuditEntry } from './audit-entry.schema';

export interface AuditFilter {
  actor?: string;
  objectType?: string;
  objectId?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
  limit: number;
  skip: number;
}

/** The audit trail: appended to by the interceptor, read by GET /api/v1/audit. No update, no delete (retention aside). */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly secretPaths = new Map<string, Set<string>>();

  constructor(
    @InjectModel(AUDIT_ENTRY_MODEL) private readonly entries: Model<AuditEntry>,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  /**
   * The stored document an entry's before/after is read from, as the store has it (secrets
   * included: they are masked when the entry is built). Null when there is none (yet).
   */
  async load(model: string, id: string | null | undefined): Promise<Record<string, unknown> | null> {
    if (!id || !isValidObjectId(id)) return null;
    return this.connection.model(model).findById(id).lean<Record<string, unknown>>().exec();
  }

  /** Paths the model's schema marks `secret: true`. */
  secretPathsOf(model: string): Set<string> {
    let paths = this.secretPaths.get(model);
    if (!paths) this.secretPaths.set(model, (paths = secretPathsOf(this.connection.model(model).schema as unknown as SchemaPaths)));
    return paths;
  }

  /**
   * Appends one entry. The change it records has already happened, so a failed write is logged
   * (without the entry's contents) rather than turned into an error answer: the client would
   * otherwise retry a change that was made.
   */
  async append(entry: Omit<AuditEntry, '_id'>): Promise<void> {
    try {
      await this.entries.create(entry);
    } catch (err) {
      this.logger.error({ err, route: entry.route, objectType: entry.objectType, objectId: entry.objectId, actor: entry.actor.id }, 'audit entry not written');
    }
  }

  async list(f: AuditFilter): Promise<Page<AuditEntry>> {
    const q: Record<string, unknown> = {};
    if (f.actor) q['actor.id'] = f.actor;
    if (f.objectType) q.objectType = f.objectType;
    if (f.objectId) q.objectId = f.objectId;
    if (f.outcome) q.outcome = f.outcome;
    if (f.from || f.to) q.at = { ...(f.from && { $gte: f.from }), ...(f.to && { $lte: f.to }) };
    const [items, total] = await Promise.all([
      this.entries.find(q).sort({ at: -1, _id: -1 }).skip(f.skip).limit(f.limit).lean<AuditEntry[]>().exec(),
      this.entries.countDocuments(q).exec(),
    ]);
    return { items, total, limit: f.limit, skip: f.skip };
  }
}
