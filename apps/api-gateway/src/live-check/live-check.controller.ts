import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiGatewayTimeoutResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { NotAudited } from '../audit/audited.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { LiveCheckRequestDto, LiveCheckResultDto } from './live-check.dto';
import { LiveCheckService } from './live-check.service';
import { ApiErrors } from '../common/api-errors';

// A Live Check reads the network and changes nothing: it stays out of the audit trail.
@NotAudited()
@ApiTags('live-check')
@Controller(`${API_V1}/live-check`)
export class LiveCheckController {
  constructor(private readonly liveCheck: LiveCheckService) {}

  @Post()
  @HttpCode(200)
  @RequireRole(Role.SUPPORT)
  @ApiOperation({ summary: 'Probe root to leaf now and answer every hop' })
  @ApiOkResponse({ type: LiveCheckResultDto })
  @ApiGatewayTimeoutResponse({ description: 'diagnostics did not answer in time' })
  @ApiErrors(404, 502)
  check(@Body() dto: LiveCheckRequestDto) {
    return this.liveCheck.check({ kind: dto.kind, id: dto.id });
  }
}
