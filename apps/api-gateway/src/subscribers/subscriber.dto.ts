import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_TYPES, SYNC_STATUSES, type ServiceType } from '@isp/domain';
import { IsBoolean, IsIn, IsMongoId, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';
import { IPV4, MAC, QueryBoolean, RATE_LIMIT, ROS_NAME } from '../common/validators';
import { IsSubscriberSearch } from './subscriber-search';

export class CreateSubscriberDto {
  @ApiProperty({ example: 'juan.perez' }) @IsString() @Matches(ROS_NAME, { message: 'username: 1-64 letters, digits, @ . _ + -' }) username!: string;
  @ApiPropertyOptional({ format: 'password', description: 'PPPoE secret; write-only, stored encrypted' })
  @IsOptional()
  @IsString()
  @MinLength(4)
  @MaxLength(128)
  password?: string;
  @ApiPropertyOptional({ enum: SERVICE_TYPES, default: 'pppoe' }) @IsOptional() @IsIn(SERVICE_TYPES) serviceType?: ServiceType;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(IPV4, { message: 'staticIp must be an IPv4 address' }) staticIp?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(MAC, { message: 'macAddress must be a MAC address' }) macAddress?: string;
  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @Matches(ROS_NAME, { message: 'profile: 1-64 letters, digits, @ . _ + -' }) profile?: string;
  @ApiPropertyOptional({ example: '10M/50M' }) @IsOptional() @IsString() @Matches(RATE_LIMIT, { message: 'rateLimit must look like 10M/50M' }) rateLimit?: string;
  @ApiProperty() @IsMongoId() router!: string;
  @ApiPropertyOptional({ description: 'bandwidth plan: its name becomes the PPP profile, its rates the static/DHCP queue' }) @IsOptional() @IsMongoId() planId?: string;
  @ApiPropertyOptional({ description: 'station (device) the subscriber hangs on; gives the building' }) @IsOptional() @IsMongoId() station?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() isSuspended?: boolean;
}

/**
 * Where the subscriber hangs, and who it is on which router. A new username or routerId is a
 * rename or a move: provisioning removes the old secret (on the old router), ends the old
 * session and creates the new one.
 */
export class UpdateSubscriberDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'on a move: a device of the new router (absent: none)' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsMongoId() station?: string | null;
  @ApiPropertyOptional({ example: 'juan.perez2', description: 'rename: the old session is ended' }) @IsOptional() @IsString() @Matches(ROS_NAME, { message: 'username: 1-64 letters, digits, @ . _ + -' }) username?: string;
  @ApiPropertyOptional({ description: 'move to this router: the old router loses the secret and the session' }) @IsOptional() @IsMongoId({ message: 'routerId must be an id' }) routerId?: string;
}

/** Desired state: written to the database, then provisioning makes the router match. */
export class DesiredStateDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isSuspended?: boolean;
  @ApiPropertyOptional({ description: 'PPP profile (plan)' }) @IsOptional() @IsString() @Matches(ROS_NAME, { message: 'profile: 1-64 letters, digits, @ . _ + -' }) profile?: string;
  @ApiPropertyOptional({ example: '10M/50M', description: 'empty string clears it' })
  @IsOptional()
  @IsString()
  @ValidateIf((_, v) => v !== '')
  @Matches(RATE_LIMIT, { message: 'rateLimit must look like 10M/50M' })
  rateLimit?: string;
  @ApiPropertyOptional({ format: 'password' }) @IsOptional() @IsString() @MinLength(4) @MaxLength(128) password?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(IPV4, { message: 'staticIp must be an IPv4 address' }) staticIp?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(MAC, { message: 'macAddress must be a MAC address' }) macAddress?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'bandwidth plan; null leaves the plan (back to profile and rateLimit)' }) @IsOptional() @IsMongoId({ message: 'planId must be an id' }) planId?: string | null;
}

