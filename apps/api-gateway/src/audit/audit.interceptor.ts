import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, Observable, switchMap, throwError } from 'rxjs';
import type { AuthRequest } from '../auth/auth.guard';
import { toErrorBody } from '../common/http-error.filter';
import { diffDocuments, maskSecrets, maskString, type MaskOptions } from './audit-mask';
import type { AuditActor, AuditEntry } from './audit-entry.schema';
import { AUDIT_KEY, type AuditTarget } from './audited.decorator';
import { AuditService } from './audit.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_ID = 100;

type Req = FastifyRequest & AuthRequest & { params?: Record<string, string>; auditActor?: AuditActor; auditObjectId?: string };

const ANONYMOUS: AuditActor = { id: 'anonymous', name: 'anonymous', email: '', role: 'none' };

/**
 * Who acts: the verified principal; on a public write route (one that works without signing in,
 * such as a signed single-use link) whoever the route put in `req.auditActor` once it verified
 * the link. Read after the handler, which is where such a route sets it.
 */
function actorOf(req: Req): AuditActor | undefined {
  const p = req.principal;
  if (p) return { id: p.sub, name: p.name || p.email, email: p.email, role: p.role };
  return req.auditActor;
}

/** `/api/v1/maintenance/:id/end` -> `maintenance`: the type of a controller that names none. */
export function typeFromRoute(route: string): string {
  const parts = route.split('/').filter(Boolean);
  const at = parts[0] === 'api' && /^v\d+$/.test(parts[1] ?? '') ? 2 : 0;
  return parts[at] ?? 'unknown';
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { id?: unknown; _id?: unknown };
  const id = v.id ?? v._id;
  return id === undefined || id === null ? undefined : String(id);
}

/**
 * The audit trail's one writer (README "Audit trail"). Global, so every write route of every
 * controller, present or future, is recorded: who (the verified principal), when, from where
 * (the client address Fastify reads through TRUSTED_PROXIES), the route, the outcome and, with
 * the controller's @Audited model, the object read by id just before and just after the handler
 * (docs/decisions.md says why here rather than in each service). Runs after the auth guard, so
 * unauthenticated and role-refused calls never reach it; everything after (validation, scope,
 * not found, conflicts, 5xx) is recorded as a failure. Public write routes are recorded too
 * (login, which changes nothing, opts out with @NotAudited): their changes always, as
 * `anonymous` unless the route names who acted, their failures only when it does (a stranger's
 * bad link is no more an audit entry than a bad token).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Req>();
    const meta = this.reflector.getAllAndOverride<AuditTarget | false | undefined>(AUDIT_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!WRITES.has(req.method) || meta === false) return next.handle();
    const route = req.routeOptions?.url ?? 'unknown';
    const target: AuditTarget = meta ?? { type: typeFromRoute(route) };
    const paramId = req.params?.id;
    const mask: MaskOptions = target.model ? { secretPaths: this.audit.secretPathsOf(target.model) } : {};
    const base = {
      clientIp: req.ip,
      requestId: req.id === undefined ? undefined : String(req.id),
      method: req.method,
      route,
      action: ctx.getHandler().name,
      objectType: target.type,
      request: maskSecrets(req.body ?? null, mask),
    };
    const before$ = from(target.model ? this.audit.load(target.model, paramId) : Promise.resolve(null));
    return before$.pipe(
      switchMap((before) =>
        next.handle().pipe(
          // The handler failed: nothing changed. Recorded when someone verified tried it.
          catchError((err: unknown) => {
            const actor = actorOf(req);
            if (!actor) return throwError(() => err);
            const { statusCode, message } = toErrorBody(err);
            const failed = this.entry(base, actor, paramId, { status: statusCode, outcome: 'failure', error: maskString(message), changed: [], before: null, after: null });
            return from(this.audit.append(failed)).pipe(mergeMap(() => throwError(() => err)));
          }),
          // The change is made: it is recorded whatever happens next, and answered.
          mergeMap(async (result) => {
            // A route without `:id` may name its object (a signed link answering with a page).
            const objectId = paramId ?? req.auditObjectId ?? idOf(result);
            const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined) ?? (req.method === 'POST' ? 201 : 200);
            const actor = actorOf(req) ?? ANONYMOUS;
            try {
              const after = target.model ? await this.audit.load(target.model, objectId) : maskSecrets(result ?? null, mask);
              const change = target.model ? diffDocuments(before, after, mask) : { changed: [], before: null, after: after as Record<string, unknown> | null };
              await this.audit.append(this.entry(base, actor, objectId, { status, outcome: 'success', ...change }));
            } catch {
              // The object could not be read back (the store went away): the change is still on record.
              await this.audit.append(this.entry(base, actor, objectId, { status, outcome: 'success', error: 'the object could not be read after the change', changed: [], before: null, after: null }));
            }
            return result;
          }),
        ),
      ),
    );
  }

  private entry(base: Omit<AuditEntry, '_id' | 'at' | 'actor' | 'objectId' | 'status' | 'outcome' | 'changed'>, actor: AuditActor, objectId: string | undefined, rest: Pick<AuditEntry, 'status' | 'outcome' | 'changed' | 'before' | 'after'> & { error?: string }): Omit<AuditEntry, '_id'> {
    return { ...base, actor, at: new Date(), objectId: objectId === undefined ? null : String(objectId).slice(0, MAX_ID), ...rest };
  }
}
