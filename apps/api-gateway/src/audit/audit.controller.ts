import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { API_V1 } from '../common/api-prefix';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import type { AuditEntry } from './audit-entry.schema';
import { AuditEntryViewDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

function view({ _id, ...e }: AuditEntry): AuditEntryViewDto {
  return { id: String(_id), ...e } as AuditEntryViewDto;
}

/** The audit trail, read-only: there is no route that changes or deletes an entry. */
@ApiTags('audit')
@Controller(`${API_V1}/audit`)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: 'changes made through the API, newest first: who, when, from where, what changed (secrets masked), outcome' })
  @ApiPageResponse(AuditEntryViewDto)
  async list(@Query() q: AuditQueryDto) {
    const from = q.from === undefined ? undefined : new Date(q.from);
    const to = q.to === undefined ? undefined : new Date(q.to);
    if (from && to && from > to) throw new BadRequestException('from must not be after to');
    const page = await this.audit.list({ actor: q.actor, objectType: q.objectType, objectId: q.objectId, outcome: q.outcome, from, to, ...pageOf(q) });
    return { ...page, items: page.items.map(view) };
  }
}
