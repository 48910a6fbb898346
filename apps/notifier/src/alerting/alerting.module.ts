import { Logger, Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { NotifierConfig } from '../config/notifier.config';
import { NotifierMetrics } from '../metrics/notifier-metrics.service';
import { MessageTemplates } from '../templates/message-templates';
import { AlertContextService } from './alert-context.service';
import { MESSAGE_TEMPLATES, ROUTING_RULES } from './alerting.tokens';
import { ChannelHealthService } from './channel-health.service';
import { DeliveryAlarmService } from './delivery-alarm.service';
import { DeliveryFailoverService } from './delivery-failover.service';
import { DeliveryReceiptService } from './delivery-receipt.service';
import { DeliveryService } from './delivery.service';
import { EscalationService } from './escalation.service';
import { IncidentAlertService } from './incident-alert.service';
import { NotificationIntentService } from './notification-intent.service';
import { NotificationProcessor } from './notification.processor';
import { RepageService } from './repage.service';
import { ResolveFollowService } from './resolve-follow.service';
import { loadRoutingRules } from './routing-rules.loader';
import { SubscriberFeedService } from './subscriber-feed.service';
import { MaintenanceEndService } from '../maintenance/maintenance-end.service';
import { MaintenanceHoldService } from '../maintenance/maintenance-hold.service';

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
      useFactory: (config: NotifierConfig) => MessageTemplates.fromFile(config.TEMPLATES_FILE, { smsMaxSegments: config.SMS_MAX_SEGMENTS }),
    },
    AlertContextService,
    NotificationIntentService,
    ResolveFollowService,
    EscalationService,
    RepageService,
    IncidentAlertService,
    ChannelHealthService,
    DeliveryAlarmService,
    DeliveryFailoverService,
    DeliveryReceiptService,
    DeliveryService,
    SubscriberFeedService,
    MaintenanceHoldService,
    MaintenanceEndService,
    NotificationProcessor,
    NotifierMetrics,
  ],
})
export class AlertingModule {}
