/**
 * The staff command line on the database of a running app: list, show, transcript, audit and token,
 * with the documented --json contract and audited reads.
 */
import { mkdtempSync, existsSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { main } from '../../src/staff/cli';
import { hashToken, parseApiTokens } from '../../src/staff/auth';
import { AuditEntrySchema, ComplaintDetailSchema, ComplaintListSchema } from '../../src/staff/schemas';
import { runCli, seedComplaint, startApp, type TestApp } from './helpers';

let t: TestApp;
let ref1: string;
let ref2: string;

const cli = (args: string[]) => runCli(t.dbFile, args, { now: new Date('2026-11-24T12:00:00Z'), user: 'medewerker1' });

beforeAll(async () => {
  t = await startApp({}, new Date('2026-11-20T09:00:00Z'));
  ref1 = (await seedComplaint(t.app, { input: { story: 'Mijn aanvraag voor een parkeervergunning is drie keer kwijtgeraakt.' } })).reference;
  t.clock.now = new Date('2026-11-23T09:00:00Z');
  ref2 = (await seedComplaint(t.app, { input: { story: 'Ik kreeg verkeerde informatie over de afvalpas aan de balie.', route: 'complaint' } })).reference;
  await t.app.staff.service.changeStatus({ id: 'setup', via: 'system' }, ref2, 'formal', 'hoorzitting plannen');
});

afterAll(async () => {
  await t.close();
});

test('list --json: the documented shape, newest first; --status filters', async () => {
  const all = await cli(['list', '--json']);
  expect(all.code).toBe(0);
  const parsed = ComplaintListSchema.parse(JSON.parse(all.out));
  expect(parsed.items.map((c) => c.reference)).toEqual([ref2, ref1]);
  expect(Object.keys(parsed.items[0]).sort()).toEqual(
    [
      'channel', 'contact', 'createdAt', 'deadlines', 'excerpt', 'locale', 'reference', 'resolvedAt', 'route', 'status', 'updatedAt',
      'version', 'assignee', 'department', 'handler', 'category', 'outcome', 'intakeChannel', 'receivedAt', 'deadline',
    ].sort(),
  );
  const formal = ComplaintListSchema.parse(JSON.parse((await cli(['list', '--status', 'formal', '--json'])).out));
  expect(formal.items.map((c) => c.reference)).toEqual([ref2]);
  const text = await cli(['list']);
  expect(text.out).toContain(ref1);
  expect(text.out).toContain('parkeervergunning');
  expect(text.out).toMatch(new RegExp(`${ref2}  2026-11-23  formeel`));
});

test('show: fields, history and transcript; --json is the API detail shape', async () => {
  const json = await cli(['show', ref2, '--json']);
  expect(json.code).toBe(0);
  const detail = ComplaintDetailSchema.parse(JSON.parse(json.out));
  expect(detail).toMatchObject({ reference: ref2, status: 'formal', history: [{ actor: 'setup', from: 'received', to: 'formal', note: 'hoorzitting plannen' }] });
  expect(detail.transcript).toHaveLength(4);
  const text = await cli(['show', ref2.toLowerCase()]);
  expect(text.out).toContain(`Klacht ${ref2} (formeel)`);
  expect(text.out).toContain('verhaal:            Ik kreeg verkeerde informatie over de afvalpas aan de balie.');
  expect(text.out).toMatch(/Inwoner: Ik wil een klacht indienen[\s\S]*Bot: Antwoord 1 van de bot/);
  // Amsterdam times and Dutch labels, not UTC instants and codes
  expect(text.out).toContain('Ontvangen:          23-11-2026 10:00 (Chat op de website)');
  expect(text.out).toMatch(/23-11-2026 10:00 {2}setup {2}Status: Ontvangen -> Formeel in behandeling — hoorzitting plannen/);
  expect(text.out).toMatch(/ {2}\d{2}-\d{2}-\d{4} \d{2}:\d{2} {2}Inwoner: Ik wil een klacht indienen/);
  expect(text.out).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
});

test('transcript: the .transcript JSON on stdout', async () => {
  const res = await cli(['transcript', ref1]);
  expect(res.code).toBe(0);
  const activities = JSON.parse(res.out);
  expect(activities.map((a: { from: { role: string } }) => a.from.role)).toEqual(['user', 'bot', 'user', 'bot']);
  expect(activities[0]).toMatchObject({ type: 'message', channelId: 'emulator', text: 'Ik wil een klacht indienen' });
});

test('wrong use exits 2, an unknown reference 1, and nothing is printed on stdout then', async () => {
  for (const args of [[], ['frobnicate'], ['list', '--status', 'lost'], ['show'], ['show', 'nonsense'], ['list', '--bogus']]) {
    const res = await cli(args);
    expect([args, res.code]).toEqual([args, 2]);
    expect(res.out).toBe('');
    expect(res.err).toContain('Usage: npm run --silent staff');
  }
  const missing = await cli(['show', 'KL-2026-ZZZZZZ']);
  expect(missing.code).toBe(1);
  expect(missing.err).toContain('not_found');
});

test('reads through the CLI are audited as cli:<user>, and audit --json lists them', async () => {
  const res = await cli(['audit', '--reference', ref1, '--json']);
  expect(res.code).toBe(0);
  const entries = (JSON.parse(res.out).items as unknown[]).map((e) => AuditEntrySchema.parse(e));
  expect(entries.filter((e) => e.actor === 'cli:medewerker1').map((e) => e.action)).toEqual(
    expect.arrayContaining(['transcript.read', 'complaint.list']),
  );
  expect(entries.every((e) => e.references.includes(ref1))).toBe(true);
  const reads = await t.app.staff.audit.list({ reference: ref2, actor: 'cli:medewerker1' });
  expect(reads.items.map((e) => e.action)).toEqual(expect.arrayContaining(['complaint.read', 'complaint.list']));
  expect(reads.items.every((e) => e.via === 'cli')).toBe(true);
});

test('token: prints a new token once and the hash entry for STAFF_API_TOKENS', async () => {
  const res = await cli(['token', 'teamleider']);
  expect(res.code).toBe(0);
  const token = /token \(.*\): (\S+)/.exec(res.out)![1];
  const entry = /STAFF_API_TOKENS entry: (\S+)/.exec(res.out)![1];
  const [parsed] = parseApiTokens(entry);
  expect(parsed.name).toBe('teamleider');
  expect(parsed.hash.equals(hashToken(token))).toBe(true);
  expect(entry).not.toContain(token);
});

async function cliWith(env: Record<string, string>, args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (x) => (out += `${x}\n`), err: (x) => (err += `${x}\n`), env: { LOG_LEVEL: 'silent', ...env }, user: 'medewerker1' });
  return { code, out, err };
}

