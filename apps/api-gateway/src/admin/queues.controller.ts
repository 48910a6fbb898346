import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ALL_QUEUES, type QueueName } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { API_V1 } from '../common/api-prefix';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';

export class FailedQueryDto {
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

/** Queue counts and failed jobs (Bull Board at /api/admin/queues has the full picture). */
@ApiTags('queues')
@Controller(`${API_V1}/admin/queues`)
export class QueuesController {
  constructor(private readonly producer: JobProducer) {}

  @Get()
  @RequireRole(Role.ADMIN)
  @ApiOperation({ summary: 'Job counts per queue' })
  @ApiOkResponse({ description: 'job counts per queue' })
  async counts() {
    const items = await Promise.all(
      ALL_QUEUES.map(async (name) => ({ name, counts: await this.producer.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children') })),
    );
    return { items };
  }

  @Get(':name/failed')
  @RequireRole(Role.ADMIN)
  @ApiOperation({ summary: 'Most recent failed jobs of a queue' })
  @ApiOkResponse({ description: 'failed jobs' })
  @ApiNotFoundResponse({ description: 'no such queue' })
  async failed(@Param('name') name: string, @Query() q: FailedQueryDto) {
    if (!(ALL_QUEUES as readonly string[]).includes(name)) throw new NotFoundException(`Unknown queue ${name}; known: ${ALL_QUEUES.join(', ')}`);
    const jobs = await this.producer.queue(name as QueueName).getFailed(0, (q.limit ?? 20) - 1);
    return { items: jobs.map((j) => ({ id: j.id, name: j.name, data: j.data, failedReason: j.failedReason, attemptsMade: j.attemptsMade, finishedOn: j.finishedOn ? new Date(j.finishedOn) : null })) };
  }
}
