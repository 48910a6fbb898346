import { SetMetadata } from '@nestjs/common';

export const AUDIT_KEY = 'gateway:audit';

/** How a controller's writes are audited: the object type they act on and, when it has one, its Mongoose model. */
export interface AuditTarget {
  /** Object type in the trail (`subscriber`, `router`...). */
  type: string;
  /**
   * Model the object (named by the route's `:id`, or the `id` a create answers with) is read
   * through before and after the write, for an exact before/after. Without one the trail keeps
   * the answer as `after`.
   */
  model?: string;
}

/**
 * Names what a controller's (or one route's) writes act on. Every POST, PUT, PATCH and DELETE
 * is audited whether or not it says so (a controller without it gets its type from its path);
 * this only makes the entry exact.
 */
export const Audited = (type: string, model?: string) => SetMetadata(AUDIT_KEY, { type, model } satisfies AuditTarget);

/** A write route that changes nothing (a login, a feed ticket, a Live Check): kept out of the trail. */
export const NotAudited = () => SetMetadata(AUDIT_KEY, false);
