import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsMongoId, IsNotEmpty, IsOptional, IsString, IsTimeZone, IsUrl, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class OnDutyDto {
  @ApiProperty({ example: '08:00' }) @Matches(HHMM) from!: string;
  @ApiProperty({ example: '18:00' }) @Matches(HHMM) to!: string;
  @ApiPropertyOptional({ type: [Number], description: 'ISO weekdays, 1 = Monday' }) @IsOptional() @IsArray() @ArrayMaxSize(7) @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true }) days?: number[];
  @ApiPropertyOptional({ example: 'America/Lima', description: 'IANA zone of from/to; unset: the contact\'s timezone, else UTC' }) @IsOptional() @IsString() @MaxLength(64) @IsTimeZone({ message: 'timezone must be an IANA time zone such as "America/Lima"' }) @Matches(/^[A-Za-z]/, { message: 'timezone must be an IANA time zone such as "America/Lima", not an offset' }) timezone?: string;
}

export class CreateContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(120) name!: string;
  @ApiProperty({ enum: [1, 2, 3] }) @IsIn([1, 2, 3]) level!: 1 | 2 | 3;
  @ApiPropertyOptional({ example: '+51999888777' }) @IsOptional() @Matches(/^\+?[0-9]{6,16}$/, { message: 'phone must be digits, optionally starting with +' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ description: 'Slack-compatible incoming webhook URL' }) @IsOptional() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) chatWebhook?: string;
  @ApiPropertyOptional({ example: '123456789', description: 'Telegram chat id (numeric, negative for groups) or @channelusername' }) @IsOptional() @Matches(/^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, { message: 'telegramChatId must be a numeric chat id or an @channelusername' }) telegramChatId?: string;
  @ApiPropertyOptional({ example: '+254711000001', description: 'WhatsApp number, E.164' }) @IsOptional() @Matches(/^\+[1-9][0-9]{6,14}$/, { message: 'whatsapp must be an E.164 number starting with +' }) whatsapp?: string;
  @ApiPropertyOptional({ description: 'Microsoft Teams Workflows webhook URL (https); a credential, never echoed in logs' }) @IsOptional() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'teamsWebhook must be an http(s) URL' }) teamsWebhook?: string;
  @ApiPropertyOptional({ example: 'Africa/Nairobi', description: 'IANA zone the contact reads times in (pages, on-duty window); unset: UTC' }) @IsOptional() @IsString() @MaxLength(64) @IsTimeZone({ message: 'timezone must be an IANA time zone such as "Africa/Nairobi"' }) @Matches(/^[A-Za-z]/, { message: 'timezone must be an IANA time zone such as "Africa/Nairobi", not an offset' }) timezone?: string;
  @ApiPropertyOptional({ type: [String], description: 'buildings in scope; empty means all' }) @IsOptional() @IsArray() @ArrayMaxSize(500) @IsMongoId({ each: true }) buildings?: string[];
  @ApiPropertyOptional({ type: OnDutyDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => OnDutyDto) onDuty?: OnDutyDto;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateContactDto extends PartialType(CreateContactDto) {}
