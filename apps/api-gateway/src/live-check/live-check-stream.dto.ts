import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LiveCheckStreamQueryDto {
  @ApiPropertyOptional({ description: 'single-use ticket from POST /api/v1/feed/ticket, for EventSource clients, which cannot set headers' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ticket?: string;
}
