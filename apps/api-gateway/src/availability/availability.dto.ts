import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class PeriodQueryDto {
  @ApiPropertyOptional({ description: 'start (ISO 8601); default 30 days before `to`' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'end (ISO 8601); default now' }) @IsOptional() @IsISO8601() to?: string;
}

export class AvailabilityDto {
  @ApiProperty({ enum: ['subscriber', 'building'] }) scope!: string;
  @ApiProperty() id!: string;
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty() periodSec!: number;
  @ApiProperty({ description: 'subscribers counted (1 for a subscriber)' }) subscribers!: number;
  @ApiProperty({ description: 'downtime outside maintenance windows (what availability counts)' }) downtimeSec!: number;
  @ApiProperty({ description: 'downtime caused by upstream outages' }) impactedSec!: number;
  @ApiProperty({ description: 'downtime inside maintenance windows on the subscriber or above it: not counted against availability' }) maintenanceSec!: number;
  @ApiProperty() affectedSubscribers!: number;
  @ApiProperty({ description: 'fraction 0..1' }) availability!: number;
  @ApiProperty({ description: 'percentage, 3 decimals' }) availabilityPct!: number;
}
