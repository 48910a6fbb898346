import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LastWebhooksDto {
  @ApiPropertyOptional({ description: 'last PPP on-up/on-down webhook received' }) 'ppp-status'?: Date;
  @ApiPropertyOptional({ description: 'last DHCP lease-script webhook received' }) 'dhcp-lease'?: Date;
  @ApiPropertyOptional({ description: 'last Netwatch webhook received' }) netwatch?: Date;
}

export class UncoveredDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'device name or subscriber username' }) name!: string;
  @ApiProperty({ description: 'why it has no status source' }) why!: string;
}

export class RefusedNameDto {
  @ApiProperty({ enum: ['router', 'device', 'subscriber'] }) kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'name' }) field!: string;
  @ApiProperty({ description: 'the name with its control characters shown as \\uXXXX' }) value!: string;
}

export class RouterCoverageDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() building?: string;
  @ApiProperty({ enum: ['covered', 'degraded', 'silent'] }) verdict!: string;
  @ApiProperty({ type: [String], description: 'why the router is degraded or silent; empty when covered' }) reasons!: string[];
  @ApiPropertyOptional({ description: 'RouterOS version (as reported by the router when rosVersionObservedAt is set)' }) rosVersion?: string;
  @ApiPropertyOptional() rosVersionObservedAt?: Date;
  @ApiPropertyOptional({ enum: ['v6', 'v7-form', 'v7-json'], description: 'the snitch-script dialect the last pass wrote' }) scriptDialect?: string;
  @ApiPropertyOptional() scriptsVerifiedAt?: Date;
  @ApiProperty({ type: [String], description: 'snitch entries the last pass found missing (and rewrote)' }) scriptsMissing!: string[];
  @ApiProperty({ type: LastWebhooksDto }) lastWebhookAt!: LastWebhooksDto;
  @ApiPropertyOptional({ description: 'last successful heartbeat (the API answered)' }) lastHeartbeatAt?: Date;
  @ApiPropertyOptional({ description: 'last completed router pass (the API answered too)' }) lastReconcileAt?: Date;
  @ApiProperty({ type: [UncoveredDto] }) devicesWithoutNetwatch!: UncoveredDto[];
  @ApiProperty({ type: [UncoveredDto] }) subscribersWithoutStatusSource!: UncoveredDto[];
  @ApiProperty({ type: [RefusedNameDto] }) namesRefused!: RefusedNameDto[];
}

export class CoverageSummaryDto {
  @ApiProperty() covered!: number;
  @ApiProperty() degraded!: number;
  @ApiProperty() silent!: number;
}

export class CoverageReportDto {
  @ApiProperty() generatedAt!: Date;
  @ApiProperty({ description: 'no webhook and no API answer for this long: silent' }) silentAfterMs!: number;
  @ApiProperty({ type: CoverageSummaryDto }) summary!: CoverageSummaryDto;
  @ApiProperty({ type: [RouterCoverageDto] }) routers!: RouterCoverageDto[];
}
