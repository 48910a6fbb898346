import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { DEVICE_TYPES, type DeviceType } from '@isp/domain';
import { ArrayMaxSize, IsArray, IsIn, IsMongoId, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';
import { IPV4, MAC, NoControlChars } from '../common/validators';
import { ObservedStatusDto } from '../routers/router.dto';

export class CreateDeviceDto {
  @ApiProperty({ example: 'sector-tn-1' }) @IsString() @IsNotEmpty() @MaxLength(64) @NoControlChars() name!: string;
  @ApiProperty({ enum: DEVICE_TYPES }) @IsIn(DEVICE_TYPES) deviceType!: DeviceType;
  @ApiProperty({ example: '10.10.0.2', description: 'reachable from its router' }) @IsString() @Matches(IPV4, { message: 'ipAddress must be an IPv4 address' }) ipAddress!: string;
  @ApiPropertyOptional({ example: 'AA:BB:CC:00:11:22' }) @IsOptional() @IsString() @Matches(MAC, { message: 'macAddress must be a MAC address' }) macAddress?: string;
  @ApiProperty({ description: 'router that probes this device' }) @IsMongoId() router!: string;
  @ApiPropertyOptional({ description: 'upstream device; null or absent means the router', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsMongoId()
  parent?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'redundant uplinks' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsMongoId({ each: true })
  altParents?: string[];
  @ApiPropertyOptional({ description: "building id; defaults to the parent's, else the router's" }) @IsOptional() @IsMongoId() building?: string;
}

export class UpdateDeviceDto extends PartialType(OmitType(CreateDeviceDto, ['router'] as const)) {}

export class DeviceQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId() building?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() router?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() parent?: string;
  @ApiPropertyOptional({ enum: DEVICE_TYPES }) @IsOptional() @IsIn(DEVICE_TYPES) deviceType?: DeviceType;
  @ApiPropertyOptional({ enum: ['UP', 'DOWN', 'IMPACTED', 'UNKNOWN'] }) @IsOptional() @IsIn(['UP', 'DOWN', 'IMPACTED', 'UNKNOWN']) state?: string;
}

export class DeviceViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DEVICE_TYPES }) deviceType!: DeviceType;
  @ApiProperty() ipAddress!: string;
  @ApiPropertyOptional() macAddress?: string;
  @ApiProperty() router!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) parent!: string | null;
  @ApiProperty({ type: [String] }) altParents!: string[];
  @ApiPropertyOptional() building?: string;
  @ApiProperty({ type: ObservedStatusDto }) status!: ObservedStatusDto;
}
