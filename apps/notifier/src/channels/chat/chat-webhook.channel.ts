import { postForDelivery } from '../http-delivery';
import { classifyChatWebhook } from '../provider-answers';
import type { DeliveryChannel, OutboundMessage, SendResult } from '../delivery-channel';

/** Slack-compatible incoming webhook: `{ text, blocks }`; Mattermost and Rocket.Chat take the same. */
export class ChatWebhookChannel implements DeliveryChannel {
  readonly channel = 'chat' as const;

  constructor(
    readonly enabled: boolean,
    private readonly timeoutMs: number,
    readonly disabledReason?: string,
  ) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    let host = 'chat webhook';
    try {
      host = `chat webhook ${new URL(m.to).host}`;
    } catch {
      /* label stays generic; fetch reports the bad URL */
    }
    await postForDelivery(m.to, {
      headers: { 'content-type': 'application/json', 'Idempotency-Key': m.idempotencyKey },
      body: JSON.stringify({ text: m.body, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: m.body } }] }),
      timeoutMs: this.timeoutMs,
      label: host,
      classify: classifyChatWebhook,
    });
    // The webhook posts the message before it answers: a 2xx means it is in the channel.
    return { delivered: true };
  }
}
