import { redactUrl } from './log-redaction';

describe('redactUrl', () => {
  it('replaces the values of access_token and ticket, whatever their position or case', () => {
    expect(redactUrl('/api/v1/feed?ticket=abc123&type=incident')).toBe('/api/v1/feed?ticket=[redacted]&type=incident');
    expect(redactUrl('/api/admin/queues?x=1&access_token=eyJ.hdr.sig')).toBe('/api/admin/queues?x=1&access_token=[redacted]');
    expect(redactUrl('/api/v1/feed?Access_Token=eyJ&TICKET=t')).toBe('/api/v1/feed?Access_Token=[redacted]&TICKET=[redacted]');
    expect(redactUrl('/api/v1/feed?access%5Ftoken=eyJ')).toBe('/api/v1/feed?access%5Ftoken=[redacted]');
    expect(redactUrl('/api/v1/ack-links?ack_token=a1.eyJ.mac')).toBe('/api/v1/ack-links?ack_token=[redacted]');
  });

  it('leaves other URLs alone', () => {
    expect(redactUrl('/api/v1/incidents?state=open&level=2')).toBe('/api/v1/incidents?state=open&level=2');
    expect(redactUrl('/api/v1/feed')).toBe('/api/v1/feed');
    expect(redactUrl(undefined)).toBeUndefined();
    expect(redactUrl('/x?tickets=1&my_ticket=2')).toBe('/x?tickets=1&my_ticket=2');
  });
});
