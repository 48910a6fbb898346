import { adaptiveCard } from './teams/teams-workflow.channel';
import { TelegramChannel } from './telegram/telegram.channel';

describe('Telegram and Teams message formats', () => {
  it('Telegram HTML: subject in bold; <, > and & in names are entities, nothing else is markup', () => {
    const html = TelegramChannel.html({ subject: '[L2 DOWN] <b>Evil</b> & Co', body: 'sector "A&B" <script>alert(1)</script> @channel' });
    expect(html).toBe('<b>[L2 DOWN] &lt;b&gt;Evil&lt;/b&gt; &amp; Co</b>\n\nsector "A&B" &lt;script&gt;alert(1)&lt;/script&gt; @channel'.replace('"A&B"', '"A&amp;B"'));
  });

  it('Telegram HTML: a text over the limit is cut before an entity, never through one', () => {
    const html = TelegramChannel.html({ subject: 'S', body: '&'.repeat(5000) });
    expect(html.length).toBeLessThanOrEqual(4000);
    expect(html).toMatch(/(&amp;)+…$/);
  });

  it('Teams: an Adaptive Card 1.4 with the subject as a bold heading (attention colour when high) and the text wrapped', () => {
    const card = adaptiveCard({ subject: '[L3 DOWN] Core', body: 'line 1\nline 2', priority: 'high' });
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: '[L3 DOWN] Core', weight: 'Bolder', color: 'Attention', wrap: true }, { type: 'TextBlock', text: 'line 1\nline 2', wrap: true }] });
  });
});
