import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ADOPTION_STATES, type AdoptionState } from '@isp/data';

export class DriftItemDto {
  @ApiProperty({ example: '/ppp/secret' }) menu!: string;
  @ApiProperty({ description: 'the row: secret or queue name, list and address, rule...' }) entry!: string;
  @ApiPropertyOptional({ description: 'username of the subscriber the row belongs to' }) subscriber?: string;
  @ApiProperty({ example: 'profile', description: "the field; '*' for a whole row, 'session' for a live session, 'position' for a rule's place" }) field!: string;
  @ApiPropertyOptional({ description: 'what the router holds (passwords are never shown)' }) router?: string;
  @ApiPropertyOptional({ description: 'what the database asks for' }) database?: string;
  @ApiProperty({
    enum: ['apply', 'revert', 'adopt', 'report', 'add', 'remove', 'kick'],
    description: 'apply: a pending change written; revert: a manual edit undone; adopt: the router value taken into the database; report: left as it is; add/remove/kick',
  })
  action!: string;
  @ApiProperty() why!: string;
}

export class DriftReportDto {
  @ApiProperty() at!: Date;
  @ApiProperty({ enum: ['adoption', 'adopt', 'reconcile'], description: 'adoption: the read-only first pass; adopt: the approved adoption; reconcile: a later pass' }) mode!: string;
  @ApiProperty({ description: 'false: nothing was written (awaiting approval)' }) applied!: boolean;
  @ApiProperty({ description: 'the deployment id whose tags the pass treated as its own' }) deployment!: string;
  @ApiProperty() writes!: number;
  @ApiProperty() kicked!: number;
  @ApiProperty({ type: [DriftItemDto] }) items!: DriftItemDto[];
  @ApiProperty({ description: 'items beyond the stored limit' }) truncated!: number;
}

export class RouterDriftDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ADOPTION_STATES, description: 'pending: read-only until approved (POST .../adopt); approved: the next pass adopts; adopted/onboarded: managed' }) adoption!: AdoptionState;
  @ApiPropertyOptional({ type: DriftReportDto, description: 'the latest pass; absent before the first one' }) report?: DriftReportDto;
}

export class AdoptionApprovedDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ADOPTION_STATES, example: 'approved' }) adoption!: AdoptionState;
  @ApiProperty({ description: 'the router pass that adopts was queued' }) queued!: boolean;
}
