import { Module } from '@nestjs/common';
import { FeedTicketController } from './feed-ticket.controller';
import { FeedController } from './feed.controller';
import { FeedService } from './feed.service';

@Module({ controllers: [FeedController, FeedTicketController], providers: [FeedService] })
export class FeedModule {}
