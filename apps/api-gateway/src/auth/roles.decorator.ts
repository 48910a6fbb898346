import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './roles';

export const ROLE_KEY = 'gateway:role';
export const PUBLIC_KEY = 'gateway:public';

/** The least role a route needs. Every route declares one (or @Public); the guard refuses the rest. */
export const RequireRole = (role: Role) =>
  applyDecorators(
    SetMetadata(ROLE_KEY, role),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'missing, invalid or expired token' }),
    ApiForbiddenResponse({ description: `needs role ${role} or higher` }),
  );

/** Reachable without a token (login only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const FEED_TICKET_KEY = 'gateway:feed-ticket';
/**
 * Also accept a single-use ?ticket= from POST /api/v1/feed/ticket (EventSource clients cannot set
 * headers, and a token in a URL is logged along the way).
 */
export const AllowFeedTicket = () => SetMetadata(FEED_TICKET_KEY, true);