export class SubscriberQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId() building?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() router?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId() station?: string;
  @ApiPropertyOptional({ enum: SYNC_STATUSES }) @IsOptional() @IsIn(SYNC_STATUSES) syncStatus?: string;
  @ApiPropertyOptional() @IsOptional() @QueryBoolean() @IsBoolean() isOnline?: boolean;
  @ApiPropertyOptional() @IsOptional() @QueryBoolean() @IsBoolean() isSuspended?: boolean;
  @ApiPropertyOptional({ description: 'username prefix' }) @IsOptional() @IsString() @MaxLength(64) search?: string;
  @ApiPropertyOptional({
    description: 'lookup: a username prefix, a MAC in any common notation (aa:bb:cc:dd:ee:ff, AA-BB-..., aabb.ccdd.eeff, aabbccddeeff; matches the configured MAC or the session caller-id) or an IPv4 address (static or current); any may match',
    examples: { username: { value: 'juan' }, mac: { value: 'aabb.ccdd.eeff' }, address: { value: '10.20.0.7' } },
    maxLength: 64,
  })
  @IsOptional()
  @IsSubscriberSearch()
  q?: string;
}

export class SyncStateDto {
  @ApiProperty() desiredVersion!: number;
  @ApiProperty() appliedVersion!: number;
  @ApiProperty({ enum: SYNC_STATUSES }) syncStatus!: string;
  @ApiPropertyOptional() syncError?: string;
  @ApiPropertyOptional() lastSyncedAt?: Date;
  @ApiProperty({ description: 'true when the router has the latest desired state' }) inSync!: boolean;
}

export class SubscriberViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: SERVICE_TYPES }) serviceType!: ServiceType;
  @ApiPropertyOptional() staticIp?: string;
  @ApiPropertyOptional() macAddress?: string;
  @ApiProperty() router!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) station!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) building!: string | null;
  @ApiProperty() profile!: string;
  @ApiProperty() isSuspended!: boolean;
  @ApiPropertyOptional() rateLimit?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) planId!: string | null;
  @ApiProperty() hasPassword!: boolean;
  @ApiProperty({ type: SyncStateDto }) sync!: SyncStateDto;
  @ApiProperty() state!: string;
  @ApiProperty() isOnline!: boolean;
  @ApiPropertyOptional() stateSince?: Date;
  @ApiPropertyOptional() lastOnlineAt?: Date;
  @ApiPropertyOptional() lastOfflineAt?: Date;
  @ApiPropertyOptional() currentAddress?: string;
}

export class CurrentDowntimeDto {
  @ApiProperty() id!: string;
  @ApiProperty() startedAt!: Date;
  @ApiProperty({ enum: ['self', 'impacted'] }) cause!: string;
  @ApiPropertyOptional() incidentId?: string;
  @ApiPropertyOptional({ description: 'root cause of the incident, when impacted' }) rootCause?: { kind: string; id: string; name: string; type: string };
  @ApiPropertyOptional() incidentLevel?: number;
  @ApiPropertyOptional() incidentState?: string;
}

export class SubscriberStatusDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() isOnline!: boolean;
  @ApiProperty({ enum: ['UP', 'DOWN', 'IMPACTED', 'UNKNOWN'] }) state!: string;
  @ApiPropertyOptional({ description: 'since when in this state' }) since?: Date;
  @ApiPropertyOptional() lastOnlineAt?: Date;
  @ApiPropertyOptional() lastOfflineAt?: Date;
  @ApiPropertyOptional() currentAddress?: string;
  @ApiPropertyOptional() callerId?: string;
  @ApiProperty() isSuspended!: boolean;
  @ApiProperty({ description: 'state changing too often (diagnostics flap detection): one notice, no message per flap' }) flapping!: boolean;
  @ApiPropertyOptional({ description: 'flapping since then' }) flappingSince?: Date;
  @ApiProperty() syncStatus!: string;
  @ApiPropertyOptional({ type: CurrentDowntimeDto, nullable: true }) currentDowntime!: CurrentDowntimeDto | null;
  @ApiProperty({ example: 'database', description: 'always answered from the database, never the router' }) source!: string;
}
