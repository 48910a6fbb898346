import { Controller, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { INCIDENT_MODEL } from '@isp/data';
import { ACK_LINK_PARAM, ACK_LINK_PATH, ConflictError, NotFoundError, UnauthenticatedError } from '@isp/domain';
import type { FastifyReply } from 'fastify';
import type { AuditActor } from '../audit/audit-entry.schema';
import { Audited } from '../audit/audited.decorator';
import { Public } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-errors';
import { AckLinkPreviewDto, AckLinkQueryDto } from './ack-link.dto';
import { AckLinkService, type AckLinkPreview } from './ack-link.service';
import { IncidentViewDto } from './incident.dto';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function summaryOf(p: AckLinkPreview): string {
  const i = p.incident;
  return `L${i.level} ${i.rootCause.type} ${i.rootCause.name}${i.buildingName ? ` at ${i.buildingName}` : ''}: ${i.state}`;
}

const wantsHtml = (accept: string | undefined) => Boolean(accept?.includes('text/html'));

/** A refused link as a page for a browser (the API's error statuses), anything else as the error it is. */
function htmlRefusal(err: unknown, res: FastifyReply): string {
  const status = err instanceof UnauthenticatedError ? 401 : err instanceof ConflictError ? 409 : err instanceof NotFoundError ? 404 : 0;
  if (!status) throw err;
  res.status(status).type('text/html; charset=utf-8');
  return page('Cannot acknowledge', `<p>${esc((err as Error).message)}</p>`);
}

/**
 * The acknowledge links in e-mail and chat pages, usable without signing in. GET only shows what
 * the link would do (mail scanners and link previews fetch links; they must not acknowledge);
 * the confirm button POSTs. The token travels in `ack_token`, which request logs redact.
 */
@ApiTags('incidents')
@ApiProduces('application/json', 'text/html')
@Audited('incident', INCIDENT_MODEL)
@Controller(ACK_LINK_PATH)
export class AckLinkController {
  constructor(private readonly links: AckLinkService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: AckLinkPreviewDto, description: 'what the link acknowledges; a confirm page for browsers (Accept: text/html)' })
  @ApiErrors(401, 404, 409)
  async preview(@Query() q: AckLinkQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: FastifyReply): Promise<AckLinkPreviewDto | string> {
    if (!wantsHtml(accept)) return this.previewOf(await this.links.preview(q.ack_token));
    try {
      const p = await this.links.preview(q.ack_token);
      res.type('text/html; charset=utf-8');
      // enctype text/plain: Fastify parses it out of the box, and the token stays in the action's
      // query. Relative to this page, so a proxy's path prefix in PUBLIC_URL is kept.
      const action = `?${ACK_LINK_PARAM}=${encodeURIComponent(q.ack_token)}`;
      return page(
        'Acknowledge this incident?',
        `<p>${esc(summaryOf(p))}</p><p>You will acknowledge it as ${esc(p.contactName)}; escalation stops.</p><form method="post" enctype="text/plain" action="${esc(action)}"><button type="submit">Acknowledge</button></form>`,
      );
    } catch (err) {
      return htmlRefusal(err, res);
    }
  }

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: IncidentViewDto, description: 'acknowledged in the name of the contact the link was sent to' })
  @ApiErrors(401, 404, 409)
  async acknowledge(
    @Query() q: AckLinkQueryDto,
    @Headers('accept') accept: string | undefined,
    @Req() req: { auditActor?: AuditActor; auditObjectId?: string },
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<IncidentViewDto | string> {
    // The audit trail names the contact the link was sent to (the link is their credential).
    const acknowledged = async () => {
      const i = await this.links.acknowledge(q.ack_token);
      const by = i.acknowledgedBy ?? 'contact';
      req.auditActor = { id: by, name: by.replace(/^contact:/, ''), email: '', role: 'contact' };
      req.auditObjectId = i.id;
      return i;
    };
    if (!wantsHtml(accept)) return acknowledged();
    try {
      const i = await acknowledged();
      res.type('text/html; charset=utf-8');
      return page('Acknowledged', `<p>${esc(`${i.rootCause.name}: acknowledged by ${i.acknowledgedBy ?? ''}`)}</p>`);
    } catch (err) {
      return htmlRefusal(err, res);
    }
  }

  private previewOf(p: AckLinkPreview): AckLinkPreviewDto {
    return { incidentId: p.incident.id, state: p.incident.state, summary: summaryOf(p), contact: p.contactName, expiresAt: new Date(p.claims.expiresAt) };
  }
}
