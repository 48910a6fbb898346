import { Logger, Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { NotifierConfig } from '../config/notifier.config';
import { MessageTemplates } from '../templates/message-templates';
import { AlertContextService } from './alert-context.service';
import { MESSAGE_TEMPLATES, ROUTING_RULES } from './alerting.tokens';
import { DeliveryService } from './delivery.service';
import { EscalationService } from './escalation.service';
import { IncidentAlertService } from './incident-alert.service';
import { NotificationIntentService } from './notification-intent.service';
import { NotificationProcessor } from './notification.processor';
import { loadRoutingRules } from './routing-rules.loader';
import { SubscriberFeedService } from './subscriber-feed.service';

@Module({
  imports: [ChannelsModule],
  providers: [
    {
      provide: ROUTING_RULES,
      inject: [NotifierConfig],
      useFactory: (config: NotifierConfig) => {
        const { rules, source } = loadRoutingRules(config.ROUTING_RULES_FILE);
        new Logger('AlertingModule').log(`routing rules from ${source}: ${rules.rules.map((r) => r.name).join(' | ')}`);
        return rules;
      },
    },
    {
      provide: MESSAGE_TEMPLATES,
      inject: [NotifierConfig],
      useFactory: (config: NotifierConfig) => MessageTemplates.fromFile(config.TEMPLATES_FILE),
    },
    AlertContextService,
    NotificationIntentService,
    EscalationService,
    IncidentAlertService,
    DeliveryService,
    SubscriberFeedService,
    NotificationProcessor,
  ],
})
export class AlertingModule {}
