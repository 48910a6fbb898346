import { startHarness, type Harness } from './gateway-harness';

/** Contacts' channel addresses and time zones through the real gateway (validation pipe, Mongo). */
describe('contacts: channel addresses and time zones', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('gateway-contacts');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes Telegram, WhatsApp, Teams and an IANA zone; an unknown zone is a 400 naming the field, not a silent UTC', async () => {
    const token = h.tokens.admin;
    const ok = await h.request('POST', '/api/v1/contacts', {
      token,
      body: { name: 'Zoe Zone', level: 2, telegramChatId: '-1001234567890', whatsapp: '+254711000001', teamsWebhook: 'https://prod.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x', timezone: 'Africa/Nairobi', onDuty: { from: '08:00', to: '18:00', timezone: 'America/Lima' } },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ telegramChatId: '-1001234567890', whatsapp: '+254711000001', timezone: 'Africa/Nairobi' });

    const bad = await h.request('POST', '/api/v1/contacts', { token, body: { name: 'Mars Base', level: 2, timezone: 'Mars/Olympus_Mons' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('timezone must be an IANA time zone');
    const badWindow = await h.request('PATCH', `/api/v1/contacts/${ok.body.id}`, { token, body: { onDuty: { from: '08:00', to: '18:00', timezone: 'GMT+25' } } });
    expect(badWindow.status).toBe(400);
    expect(JSON.stringify(badWindow.body.message)).toContain('onDuty.timezone must be an IANA time zone');
    const badAddresses = await h.request('PATCH', `/api/v1/contacts/${ok.body.id}`, { token, body: { whatsapp: '0711 000 001', telegramChatId: 'not a chat', teamsWebhook: 'teams please' } });
    expect(badAddresses.status).toBe(400);
    for (const field of ['whatsapp must be an E.164 number', 'telegramChatId must be a numeric chat id', 'teamsWebhook must be an http(s) URL']) expect(JSON.stringify(badAddresses.body.message)).toContain(field);
    expect((await h.request('GET', `/api/v1/contacts/${ok.body.id}`, { token })).body.timezone).toBe('Africa/Nairobi');
  });
});
