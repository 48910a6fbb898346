import { ApiProperty } from '@nestjs/swagger';
import { ACK_LINK_PARAM } from '@isp/domain';
import { IsString, Matches, MaxLength } from 'class-validator';

export class AckLinkQueryDto {
  @ApiProperty({ name: ACK_LINK_PARAM, description: 'the signed token from the link in a page (request logs redact it)' })
  @IsString()
  @MaxLength(512)
  @Matches(/^a1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { message: `${ACK_LINK_PARAM} is not an acknowledge link token` })
  ack_token!: string;
}

export class AckLinkPreviewDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty() state!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ description: 'the contact the link was sent to: the acknowledgement is in their name' }) contact!: string;
  @ApiProperty() expiresAt!: Date;
}
