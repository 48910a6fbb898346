import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { CurrentUser } from '../auth/current-user.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { Role, type Principal } from '../auth/roles';
import { CoverageReportDto, RouterCoverageDto } from './coverage.dto';
import { CoverageService } from './coverage.service';

@ApiTags('coverage')
@Controller(API_V1)
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get('coverage')
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: 'what is monitored and what is not, per router: version, script dialect, last webhooks and heartbeat, verdict' })
  @ApiOkResponse({ type: CoverageReportDto })
  report(@CurrentUser() p: Principal) {
    return this.coverage.report(p);
  }

  @Get('routers/:id/coverage')
  @RequireRole(Role.TECHNICIAN)
  @ApiOperation({ summary: "one router's coverage (its building must be in the caller's scope)" })
  @ApiOkResponse({ type: RouterCoverageDto })
  router(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.coverage.forRouter(id, p);
  }
}
