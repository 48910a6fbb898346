import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { SlaQueryDto, SlaReportDto, type ReportScope } from './reports.dto';
import { ReportsService } from './reports.service';
import { slaReportCsv } from './sla-csv';

const SLA_OK = ApiResponse({
  status: 200,
  description: 'one row per month; text/csv with `?format=csv` or `Accept: text/csv`',
  content: { 'application/json': { schema: { $ref: getSchemaPath(SlaReportDto) } }, 'text/csv': { schema: { type: 'string' } } },
});

/**
 * SLA reports. Support and up may read them, network-wide like the availability figures they
 * extend: reads are not building-scoped (auth/building-scope.ts).
 */
@ApiTags('reports')
@ApiExtraModels(SlaReportDto)
@ApiProduces('application/json', 'text/csv')
@Controller(`${API_V1}/reports/sla`)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('subscribers/:id')
  @RequireRole(Role.SUPPORT)
  @SLA_OK
  subscriber(@Param('id', ParseObjectIdPipe) id: string, @Query() q: SlaQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: FastifyReply) {
    return this.answer('subscriber', id, q, accept, res);
  }

  @Get('buildings/:id')
  @RequireRole(Role.SUPPORT)
  @SLA_OK
  building(@Param('id', ParseObjectIdPipe) id: string, @Query() q: SlaQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: FastifyReply) {
    return this.answer('building', id, q, accept, res);
  }

  @Get('routers/:id')
  @RequireRole(Role.SUPPORT)
  @SLA_OK
  router(@Param('id', ParseObjectIdPipe) id: string, @Query() q: SlaQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: FastifyReply) {
    return this.answer('router', id, q, accept, res);
  }

  private async answer(scope: ReportScope, id: string, q: SlaQueryDto, accept: string | undefined, res: FastifyReply): Promise<SlaReportDto | string> {
    const report = await this.reports.sla(scope, id, q);
    const csv = q.format ? q.format === 'csv' : /\btext\/csv\b/i.test(accept ?? '') && !/\bapplication\/json\b/i.test(accept ?? '');
    if (!csv) return report;
    res.header('content-type', 'text/csv; charset=utf-8');
    res.header('content-disposition', `attachment; filename="sla-${scope}-${id}-${report.months[0].month}_${report.months[report.months.length - 1].month}.csv"`);
    return slaReportCsv(report);
  }
}
