import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsDateString, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ROS_NAME } from '../common/validators';

/** One RouterOS rate: bits per second with an optional k, M or G ("50M", "512k"). */
const RATE = /^\d{1,9}(\.\d{1,3})?[kKMG]?$/;
const rate = (field: string) => ({ message: `${field} must be a rate like 50M or 512k` });

/** Optional fields: null in an update clears them (IsOptional lets null through). */
export class CreatePlanDto {
  @ApiProperty({ example: 'home-50', description: 'also the PPP profile name on the routers' }) @IsString() @Matches(ROS_NAME, { message: 'name: 1-64 letters, digits, @ . _ + -' }) name!: string;
  @ApiProperty({ example: '50M', description: 'what the subscriber receives' }) @IsString() @Matches(RATE, rate('download')) download!: string;
  @ApiProperty({ example: '10M', description: 'what the subscriber sends' }) @IsString() @Matches(RATE, rate('upload')) upload!: string;
  @ApiPropertyOptional({ example: '80M', nullable: true, type: String }) @IsOptional() @IsString() @Matches(RATE, rate('burstDownload')) burstDownload?: string | null;
  @ApiPropertyOptional({ example: '15M', nullable: true, type: String }) @IsOptional() @IsString() @Matches(RATE, rate('burstUpload')) burstUpload?: string | null;
  @ApiPropertyOptional({ example: '40M', nullable: true, type: String, description: 'default: the download rate' }) @IsOptional() @IsString() @Matches(RATE, rate('burstThresholdDownload')) burstThresholdDownload?: string | null;
  @ApiPropertyOptional({ example: '8M', nullable: true, type: String, description: 'default: the upload rate' }) @IsOptional() @IsString() @Matches(RATE, rate('burstThresholdUpload')) burstThresholdUpload?: string | null;
  @ApiPropertyOptional({ example: 16, nullable: true, type: Number, description: 'seconds; default 1 when there is a burst' }) @IsOptional() @IsInt() @Min(1) @Max(3600) burstTime?: number | null;
  @ApiPropertyOptional({ example: '20M', nullable: true, type: String, description: 'guaranteed download (limit-at)' }) @IsOptional() @IsString() @Matches(RATE, rate('limitAtDownload')) limitAtDownload?: string | null;
  @ApiPropertyOptional({ example: '4M', nullable: true, type: String, description: 'guaranteed upload (limit-at)' }) @IsOptional() @IsString() @Matches(RATE, rate('limitAtUpload')) limitAtUpload?: string | null;
  @ApiPropertyOptional({ example: 8, nullable: true, type: Number, description: '1 (highest) to 8' }) @IsOptional() @IsInt() @Min(1) @Max(8) priority?: number | null;
  @ApiPropertyOptional({ example: 'plan-home', nullable: true, type: String, description: 'firewall address list the subscriber address is put in' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,63}$/, { message: 'addressList: 1-63 letters, digits, . _ -' })
  addressList?: string | null;
}

export class UpdatePlanDto extends PartialType(CreatePlanDto) {
  @ApiPropertyOptional({ format: 'date-time', description: 'apply the rate changes at this time (absent or past: now); a later change replaces a waiting one' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'effectiveAt must be an ISO 8601 date-time' })
  effectiveAt?: string;
}

export class PlanScheduleDto {
  @ApiProperty() at!: Date;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the rate fields that change then' }) changes!: Record<string, unknown>;
}

export class PlanViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() download!: string;
  @ApiProperty() upload!: string;
  @ApiPropertyOptional() burstDownload?: string;
  @ApiPropertyOptional() burstUpload?: string;
  @ApiPropertyOptional() burstThresholdDownload?: string;
  @ApiPropertyOptional() burstThresholdUpload?: string;
  @ApiPropertyOptional() burstTime?: number;
  @ApiPropertyOptional() limitAtDownload?: string;
  @ApiPropertyOptional() limitAtUpload?: string;
  @ApiPropertyOptional() priority?: number;
  @ApiPropertyOptional() addressList?: string;
  @ApiProperty({ description: 'counts applied changes' }) version!: number;
  @ApiPropertyOptional({ type: PlanScheduleDto, nullable: true }) scheduled!: PlanScheduleDto | null;
}

export class PlanListDto {
  @ApiProperty({ type: [PlanViewDto] }) items!: PlanViewDto[];
}
