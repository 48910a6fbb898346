// Issue 15 item 12: device and building names go into Slack-style chat messages escaped, so a
// name cannot post a mass mention or a disguised link (SMS and e-mail are plain text).
import { MessageTemplates } from './message-templates';
import { escapeChatText } from './chat-escape';

const vars = {
  org: 'ISP NetOps', level: 2, building: 'Riverside Towers', rootType: 'sector AP', rootName: 'RT-North-5G',
  stations: 14, devices: 3, subscribers: 212, openedAt: '2024-06-05 10:00 UTC', incidentId: '665f0c0ffee0000000000001', shortId: '000001', priority: 'normal', duration: '12m',
};

describe('chat markup', () => {
  it('names cannot post a mass mention or a disguised link', () => {
    const m = MessageTemplates.fromFile().render('opened', { ...vars, building: '<!channel> Tower & Co', rootName: '<http://evil.example|click here> @here' });
    expect(m.chat).not.toMatch(/<!channel>|<http|@here/);
    expect(m.chat).toContain('&lt;!channel&gt; Tower &amp; Co');
    expect(m.chat).toContain('&lt;http://evil.example|click here&gt; @\u200Bhere');
    // The template's own markup is kept; SMS and e-mail are plain text and keep the name as is.
    expect(m.chat).toMatch(/^:rotating_light: \*L2 DOWN\*/);
    expect(m.sms).toContain('<!channel> Tower & Co');
  });

  it('escapes &, < and > and the plain-text mentions of Mattermost and Rocket.Chat', () => {
    expect(escapeChatText('a<b>&c @channel @all @everyone @alice')).toBe('a&lt;b&gt;&amp;c @\u200Bchannel @\u200Ball @\u200Beveryone @alice');
  });
});