test('a mistyped DATABASE_URL is wrong use (exit 2, Dutch message), never a new empty database', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-cli-'));
  try {
    const missing = path.join(dir, 'typo', 'complants.db');
    const res = await cliWith({ DATABASE_URL: `sqlite:${missing}` }, ['list']);
    expect(res).toEqual({ code: 2, out: '', err: expect.stringMatching(/^De database sqlite:.*complants\.db bestaat niet\. Kijk DATABASE_URL na/) });
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(path.dirname(missing))).toBe(false);
    const scheme = await cliWith({ DATABASE_URL: 'mysql://localhost/klachten' }, ['list']);
    expect(scheme.code).toBe(2);
    expect(scheme.out).toBe('');
    expect(scheme.err).toMatch(/DATABASE_URL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('handling from the command line: note, assign, status with outcome, reopen, extend, call-back outcome; audited as cli', async () => {
  const ref = (await seedComplaint(t.app, { input: { story: 'De gemeente belde mij niet terug over mijn uitkering.' } })).reference;
  const note = await cli(['note', ref, '--text', 'Gebeld, geen gehoor']);
  expect(note).toMatchObject({ code: 0, out: `Klaar: ${ref} is nu versie 2.\n` });
  expect((await cli(['assign', ref, '--assignee', 'medewerker1', '--department', 'Sociaal Domein'])).code).toBe(0);
  expect((await cli(['status', ref, 'formal', '--note', 'formeel'])).code).toBe(0);
  const noOutcome = await cli(['status', ref, 'resolved', '--note', 'klaar']);
  expect(noOutcome.code).toBe(2);
  expect(noOutcome.err).toMatch(/outcome_required: Kies de uitkomst/);
  const resolved = await cli(['status', ref, 'resolved', '--note', 'klaar', '--outcome', 'gegrond', '--category', 'bereikbaarheid', '--json']);
  expect(resolved.code).toBe(0);
  expect(ComplaintDetailSchema.parse(JSON.parse(resolved.out))).toMatchObject({ status: 'resolved', outcome: 'gegrond', category: 'bereikbaarheid', assignee: 'medewerker1', department: 'Sociaal Domein' });
  expect((await cli(['reopen', ref, '--reason', 'Inwoner belde opnieuw'])).code).toBe(0);
  expect((await cli(['extend', ref, '--note', 'hoorzitting'])).code).toBe(0);
  const shown = await cli(['show', ref]);
  expect(shown.out).toContain('Notitie — Gebeld, geen gehoor');
  expect(shown.out).toContain('Heropend: Afgehandeld -> Formeel in behandeling — Inwoner belde opnieuw');
  expect(shown.out).toContain('Termijn verlengd — hoorzitting');
  expect(shown.out).toContain('Afdeling:           Sociaal Domein');
  expect((await cli(['status', ref, 'sideways', '--note', 'x'])).code).toBe(2);
  expect((await cli(['note', ref])).code).toBe(2);

  const cb = await t.app.store.callbacks.file({
    request: { name: 'Jan Jansen', phone: '+31612345678', date: '2026-11-25', partOfDay: 'morning' },
    origin: { locale: 'nl', channel: 'emulator', conversationId: 'cli-cb' },
    idempotencyKey: 'cli-cb',
  });
  expect((await cli(['callback', String(cb.id), 'not_reached', '--note', 'geen gehoor'])).out).toContain('Niet bereikt');
  expect((await cli(['callback', String(cb.id), 'rescheduled', '--date', '2026-11-27', '--part', 'afternoon'])).code).toBe(0);
  expect(await t.app.store.callbacks.get(cb.id)).toMatchObject({ date: '2026-11-27', partOfDay: 'afternoon', status: 'open' });
  expect((await cli(['callback', String(cb.id), 'reached'])).code).toBe(0);
  expect((await t.app.store.callbacks.get(cb.id))!.status).toBe('done');
  expect((await cli(['callback', String(cb.id), 'reached'])).code).toBe(1);

  const audit = await t.app.staff.audit.list({ reference: ref, actor: 'cli:medewerker1' });
  expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['complaint.note', 'complaint.assign', 'complaint.status', 'complaint.reopen', 'complaint.extend']));
  expect(audit.items.every((e) => e.via === 'cli')).toBe(true);
});
