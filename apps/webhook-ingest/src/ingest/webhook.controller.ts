import { Controller, createParamDecorator, ExecutionContext, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { WEBHOOK_PATH_PREFIX, WebhookKind } from '@isp/domain';
import { DhcpLeaseDto } from './dto/dhcp-lease.dto';
import { NetwatchDto } from './dto/netwatch.dto';
import { PppStatusDto } from './dto/ppp-status.dto';
import { WebhookAuthGuard, type WebhookRequest } from './webhook-auth.guard';
import { WebhookBodyPipe } from './webhook-body.pipe';
import { WebhookIngestService } from './webhook-ingest.service';

// A custom parameter decorator so the app-wide ValidationPipe (which refuses unknown fields)
// leaves webhook bodies to WebhookBodyPipe.
const RequestBody = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<WebhookRequest>().body);
const WebhookBody = <T extends object>(dto: ClassConstructor<T>) => RequestBody(new WebhookBodyPipe(dto));

const ACCEPTED = { accepted: true } as const;

@Controller(WEBHOOK_PATH_PREFIX.slice(1))
@UseGuards(WebhookAuthGuard)
export class WebhookController {
  constructor(private readonly ingest: WebhookIngestService) {}

  @Post(WebhookKind.PPP)
  @HttpCode(202)
  async pppStatus(@Req() req: WebhookRequest, @WebhookBody(PppStatusDto) body: PppStatusDto) {
    await this.ingest.accept(WebhookKind.PPP, req.router!, body);
    return ACCEPTED;
  }

  @Post(WebhookKind.DHCP)
  @HttpCode(202)
  async dhcpLease(@Req() req: WebhookRequest, @WebhookBody(DhcpLeaseDto) body: DhcpLeaseDto) {
    await this.ingest.accept(WebhookKind.DHCP, req.router!, body);
    return ACCEPTED;
  }

  @Post(WebhookKind.NETWATCH)
  @HttpCode(202)
  async netwatch(@Req() req: WebhookRequest, @WebhookBody(NetwatchDto) body: NetwatchDto) {
    await this.ingest.accept(WebhookKind.NETWATCH, req.router!, body);
    return ACCEPTED;
  }
}
