import { postForDelivery } from '../http-delivery';
import { classifyTeamsWorkflow } from '../provider-answers';
import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';

/** The Adaptive Card a page becomes: the subject as a bold heading, the text below it. */
export function adaptiveCard(m: Pick<OutboundMessage, 'subject' | 'body' | 'priority'>): Record<string, unknown> {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      ...(m.subject ? [{ type: 'TextBlock', text: m.subject, weight: 'Bolder', size: 'Medium', wrap: true, color: m.priority === 'high' ? 'Attention' : 'Default' }] : []),
      { type: 'TextBlock', text: m.body, wrap: true },
    ],
    msteams: { width: 'Full' },
  };
}

/**
 * Microsoft Teams through a Workflows webhook (the Power Automate template "Send webhook alerts
 * to a channel", which replaced the retired Office 365 connectors): POST to the contact's flow URL
 * a message with one Adaptive Card attachment. The flow answers 202 when its run is queued and
 * posts the card afterwards, so a page ends `sent`. The URL carries its signature (`sig=`): it is
 * a credential, read from the contact at send time and never put in records or errors.
 */
export class TeamsWorkflowChannel implements DeliveryChannel {
  readonly channel = 'teams' as const;

  constructor(
    readonly enabled: boolean,
    private readonly timeoutMs: number,
    readonly disabledReason?: string,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    let label = 'Teams workflow';
    try {
      label = `Teams workflow ${new URL(m.to).host}`;
    } catch {
      /* fetch reports the bad URL */
    }
    await postForDelivery(m.to, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: adaptiveCard(m) }] }),
      timeoutMs: this.timeoutMs,
      label,
      classify: classifyTeamsWorkflow,
    });
    return {};
  }
}
