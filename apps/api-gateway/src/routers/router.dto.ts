import { NoControlChars } from '../common/validators';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ROUTER_ROLES, type RouterRole } from '@isp/domain';
import { ADOPTION_STATES, type AdoptionState } from '@isp/data';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsIP, IsMongoId, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';

const HOST = /^([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$|^[0-9a-fA-F:]+$/;
const PEM_CERTIFICATE = /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

export class CreateRouterDto {
  @ApiProperty({ example: 'core-tn' }) @IsString() @IsNotEmpty() @MaxLength(64) @NoControlChars() name!: string;
  @ApiProperty({ example: '10.0.0.1', description: 'IP or DNS name the API is reached at' })
  @IsString()
  @Matches(HOST, { message: 'host must be an IP address or a DNS name' })
  @MaxLength(253)
  host!: string;
  @ApiPropertyOptional({ description: '8728, or 8729 (api-ssl) when tls is set' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535) apiPort?: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(64) apiUser!: string;
  @ApiProperty({ format: 'password', description: 'write-only: stored encrypted, never returned' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  apiPassword!: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() tls?: boolean;
  @ApiPropertyOptional({ description: "with tls: the router's own api-ssl certificate (PEM), pinned, so its usual self-signed one is accepted and no other; null unpins" })
  @IsOptional()
  @IsString()
  @MaxLength(16384)
  @Matches(PEM_CERTIFICATE, { message: 'tlsCertificate must be one PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)' })
  tlsCertificate?: string | null;
  @ApiProperty({ description: 'building id' }) @IsMongoId() building!: string;
  @ApiPropertyOptional({ enum: ROUTER_ROLES, default: 'core' }) @IsOptional() @IsIn(ROUTER_ROLES) role?: RouterRole;
  @ApiPropertyOptional({ type: [String], description: 'source IPs webhooks may come from; empty allows any' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsIP(undefined, { each: true })
  allowedSourceIps?: string[];
  @ApiPropertyOptional({ example: '7.18' }) @IsOptional() @IsString() @Matches(/^\d+\.\d+(\.\d+)?$/) rosVersion?: string;
}

export class UpdateRouterDto extends PartialType(OmitType(CreateRouterDto, ['building'] as const)) {
  @ApiPropertyOptional({ description: 'building id' }) @IsOptional() @IsMongoId() building?: string;
}

export class RouterQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId() building?: string;
  @ApiPropertyOptional({ enum: ROUTER_ROLES }) @IsOptional() @IsIn(ROUTER_ROLES) role?: RouterRole;
}

export class ObservedStatusDto {
  @ApiProperty({ enum: ['UP', 'DOWN', 'IMPACTED', 'UNKNOWN'] }) state!: string;
  @ApiPropertyOptional() since?: Date;
  @ApiPropertyOptional() lastCheckAt?: Date;
  @ApiPropertyOptional() lastSeenAt?: Date;
  @ApiPropertyOptional() incident?: string;
  @ApiPropertyOptional({ description: 'flapping since then (diagnostics flap detection); absent when stable', nullable: true }) flappingSince?: Date | null;
}

export class RouterViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() host!: string;
  @ApiProperty() apiPort!: number;
  @ApiProperty() apiUser!: string;
  @ApiProperty() tls!: boolean;
  @ApiPropertyOptional({ description: 'pinned api-ssl certificate (PEM)' }) tlsCertificate?: string;
  @ApiPropertyOptional({ description: 'what the router reports (a typed value is only a hint until then)' }) rosVersion?: string;
  @ApiPropertyOptional({ description: 'when the router last reported its version; absent: never' }) rosVersionObservedAt?: Date;
  @ApiPropertyOptional() boardName?: string;
  @ApiPropertyOptional() architecture?: string;
  @ApiPropertyOptional({ description: 'Netwatch entries the last router pass left on the router' }) netwatchEntries?: number;
  @ApiPropertyOptional() building?: string;
  @ApiProperty({ enum: ROUTER_ROLES }) role!: RouterRole;
  @ApiProperty({ type: [String] }) allowedSourceIps!: string[];
  @ApiProperty() hasWebhookToken!: boolean;
  @ApiPropertyOptional() webhookTokenIssuedAt?: Date;
  @ApiProperty({ type: ObservedStatusDto }) status!: ObservedStatusDto;
  @ApiProperty() syncStatus!: string;
  @ApiPropertyOptional() syncError?: string;
  @ApiPropertyOptional() lastSyncedAt?: Date;
  @ApiProperty({ enum: ADOPTION_STATES, description: 'pending: provisioning only reads and reports until POST /routers/:id/adopt' }) adoption!: AdoptionState;
}

export class WebhookTokenDto {
  @ApiProperty({ description: 'shown once; only its hash is stored' }) token!: string;
  @ApiProperty() issuedAt!: Date;
  @ApiProperty({ example: 'x-webhook-token' }) header!: string;
}
