import { NoControlChars } from '../common/validators';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsLatitude, IsLongitude, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class GeoDto {
  @ApiProperty() @IsLatitude() lat!: number;
  @ApiProperty() @IsLongitude() lng!: number;
}

export class CreateBuildingDto {
  @ApiProperty({ example: 'Torre Norte' }) @IsString() @IsNotEmpty() @MaxLength(120) @NoControlChars() name!: string;
  @ApiProperty({ example: 'TN', description: 'short unique code, stored upper case' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,16}$/, { message: 'code must be 1-16 letters, digits, _ or -' })
  code!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional({ type: GeoDto }) @IsOptional() @ValidateNested() @Type(() => GeoDto) geo?: GeoDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class UpdateBuildingDto extends PartialType(CreateBuildingDto) {}

export class BuildingViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional({ type: GeoDto }) geo?: GeoDto;
  @ApiPropertyOptional() notes?: string;
}
