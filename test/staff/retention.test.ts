/**
 * Retention through the command line (`purge --dry-run|--yes`) on the database of a running app:
 * complaint, transcript and conversation state go together; only reference and date reach the audit log.
 */
import type { Activity } from 'botbuilder';
import { PurgeReportSchema } from '../../src/staff/schemas';
import { request, runCli, seedComplaint, startApp, API_TOKEN, API_TOKEN_ENTRY, type TestApp } from './helpers';
import { sqliteDb } from '../helpers/sqlite';

let t: TestApp;
const T0 = new Date('2026-11-24T09:00:00Z');
const SYSTEM = { id: 'setup', via: 'system' as const };

const cli = (args: string[], now: Date) => runCli(t.dbFile, args, { now, user: 'beheerder' });

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await sqliteDb(t.app).get<{ n: number }>(sql, params))!.n;
}

function log(conversationId: string, text: string, role: 'user' | 'bot' = 'user') {
  void t.app.transcripts.logActivity({
    type: 'message',
    channelId: 'emulator',
    conversation: { id: conversationId },
    from: { id: role, role },
    recipient: { id: role === 'user' ? 'bot' : 'user' },
    text,
  } as Partial<Activity> as Activity);
}

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY }, T0);
});

afterAll(async () => {
  await t.close();
});

