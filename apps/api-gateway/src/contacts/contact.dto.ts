import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsMongoId, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class OnDutyDto {
  @ApiProperty({ example: '08:00' }) @Matches(HHMM) from!: string;
  @ApiProperty({ example: '18:00' }) @Matches(HHMM) to!: string;
  @ApiPropertyOptional({ type: [Number], description: 'ISO weekdays, 1 = Monday' }) @IsOptional() @IsArray() @ArrayMaxSize(7) @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true }) days?: number[];
  @ApiPropertyOptional({ example: 'America/Lima' }) @IsOptional() @IsString() @MaxLength(64) timezone?: string;
}

export class CreateContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(120) name!: string;
  @ApiProperty({ enum: [1, 2, 3] }) @IsIn([1, 2, 3]) level!: 1 | 2 | 3;
  @ApiPropertyOptional({ example: '+51999888777' }) @IsOptional() @Matches(/^\+?[0-9]{6,16}$/, { message: 'phone must be digits, optionally starting with +' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ description: 'Slack-compatible incoming webhook URL' }) @IsOptional() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) chatWebhook?: string;
  @ApiPropertyOptional({ type: [String], description: 'buildings in scope; empty means all' }) @IsOptional() @IsArray() @ArrayMaxSize(500) @IsMongoId({ each: true }) buildings?: string[];
  @ApiPropertyOptional({ type: OnDutyDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => OnDutyDto) onDuty?: OnDutyDto;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateContactDto extends PartialType(CreateContactDto) {}
