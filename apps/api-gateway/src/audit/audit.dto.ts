import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsMongoId, IsOptional, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';

/** GET /api/v1/audit: every filter optional, combined with AND; newest first. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'id of the user who acted' }) @IsOptional() @IsMongoId() actor?: string;
  @ApiPropertyOptional({ description: 'subscriber, router, device, building, plan, user, contact, incident, maintenance...' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'objectType must be a lower-case type name such as subscriber or router' })
  objectType?: string;
  @ApiPropertyOptional({ description: 'id of the object acted on' })
  @IsOptional()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'objectId must be an id' })
  objectId?: string;
  @ApiPropertyOptional({ enum: ['success', 'failure'] }) @IsOptional() @IsIn(['success', 'failure']) outcome?: string;
  @ApiPropertyOptional({ description: 'entries at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'entries at or before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AuditActorDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "the account's name, else its e-mail" }) name!: string;
  @ApiProperty() email!: string;
  @ApiProperty() role!: string;
}

export class AuditEntryViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: Date;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ description: 'client address (through TRUSTED_PROXIES)' }) clientIp!: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiProperty() method!: string;
  @ApiProperty({ description: 'route pattern, e.g. /api/v1/subscribers/:id/suspend' }) route!: string;
  @ApiProperty({ description: 'handler, e.g. suspend' }) action!: string;
  @ApiProperty() objectType!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) objectId!: string | null;
  @ApiProperty({ description: 'HTTP status answered' }) status!: number;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome!: string;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ type: [String], description: 'dotted paths of the changed fields' }) changed!: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'changed fields before (whole document when deleted), secrets masked' }) before!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'changed fields after (whole document when created), secrets masked' }) after!: Record<string, unknown> | null;
  @ApiPropertyOptional({ description: 'request body, secrets masked' }) request?: unknown;
}
