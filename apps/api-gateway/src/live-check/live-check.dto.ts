import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsMongoId } from 'class-validator';

export class LiveCheckRequestDto {
  @ApiProperty({ enum: ['subscriber', 'device', 'router'] }) @IsIn(['subscriber', 'device', 'router']) kind!: 'subscriber' | 'device' | 'router';
  @ApiProperty() @IsMongoId() id!: string;
}

export class LiveCheckHopDto {
  @ApiProperty({ enum: ['router', 'device', 'subscriber'] }) kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['UP', 'DOWN', 'IMPACTED', 'UNKNOWN'] }) state!: string;
  @ApiProperty({ required: false }) rttMs?: number;
  @ApiProperty({ required: false }) detail?: string;
}

export class LiveCheckResultDto {
  @ApiProperty() target!: LiveCheckRequestDto;
  @ApiProperty({ type: [LiveCheckHopDto] }) hops!: LiveCheckHopDto[];
  @ApiProperty({ example: 'Core [UP] -> Sector [UP] -> Station [DOWN]' }) summary!: string;
  @ApiProperty() checkedAt!: string;
  @ApiProperty() durationMs!: number;
}
