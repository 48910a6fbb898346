import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INCIDENT_STATES, type IncidentState } from '@isp/domain';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsISO8601, IsMongoId, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { INCIDENT_EVENT_TYPES } from '@isp/data';
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

export class AssignIncidentDto {
  @ApiProperty({ type: String, nullable: true, example: 'technician@example.net', description: "a user's email; null takes the assignment away" })
  @IsDefined({ message: 'assignee is required (null to unassign)' })
  @ValidateIf((o: AssignIncidentDto) => o.assignee !== null)
  @IsEmail({}, { message: 'assignee must be an email address' })
  @MaxLength(254)
  assignee!: string | null;
}

export class TimelineEntryDto {
  @ApiProperty() at!: Date;
  @ApiProperty({ enum: [...INCIDENT_EVENT_TYPES, 'notified'] }) type!: string;
  @ApiPropertyOptional({ description: "who did it: a user's email, or contact:<name> for an acknowledge link" }) by?: string;
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional({ description: 'assigned: to whom (absent: unassigned)' }) assignee?: string;
  @ApiPropertyOptional() level?: number;
  @ApiPropertyOptional({ description: 'merged: the incident that carries on; absorbed: the one swallowed' }) otherIncident?: string;
  @ApiPropertyOptional() impact?: { devices: number; stations: number; subscribers: number };
  @ApiPropertyOptional({ description: 'notified: the channel' }) channel?: string;
  @ApiPropertyOptional({ description: 'notified: the recipient (a contact name for channels whose address is a secret)' }) recipient?: string;
  @ApiPropertyOptional({ description: 'notified: what the page said (opened, escalated, resolved...)' }) kind?: string;
  @ApiPropertyOptional({ description: 'notified: how the delivery ended so far (delivered, sent, failed, skipped...)' }) status?: string;
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
  @ApiPropertyOptional({ description: "the user (email) working on it" }) assignedTo?: string;
  @ApiPropertyOptional() assignedAt?: Date;
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
