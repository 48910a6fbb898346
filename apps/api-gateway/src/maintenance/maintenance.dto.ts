import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAINTENANCE_RECURRENCES, MAINTENANCE_TARGET_KINDS, type MaintenanceRecurrence, type MaintenanceTargetKind } from '@isp/domain';
import { IsIn, IsISO8601, IsMongoId, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A reason is a line for the board ("antenna swap on the north face"), not a change request. */
export const MAINTENANCE_REASON_MAX = 300;
/** One line: it is shown on the board and in lists. */
const NoControlChars = () => Matches(/^[^\p{Cc}]*$/u, { message: ({ property }) => `${property} must not contain control characters` });

export class CreateMaintenanceDto {
  @ApiProperty({ enum: MAINTENANCE_TARGET_KINDS }) @IsIn(MAINTENANCE_TARGET_KINDS) targetKind!: MaintenanceTargetKind;
  @ApiProperty({ description: 'id of the building, router, device or subscriber' }) @IsMongoId() targetId!: string;
  @ApiProperty({ description: 'ISO 8601 with a zone or offset' }) @IsISO8601({ strict: true }) startsAt!: string;
  @ApiProperty({ description: 'ISO 8601; after startsAt (less than a week after it for a weekly window)' }) @IsISO8601({ strict: true }) endsAt!: string;
  @ApiProperty({ maxLength: MAINTENANCE_REASON_MAX }) @IsString() @IsNotEmpty() @MaxLength(MAINTENANCE_REASON_MAX) @NoControlChars() reason!: string;
  @ApiPropertyOptional({ enum: MAINTENANCE_RECURRENCES, default: 'none', description: "'weekly': the same time every week from startsAt" })
  @IsOptional()
  @IsIn(MAINTENANCE_RECURRENCES)
  recurrence?: MaintenanceRecurrence;
}

/** The target stays: a window for another node is a new window. */
export class UpdateMaintenanceDto {
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) startsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) endsAt?: string;
  @ApiPropertyOptional({ maxLength: MAINTENANCE_REASON_MAX }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(MAINTENANCE_REASON_MAX) @NoControlChars() reason?: string;
  @ApiPropertyOptional({ enum: MAINTENANCE_RECURRENCES }) @IsOptional() @IsIn(MAINTENANCE_RECURRENCES) recurrence?: MaintenanceRecurrence;
}

export const MAINTENANCE_LIST_STATES = ['current', 'active', 'upcoming', 'all'] as const;
export type MaintenanceListState = (typeof MAINTENANCE_LIST_STATES)[number];

export class MaintenanceQueryDto {
  @ApiPropertyOptional({ enum: MAINTENANCE_LIST_STATES, default: 'current', description: "'current': active and upcoming; 'all' includes past and ended windows" })
  @IsOptional()
  @IsIn(MAINTENANCE_LIST_STATES)
  state?: MaintenanceListState;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() building?: string;
}

export class MaintenanceViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() target!: { kind: string; id: string; name: string };
  @ApiPropertyOptional() building?: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty({ enum: MAINTENANCE_RECURRENCES }) recurrence!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() createdBy!: string;
  @ApiPropertyOptional() endedAt?: Date;
  @ApiPropertyOptional() endedBy?: string;
  @ApiProperty({ description: 'an occurrence is running now' }) active!: boolean;
  @ApiPropertyOptional({ description: 'the running occurrence, or else the next one; absent once the window is over' }) occurrence?: { start: Date; end: Date };
}