test('purge: dry-run reports and deletes nothing; --yes deletes complaint, transcript and state together', async () => {
  // A: resolved at T0, so due 5 years later. B: open. C: resolved two years later.
  const a = await seedComplaint(t.app, { input: { story: 'Ik wacht al maanden op antwoord over de kinderopvangtoeslag.' }, said: ['kinderopvangtoeslag', 'Ja'] });
  const b = await seedComplaint(t.app, { input: { story: 'Niemand belt terug over mijn melding van de lantaarnpaal.' } });
  const c = await seedComplaint(t.app, { input: { story: 'De baliemedewerker schreeuwde tegen mij bij het stadhuis.' } });
  await t.app.staff.service.changeStatus(SYSTEM, a.reference, 'informal', 'intern');
  await t.app.staff.service.changeStatus(SYSTEM, a.reference, 'resolved', 'opgelost', { outcome: 'gegrond' });
  // conversation state and dedupe marks of A's conversation
  await t.app.storage.write({ [`emulator/conversations/${a.conversationId}/`]: { dialogState: { x: 1 } } });
  await sqliteDb(t.app).write('INSERT INTO processed_activities (channel_id, conversation_id, activity_id, created_at) VALUES (?, ?, ?, ?)', [
    'emulator', a.conversationId, 'act-1', T0.toISOString(),
  ]);
  // X: a conversation that never became a complaint, with a call-back request; it goes after 30 days
  log('conv-x', 'Ik wil eigenlijk alleen teruggebeld worden, mijn naam is Kees');
  await t.app.storage.write({ 'emulator/conversations/conv-x/': { draft: { name: 'Kees' } } });
  await t.app.complaints.requestCallback({ name: 'Kees Koster', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, { locale: 'nl', channel: 'emulator', conversationId: 'conv-x' }, 'x-cb');
  await t.app.transcripts.flush();

  t.clock.now = new Date('2028-11-24T09:00:00Z');
  await t.app.staff.service.changeStatus(SYSTEM, c.reference, 'formal', 'formeel');
  await t.app.staff.service.changeStatus(SYSTEM, c.reference, 'resolved', 'opgelost', { outcome: 'gegrond' });

  const purgeDay = new Date('2031-11-25T09:00:00Z'); // 5 years and a day after A was resolved
  // Y: a conversation without complaint that is still going on (last activity yesterday)
  t.clock.now = new Date(purgeDay.getTime() - 86_400_000);
  log('conv-y', 'Ik ben nog aan het typen');
  await t.app.storage.write({ 'emulator/conversations/conv-y/': { draft: {} } });
  await t.app.transcripts.flush();

  const before = {
    complaints: await count('SELECT count(*) AS n FROM complaints'),
    activities: await count('SELECT count(*) AS n FROM transcript_activities'),
    state: await count('SELECT count(*) AS n FROM bot_state'),
    callbacks: await count('SELECT count(*) AS n FROM callbacks'),
  };

  const dry = await cli(['purge', '--dry-run', '--json'], purgeDay);
  expect(dry.err).toBe('');
  expect(dry.code).toBe(0);
  const plan = PurgeReportSchema.parse(JSON.parse(dry.out));
  expect(plan).toEqual({ dryRun: true, complaints: [{ reference: a.reference, resolvedAt: T0.toISOString() }], conversations: 1, callbacks: 1 });
  expect({
    complaints: await count('SELECT count(*) AS n FROM complaints'),
    activities: await count('SELECT count(*) AS n FROM transcript_activities'),
    state: await count('SELECT count(*) AS n FROM bot_state'),
    callbacks: await count('SELECT count(*) AS n FROM callbacks'),
  }).toEqual(before);

  const human = await cli(['purge', '--dry-run'], purgeDay);
  expect(human.out).toContain(`would delete 1 complaint(s):\n  ${a.reference} (resolved 2026-11-24)`);
  expect((await cli(['purge'], purgeDay)).code).toBe(2);
  expect((await cli(['purge', '--dry-run', '--yes'], purgeDay)).code).toBe(2);

  const run = await cli(['purge', '--yes', '--json'], purgeDay);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.out)).toEqual({ dryRun: false, complaints: [{ reference: a.reference, resolvedAt: T0.toISOString() }], conversations: 1, callbacks: 1 });

  // A with everything of its conversation is gone
  expect(await t.app.complaints.getByReference(a.reference)).toBeUndefined();
  expect(await count('SELECT count(*) AS n FROM transcript_activities WHERE conversation_id = ?', [a.conversationId])).toBe(0);
  expect(await count('SELECT count(*) AS n FROM transcripts WHERE conversation_id = ?', [a.conversationId])).toBe(0);
  expect(await count("SELECT count(*) AS n FROM bot_state WHERE key LIKE ?", [`%${a.conversationId}%`])).toBe(0);
  expect(await count('SELECT count(*) AS n FROM processed_activities WHERE conversation_id = ?', [a.conversationId])).toBe(0);
  expect(await count('SELECT count(*) AS n FROM complaint_events')).toBe(2); // C's two changes, none of A's
  expect(await count('SELECT count(*) AS n FROM complaint_search')).toBe(await count('SELECT count(*) AS n FROM complaints'));
  const search = await request(t.base, 'GET', '/staff/api/complaints?q=kinderopvangtoeslag', { token: API_TOKEN });
  expect(search.json.items).toEqual([]);
  // X is gone, Y, B and C stay with their transcripts
  expect(await count("SELECT count(*) AS n FROM transcript_activities WHERE conversation_id = 'conv-x'")).toBe(0);
  expect(await count("SELECT count(*) AS n FROM bot_state WHERE key = 'emulator/conversations/conv-x/'")).toBe(0);
  expect(await count("SELECT count(*) AS n FROM callbacks WHERE conversation_id = 'conv-x'")).toBe(0);
  expect(await count("SELECT count(*) AS n FROM transcript_activities WHERE conversation_id = 'conv-y'")).toBe(1);
  expect(await count("SELECT count(*) AS n FROM bot_state WHERE key = 'emulator/conversations/conv-y/'")).toBe(1);
  for (const kept of [b, c]) {
    expect(await t.app.complaints.getByReference(kept.reference)).toBeDefined();
    expect(await count('SELECT count(*) AS n FROM transcript_activities WHERE conversation_id = ?', [kept.conversationId])).toBe(4);
  }

  // the audit log has the deletion: reference and date, and for other conversations only counts
  const audit = await t.app.staff.audit.list({ actor: 'cli:beheerder' });
  const purge = audit.items.find((e) => e.action === 'complaint.purge');
  expect(purge).toEqual({ id: expect.any(Number), at: purgeDay.toISOString(), actor: 'cli:beheerder', via: 'cli', action: 'complaint.purge', references: [a.reference], detail: {} });
  expect(audit.items.find((e) => e.action === 'conversation.purge')?.detail).toEqual({ conversations: 1, callbacks: 1 });
  expect(audit.items.filter((e) => e.action === 'retention.dry-run')).toHaveLength(2);
  expect(JSON.stringify(audit)).not.toMatch(/kinderopvangtoeslag|Kees|conv-x/);

  // a second run finds nothing more
  const again = await cli(['purge', '--yes', '--json'], purgeDay);
  expect(JSON.parse(again.out)).toEqual({ dryRun: false, complaints: [], conversations: 0, callbacks: 0 });
});
