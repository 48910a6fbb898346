import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { MONTH } from './month-range';

export const REPORT_SCOPES = ['subscriber', 'building', 'router'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

/** Most months one report covers (a year of rows, each a bounded read of the logs). */
export const MAX_REPORT_MONTHS = 12;

export class SlaQueryDto {
  @ApiPropertyOptional({ description: 'first month (YYYY-MM, in the ISP time zone); default `to`, else the current month', example: '2026-03', pattern: MONTH.source })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month, YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ description: `last month (YYYY-MM), at most ${MAX_REPORT_MONTHS} months after \`from\` and not after the current month; default \`from\``, example: '2026-05', pattern: MONTH.source })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month, YYYY-MM' })
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: the same rows as text/csv (so does `Accept: text/csv`)' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

export class ImpactRootDto {
  @ApiProperty({ enum: ['building', 'router', 'device', 'subscriber', 'unknown'], description: 'unknown: the incident is no longer stored (retention) or the log names none' }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'router role or device type' }) type!: string;
}

export class ImpactDto {
  @ApiProperty({ type: ImpactRootDto }) root!: ImpactRootDto;
  @ApiProperty({ description: 'incidents with this root that took the scope down' }) incidents!: number;
  @ApiProperty({ description: 'subscriber-minutes down because of this root' }) minutes!: number;
}

export class LevelDto {
  @ApiProperty({ enum: [1, 2, 3] }) level!: number;
  @ApiProperty({ description: 'incidents of this level opened in the month' }) incidents!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'mean time to acknowledge, minutes (null: none acknowledged)' }) mttaMinutes!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'mean time to resolve, minutes (null: none resolved)' }) mttrMinutes!: number | null;
}

export class SlaMonthDto {
  @ApiProperty({ example: '2026-03' }) month!: string;
  @ApiProperty({ description: 'local midnight of the 1st, as an instant' }) from!: Date;
  @ApiProperty({ description: "local midnight of the next month's 1st" }) to!: Date;
  @ApiProperty({ description: 'minutes of the month counted (up to now for the current month)' }) periodMinutes!: number;
  @ApiProperty({ description: 'subscribers counted (1 for a subscriber; current subscribers for a building or router)' }) subscribers!: number;
  @ApiProperty({ description: 'subscriber-minutes down, maintenance excluded: own + impacted' }) downtimeMinutes!: number;
  @ApiProperty({ description: 'down on their own (cause self)' }) ownMinutes!: number;
  @ApiProperty({ description: 'down because of an upstream outage' }) impactedMinutes!: number;
  @ApiProperty({ type: [ImpactDto], description: 'impacted minutes by root cause, most first' }) impactedBy!: ImpactDto[];
  @ApiProperty({ description: 'subscriber-minutes down inside maintenance windows (not counted as downtime); 0 until windows exist' }) maintenanceMinutes!: number;
  @ApiProperty() affectedSubscribers!: number;
  @ApiProperty({ description: 'percentage, 3 decimals' }) availabilityPct!: number;
  @ApiProperty({ description: 'the target it is held to (SLA_TARGET_PCT)' }) targetPct!: number;
  @ApiProperty({ description: 'availabilityPct >= targetPct' }) met!: boolean;
  @ApiProperty({ description: 'incidents touching the scope opened in the month' }) incidents!: number;
  @ApiProperty({ type: [LevelDto] }) levels!: LevelDto[];
}

export class SlaReportDto {
  @ApiProperty({ enum: REPORT_SCOPES }) scope!: ReportScope;
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Africa/Nairobi' }) timeZone!: string;
  @ApiProperty() targetPct!: number;
  @ApiProperty({ type: [SlaMonthDto] }) months!: SlaMonthDto[];
}
