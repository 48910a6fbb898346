import { validateTopologyFile } from '../topology-file/topology-file.validator';
import { formatInZone, isTimeZone } from './time-zone';

describe('time zones', () => {
  it('IANA names are zones; offsets, typos and non-strings are not', () => {
    for (const z of ['UTC', 'America/Lima', 'Africa/Nairobi', 'Europe/Berlin']) expect(isTimeZone(z)).toBe(true);
    for (const z of ['Mars/Olympus_Mons', 'America/Lim', '+05:00', '', ' ', 42, null]) expect(isTimeZone(z)).toBe(false);
  });

  it('a moment on the reader\'s wall clock, daylight saving included, with the zone named', () => {
    const at = new Date('2026-07-01T12:30:00Z');
    expect(formatInZone(at)).toBe('2026-07-01 12:30 UTC');
    expect(formatInZone(at, 'America/Lima')).toBe('2026-07-01 07:30 America/Lima');
    expect(formatInZone(at, 'Europe/Berlin')).toBe('2026-07-01 14:30 Europe/Berlin');
    expect(formatInZone(new Date('2026-01-01T12:30:00Z'), 'Europe/Berlin')).toBe('2026-01-01 13:30 Europe/Berlin');
  });

  it('the topology file refuses a contact with an unknown zone, naming the contact', () => {
    const file = { contacts: [{ name: 'Ok', level: 2, timezone: 'Africa/Nairobi' }, { name: 'Zed', level: 2, timezone: 'Nairobi' }] };
    expect(() => validateTopologyFile(file)).toThrow(/contacts\[1\] \(Zed\): timezone "Nairobi" is not an IANA time zone/);
    expect(() => validateTopologyFile({ contacts: [file.contacts[0]] })).not.toThrow();
    expect(() => validateTopologyFile({ contacts: [{ name: 'Wa', level: 2, whatsapp: '0711 000', telegramChatId: 'me', teamsWebhook: 'teams' }] })).toThrow(/whatsapp must be an E\.164[\s\S]*telegramChatId must be[\s\S]*teamsWebhook must be/);
  });
});
