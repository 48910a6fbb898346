// Issue 17 item 2, gateway side, over HTTP against the real stores: acknowledge with a note,
// un-acknowledge (queues the notifier's restart), assign (caller and assignee in scope), the
// incident timeline, and the acknowledge links (single use, expiring, tamper-proof, no sign-in).
import { getConnectionToken } from '@nestjs/mongoose';
import { repositoriesOn, type Repositories } from '@isp/data';
import { JobName, QueueName, signAckLink } from '@isp/domain';
import { JobProducer } from '@isp/platform';
import { Types, type Connection } from 'mongoose';
import { ADMIN_PASSWORD, startHarness, type Harness, type Json } from './gateway-harness';

const SECRET = 'ack-link-gateway-e2e-secret-0123456789';
const HOUR = 3600_000;

describe('incident acknowledgement, assignment, timeline and acknowledge links', () => {
  let h: Harness;
  let repos: Repositories;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  async function openIncident(code: string, name: string): Promise<string> {
    const { incident } = await repos.incidents.openOrGet({
      rootCause: { kind: 'device', id: new Types.ObjectId(), name, type: 'sector' },
      building: new Types.ObjectId(ids[code]),
      buildingName: `Building ${code}`,
      level: 2,
      openedAt: new Date(Date.now() - 60_000),
      impactedDevices: 2,
      impactedSubscribers: 20,
      path: [],
    });
    return String(incident._id);
  }

  const link = (incidentId: string, over: { expiresAt?: number; contactId?: string } = {}) =>
    signAckLink({ incidentId, contactId: over.contactId ?? ids.contact, expiresAt: over.expiresAt ?? Date.now() + HOUR }, SECRET);
  const post = (url: string, token: string, body?: unknown) => h.request('POST', url, { token, body });

  beforeAll(async () => {
    h = await startHarness('incident-timeline-ack', { ACK_LINK_SECRET: SECRET });
    repos = repositoriesOn(h.app.get<Connection>(getConnectionToken()));
    for (const code of ['B1', 'B2']) {
      const b = await h.request('POST', '/api/v1/buildings', { token: h.tokens.netadmin, body: { name: `Building ${code}`, code } });
      expect(b.status).toBe(201);
      ids[code] = b.body.id;
    }
    // The harness technician works in B1; a second technician works in B2 only.
    const users = (await h.request('GET', '/api/v1/users?limit=100', { token: h.tokens.admin })).body.items as { id: string; email: string }[];
    const tech = users.find((u) => u.email === h.emails.technician)!;
    expect((await h.request('PATCH', `/api/v1/users/${tech.id}`, { token: h.tokens.admin, body: { buildings: [ids.B1] } })).status).toBe(200);
    const other = await h.request('POST', '/api/v1/users', { token: h.tokens.admin, body: { email: 'tech.b2@example.net', password: ADMIN_PASSWORD, role: 'technician', buildings: [ids.B2] } });
    expect(other.status).toBe(201);
    const login = await h.request('POST', '/api/v1/auth/login', { body: { email: 'tech.b2@example.net', password: ADMIN_PASSWORD } });
    tokens.techB2 = login.body.accessToken;
    const contact = await repos.contacts.create({ name: 'Nia Oncall', level: 2, email: 'nia@isp.test', buildings: [new Types.ObjectId(ids.B1)] });
    ids.contact = String(contact._id);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('acknowledge with a note, un-acknowledge', () => {
    it('keeps the note, refuses control characters and over-long notes by field', async () => {
      const id = await openIncident('B1', 'B1-SECTOR-ACK');
      const bad = await post(`/api/v1/incidents/${id}/acknowledge`, h.tokens.technician, { note: 'bell\u0007' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain('note');
      expect((await post(`/api/v1/incidents/${id}/acknowledge`, h.tokens.technician, { note: 'x'.repeat(501) })).status).toBe(400);
      const ok = await post(`/api/v1/incidents/${id}/acknowledge`, h.tokens.technician, { note: '  crew on the way,\nETA 40 min ' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: h.emails.technician, acknowledgeNote: 'crew on the way,\nETA 40 min' });
      expect((await post(`/api/v1/incidents/${id}/acknowledge`, h.tokens.technician, {})).status).toBe(409);
      ids.acked = id;
    });

    it('un-acknowledging reopens it, clears the acknowledgement and asks the notifier to restart escalation', async () => {
      const id = ids.acked;
      const r = await post(`/api/v1/incidents/${id}/unacknowledge`, h.tokens.technician);
      expect(r.status).toBe(200);
      expect(r.body.state).toBe('open');
      expect(r.body.acknowledgedBy).toBeUndefined();
      expect(r.body.acknowledgeNote).toBeUndefined();
      const job = await h.app.get(JobProducer).queue(QueueName.NOTIFICATION).getJob(`inc.${id}.unacknowledged.${r.body.revision}`);
      expect(job?.name).toBe(JobName.INCIDENT_CHANGED);
      expect(job?.data).toEqual({ incidentId: id, change: 'unacknowledged', revision: r.body.revision });
      expect((await repos.incidents.findById(id))?.escalationRound).toBe(1);
      // Only an acknowledged incident can be un-acknowledged.
      expect((await post(`/api/v1/incidents/${id}/unacknowledge`, h.tokens.technician)).status).toBe(409);
      // Acknowledged again (a second thought), then the timeline shows all three.
      expect((await post(`/api/v1/incidents/${id}/acknowledge`, h.tokens.netadmin, { note: 'taking it' })).status).toBe(200);
    });

    it("refuses another building's incident (403) and support (no buildings: acts nowhere)", async () => {
      const id = await openIncident('B2', 'B2-SECTOR-SCOPE');
      ids.b2 = id;
      expect((await post(`/api/v1/incidents/${id}/acknowledge`, h.tokens.technician, { note: 'mine?' })).status).toBe(403);
      expect((await post(`/api/v1/incidents/${id}/acknowledge`, tokens.techB2, {})).status).toBe(200);
      expect((await post(`/api/v1/incidents/${id}/unacknowledge`, h.tokens.technician)).status).toBe(403);
      expect((await post(`/api/v1/incidents/${id}/unacknowledge`, h.tokens.support)).status).toBe(403);
      expect((await repos.incidents.findById(id))?.state).toBe('acknowledged');
    });
  });

  describe('assign', () => {
    it('assigns to a user allowed in the building, and takes it back with null', async () => {
      const id = ids.acked;
      const r = await post(`/api/v1/incidents/${id}/assign`, h.tokens.technician, { assignee: 'TECHNICIAN@example.net' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ assignedTo: h.emails.technician, state: 'acknowledged' });
      // A netadmin without buildings acts network-wide: may be assigned anywhere.
      expect((await post(`/api/v1/incidents/${ids.b2}/assign`, tokens.techB2, { assignee: h.emails.netadmin })).body.assignedTo).toBe(h.emails.netadmin);
      const cleared = await post(`/api/v1/incidents/${ids.b2}/assign`, tokens.techB2, { assignee: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.assignedTo).toBeUndefined();
    });

    it('refuses an assignee outside the building, an unknown one (422 naming the field), a malformed one (400), and a caller out of scope (403)', async () => {
      const id = ids.acked;
      const outside = await post(`/api/v1/incidents/${id}/assign`, h.tokens.netadmin, { assignee: 'tech.b2@example.net' });
      expect(outside.status).toBe(422);
      expect(outside.body.message).toMatch(/^assignee: /);
      const unknown = await post(`/api/v1/incidents/${id}/assign`, h.tokens.netadmin, { assignee: 'nobody@example.net' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.message).toMatch(/^assignee: /);
      // Support has no buildings: may not be given building work.
      expect((await post(`/api/v1/incidents/${id}/assign`, h.tokens.netadmin, { assignee: h.emails.support })).status).toBe(422);
      for (const body of [{ assignee: 'not-an-email' }, {}, { assignee: 42 }]) {
        const r = await post(`/api/v1/incidents/${id}/assign`, h.tokens.netadmin, body);
        expect(r.status).toBe(400);
        expect(JSON.stringify(r.body.message)).toContain('assignee');
      }
      expect((await post(`/api/v1/incidents/${id}/assign`, tokens.techB2, { assignee: 'tech.b2@example.net' })).status).toBe(403);
      expect((await repos.incidents.findById(id))?.assignedTo).toBe(h.emails.technician);
    });
  });

  describe('timeline', () => {
    it('tells the story oldest first: opened, changes, acknowledgements with notes, assignment, who was told on which channel, resolved', async () => {
      const id = ids.acked;
      const incident = (await repos.incidents.findById(id))!;
      // What diagnostics and the notifier write (their own e2e tests cover the writing).
      await repos.incidentEvents.append({ incident: id, type: 'grown', level: 2, impact: { devices: 3, stations: 0, subscribers: 31 }, at: new Date(incident.openedAt.getTime() + 1000), key: `${id}.grown.9` });
      await repos.incidentEvents.append({ incident: id, type: 'grown', level: 2, at: new Date(), key: `${id}.grown.9` }); // a retry: once
      await repos.notifications.recordIntentOnce({
        incident: incident._id,
        contact: new Types.ObjectId(ids.contact),
        recipient: 'nia@isp.test',
        channel: 'email',
        kind: 'opened',
        idempotencyKey: `${id}.${ids.contact}.email.opened`,
        body: 'DOWN',
        priority: 'high',
        level: 2,
      });
      await repos.notifications.recordIntentOnce({ incident: incident._id, contact: null, recipient: 'dashboard-feed', channel: 'dashboard', kind: 'opened', idempotencyKey: `${id}.feed.dashboard.opened`, body: 'DOWN', priority: 'high' });
      expect((await post(`/api/v1/incidents/${id}/resolve`, h.tokens.netadmin)).status).toBe(200);

      const r = await h.request('GET', `/api/v1/incidents/${id}/timeline`, { token: h.tokens.technician });
      expect(r.status).toBe(200);
      const types = (r.body as Json[]).map((e) => e.type);
      // The page record was written last (unsent: dated by its creation), just before the resolve.
      expect(types).toEqual(['opened', 'grown', 'acknowledged', 'unacknowledged', 'acknowledged', 'assigned', 'notified', 'resolved']);
      const by = (t: string) => (r.body as Json[]).filter((e) => e.type === t);
      expect(by('opened')[0]).toMatchObject({ level: 2, at: incident.openedAt.toISOString() });
      expect(by('grown')[0]).toMatchObject({ impact: { devices: 3, stations: 0, subscribers: 31 } });
      // The feed is not a person: only the contact's page.
      expect(by('notified')).toEqual([expect.objectContaining({ channel: 'email', recipient: 'nia@isp.test', kind: 'opened', status: 'pending' })]);
      expect(by('acknowledged')).toEqual([
        expect.objectContaining({ by: h.emails.technician, note: 'crew on the way,\nETA 40 min' }),
        expect.objectContaining({ by: h.emails.netadmin, note: 'taking it' }),
      ]);
      expect(by('unacknowledged')[0]).toMatchObject({ by: h.emails.technician });
      expect(by('assigned')[0]).toMatchObject({ by: h.emails.technician, assignee: h.emails.technician });
      expect(by('resolved')[0]).toMatchObject({ by: h.emails.netadmin });
      const times = (r.body as Json[]).map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('shows a merged incident as merged, and an unassigned one as unassigned', async () => {
      const b2 = (await h.request('GET', `/api/v1/incidents/${ids.b2}/timeline`, { token: h.tokens.netadmin })).body as Json[];
      expect(b2.map((e) => e.type)).toEqual(['opened', 'acknowledged', 'assigned', 'assigned']);
      expect(b2[3].assignee).toBeUndefined();
      const swallowed = await openIncident('B1', 'B1-SECTOR-SWALLOWED');
      await repos.incidents.merge(swallowed, ids.b2);
      const m = (await h.request('GET', `/api/v1/incidents/${swallowed}/timeline`, { token: h.tokens.netadmin })).body as Json[];
      expect(m.map((e) => e.type)).toEqual(['opened', 'merged']);
      expect(m[1].otherIncident).toBe(ids.b2);
    });

    it('is scope-checked like the other incident actions (403), 404 for no such incident', async () => {
      expect((await h.request('GET', `/api/v1/incidents/${ids.b2}/timeline`, { token: h.tokens.technician })).status).toBe(403);
      expect((await h.request('GET', `/api/v1/incidents/${ids.b2}/timeline`, { token: h.tokens.support })).status).toBe(403);
      expect((await h.request('GET', `/api/v1/incidents/${ids.b2}/timeline`)).status).toBe(401);
      expect((await h.request('GET', `/api/v1/incidents/${new Types.ObjectId()}/timeline`, { token: h.tokens.netadmin })).status).toBe(404);
    });
  });

  describe('acknowledge links', () => {
    const url = (t: string) => `/api/v1/ack-links?ack_token=${encodeURIComponent(t)}`;

    it('a GET only shows what the link does (mail scanners prefetch); the POST acknowledges as the contact, once', async () => {
      const id = await openIncident('B1', 'B1-SECTOR-LINK');
      const t = link(id);
      const preview = await h.request('GET', url(t));
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ incidentId: id, state: 'open', contact: 'Nia Oncall' });
      const html = await h.request('GET', url(t), { headers: { accept: 'text/html' } });
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.body).toContain(`<form method="post" enctype="text/plain" action="?ack_token=${encodeURIComponent(t)}">`);
      expect(html.body).toContain('Nia Oncall');
      expect((await repos.incidents.findById(id))?.state).toBe('open');

      // The confirm page's own form: text/plain, empty, token in the action's query.
      const res = await fetch(h.baseUrl + url(t), { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'text/html' }, body: '' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('acknowledged by contact:Nia Oncall');
      expect(await repos.incidents.findById(id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'contact:Nia Oncall' });

      const again = await h.request('POST', url(t));
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already been used/);
      expect((await h.request('GET', url(t))).status).toBe(409);
      const timeline = (await h.request('GET', `/api/v1/incidents/${id}/timeline`, { token: h.tokens.technician })).body as Json[];
      expect(timeline.filter((e) => e.type === 'acknowledged')).toEqual([expect.objectContaining({ by: 'contact:Nia Oncall' })]);
      // The audit trail names the contact the link was sent to, not "anonymous".
      const audit = (await h.request('GET', `/api/v1/audit?objectType=incident&objectId=${id}&outcome=success`, { token: h.tokens.netadmin })).body as { items: Json[] };
      expect(audit.items).toEqual([expect.objectContaining({ objectId: id, actor: expect.objectContaining({ id: 'contact:Nia Oncall', name: 'Nia Oncall', role: 'contact' }) })]);
      expect(audit.items[0].after).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'contact:Nia Oncall' });
    });

    it('two clicks at once: one acknowledges, the other is refused', async () => {
      const id = await openIncident('B1', 'B1-SECTOR-RACE');
      const t = link(id);
      const both = await Promise.all([h.request('POST', url(t)), h.request('POST', url(t))]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it('refuses an expired link and a tampered one (401), changing nothing', async () => {
      const id = await openIncident('B1', 'B1-SECTOR-EXPIRED');
      const expired = await h.request('POST', url(link(id, { expiresAt: Date.now() - 1000 })));
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/expired/);
      const [v, claims, mac] = link(id).split('.');
      // Someone else's incident under this link's MAC.
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), i: ids.b2 })).toString('base64url');
      for (const t of [`${v}.${forged}.${mac}`, `${v}.${claims}.${mac.slice(0, -4)}AAAA`, signAckLink({ incidentId: id, contactId: ids.contact, expiresAt: Date.now() + HOUR }, 'another-secret-another-secret-0000')]) {
        const r = await h.request('POST', url(t));
        expect(r.status).toBe(401);
        expect(r.body.message).toMatch(/not valid/);
      }
      const page = await h.request('GET', url(link(id, { expiresAt: Date.now() - 1 })), { headers: { accept: 'text/html' } });
      expect(page.status).toBe(401);
      expect(page.body).toContain('expired');
      expect((await h.request('POST', '/api/v1/ack-links?ack_token=garbage')).status).toBe(400);
      expect((await h.request('POST', '/api/v1/ack-links')).status).toBe(400);
      expect((await repos.incidents.findById(id))?.state).toBe('open');
      expect((await repos.incidents.findById(ids.b2))?.acknowledgedBy).not.toMatch(/^contact:/);
    });
  });
});
