import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ContactRepository, IncidentRepository } from '@isp/data';
import { ConflictError, NotFoundError, UnauthenticatedError, verifyAckLink, type AckLinkClaims } from '@isp/domain';
import type { Model } from 'mongoose';
import { ApiGatewayConfig } from '../config/api-gateway.config';
import { ACK_LINK_USE_MODEL, type AckLinkUse } from './ack-link-use.schema';
import type { IncidentViewDto } from './incident.dto';
import { IncidentsService } from './incidents.service';

const REFUSED: Record<'malformed' | 'bad-signature' | 'expired', string> = {
  malformed: 'This acknowledge link is not valid',
  'bad-signature': 'This acknowledge link is not valid',
  expired: 'This acknowledge link has expired',
};

export interface AckLinkPreview {
  claims: AckLinkClaims;
  incident: IncidentViewDto;
  contactName: string;
}

/**
 * Acknowledge links from pages: no sign-in, the signed token is the credential. Looking at a link
 * changes nothing (mail scanners open links); acknowledging is a POST, and the link's id is
 * recorded before the acknowledgement so a second use, or a race of two, is refused.
 */
@Injectable()
export class AckLinkService {
  constructor(
    private readonly config: ApiGatewayConfig,
    private readonly incidents: IncidentsService,
    private readonly incidentRecords: IncidentRepository,
    private readonly contacts: ContactRepository,
    @InjectModel(ACK_LINK_USE_MODEL) private readonly uses: Model<AckLinkUse>,
  ) {}

  /** Checks the link (signature, expiry, already used) and reads what it would acknowledge. */
  async preview(token: string): Promise<AckLinkPreview> {
    const claims = this.verify(token);
    if (await this.uses.exists({ _id: claims.linkId })) throw new ConflictError('This acknowledge link has already been used');
    const incident = await this.incidents.get(claims.incidentId);
    return { claims, incident, contactName: await this.contactName(claims.contactId) };
  }

  /** Uses the link once: acknowledges in the name of the contact it was sent to. */
  async acknowledge(token: string): Promise<IncidentViewDto> {
    const claims = this.verify(token);
    if (!(await this.incidentRecords.findById(claims.incidentId))) throw new NotFoundError('Incident', claims.incidentId);
    const by = `contact:${await this.contactName(claims.contactId)}`;
    try {
      await this.uses.create({ _id: claims.linkId, incident: claims.incidentId, contact: claims.contactId, usedAt: new Date(), expiresAt: new Date(claims.expiresAt) });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new ConflictError('This acknowledge link has already been used');
      throw err;
    }
    return this.incidents.acknowledgeAs(claims.incidentId, by);
  }

  private verify(token: string): AckLinkClaims {
    const secret = this.config.ACK_LINK_SECRET;
    if (!secret) throw new NotFoundError('Acknowledge link', '', 'Acknowledge links are not enabled (ACK_LINK_SECRET)');
    const r = verifyAckLink(token, secret);
    if (!r.ok) throw new UnauthenticatedError(REFUSED[r.reason]);
    return r.claims;
  }

  /** The contact's name now, or their id when the contact has since been deleted. */
  private async contactName(id: string): Promise<string> {
    return (await this.contacts.findById(id))?.name ?? id;
  }
}
