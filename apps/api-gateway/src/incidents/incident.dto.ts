import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INCIDENT_STATES, type IncidentState } from '@isp/domain';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsMongoId, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';

export class IncidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId() building?: string;
  @ApiPropertyOptional({ enum: [1, 2, 3] }) @IsOptional() @Type(() => Number) @IsIn([1, 2, 3]) level?: 1 | 2 | 3;
  @ApiPropertyOptional({ enum: [...INCIDENT_STATES, 'active'], description: "'active' means open or acknowledged" })
  @IsOptional()
  @IsIn([...INCIDENT_STATES, 'active'])
  state?: IncidentState | 'active';
  @ApiPropertyOptional({ description: 'opened at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'opened before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
}

/** Longest acknowledge note: a sentence or two for the next shift, not a report. */
export const ACK_NOTE_MAX = 500;

export class AcknowledgeIncidentDto {
  @ApiPropertyOptional({ maxLength: ACK_NOTE_MAX, example: 'crew on the way, ETA 40 min' })
  @IsOptional()
  @IsString()
  @MaxLength(ACK_NOTE_MAX)
  // Line breaks are fine; other control characters would travel on into notifications.
  @Matches(/^(?:[^\p{Cc}]|\n)*$/u, { message: 'note must not contain control characters' })
  note?: string;
}

export class IncidentViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() rootCause!: { kind: string; id: string; name: string; type: string };
  @ApiPropertyOptional() building?: string;
  @ApiPropertyOptional() buildingName?: string;
  @ApiProperty({ enum: [1, 2, 3] }) level!: number;
  @ApiProperty({ enum: INCIDENT_STATES }) state!: string;
  @ApiProperty() openedAt!: Date;
  @ApiPropertyOptional() acknowledgedAt?: Date;
  @ApiPropertyOptional() acknowledgedBy?: string;
  @ApiPropertyOptional() acknowledgeNote?: string;
  @ApiPropertyOptional() resolvedAt?: Date;
  @ApiPropertyOptional({ description: 'its root cause is flapping since then: one incident for the whole period, nobody paged per flap' }) flappingSince?: Date;
  @ApiProperty({ description: 'its root cause is inside a maintenance window: nobody is paged until the window ends with it still open' }) inMaintenance!: boolean;
  @ApiPropertyOptional({ description: 'the windows that held its pages back (kept once resolved)' }) maintenance?: { since: Date; windowIds: string[]; until?: Date };
  @ApiProperty({ description: 'Infrastructure devices and routers down with the root (stations not included)' }) impactedDevices!: number;
  @ApiProperty({ description: 'Customer stations down with the root' }) impactedStations!: number;
  @ApiProperty() impactedSubscribers!: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) path!: Record<string, unknown>[];
  @ApiProperty() revision!: number;
}
