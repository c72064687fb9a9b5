/**
 * Retention is enforced by the running server: the scheduled purge deletes what is past retention,
 * forgets old de-duplication marks, records itself in the audit log, and logs counts only.
 */
import { Writable } from 'stream';
import { createLogger } from '../../src/logger';
import { DEDUPE_KEEP_MS, Housekeeping } from '../../src/staff/housekeeping';
import { seedComplaint, startApp, type TestApp } from './helpers';
import { sqliteDb } from '../helpers/sqlite';

const T0 = new Date('2026-11-24T09:00:00Z');
const SYSTEM = { id: 'setup', via: 'system' as const };

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger('info', sink), lines };
}

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return (await sqliteDb(t.app).get<{ n: number }>(sql, params))!.n;
}

test('a scheduled run deletes a complaint past retention, keeps an open one, prunes old de-duplication marks, and logs counts only', async () => {
  t = await startApp({ RETENTION_PURGE_EVERY_HOURS: '0' }, T0);
  const due = await seedComplaint(t.app, { input: { story: 'Mevrouw Pieters van de balie heeft mij uitgescholden bij het stadhuis.' } });
  const open = await seedComplaint(t.app, { input: { story: 'Niemand belt terug over mijn aanvraag voor een parkeervergunning.' } });
  await t.app.staff.service.changeStatus(SYSTEM, due.reference, 'informal', 'intern');
  await t.app.staff.service.changeStatus(SYSTEM, due.reference, 'resolved', 'opgelost', { outcome: 'gegrond' });
  const mark = (id: string, at: Date) =>
    sqliteDb(t.app).write('INSERT INTO processed_activities (channel_id, conversation_id, activity_id, created_at) VALUES (?, ?, ?, ?)', [
      'emulator', open.conversationId, id, at.toISOString(),
    ]);
  const purgeDay = new Date('2031-11-25T09:00:00Z'); // 5 years and a day after resolving
  await mark('old', new Date(purgeDay.getTime() - DEDUPE_KEEP_MS - 60_000));
  await mark('recent', new Date(purgeDay.getTime() - 60_000));

  t.clock.now = purgeDay;
  const { log, lines } = capture();
  await new Housekeeping(t.app.staff.retention, t.app.dedupe, { everyHours: 24, log, clock: () => t.clock.now }).runOnce();

  expect(await count('SELECT count(*) AS n FROM complaints WHERE reference = ?', [due.reference])).toBe(0);
  expect(await count('SELECT count(*) AS n FROM complaints WHERE reference = ?', [open.reference])).toBe(1);
  expect((await sqliteDb(t.app).all<{ activity_id: string }>('SELECT activity_id FROM processed_activities')).map((r) => r.activity_id)).toEqual(['recent']);
  const audit = await t.app.staff.audit.list({});
  expect(audit.items.some((e) => e.actor === 'system:retention' && e.via === 'system' && e.action === 'complaint.purge' && e.references?.includes(due.reference))).toBe(true);
  const entry = JSON.parse(lines.find((l) => l.includes('retention.purged'))!);
  expect(entry).toMatchObject({ event: 'retention.purged', complaints: 1, dedupeMarks: 1 });
  expect(lines.join('')).not.toMatch(/Pieters|uitgescholden|KL-/);
});

test('start() runs the purge after the first delay; stop() ends the schedule; 0 hours never runs', async () => {
  t = await startApp({ RETENTION_PURGE_EVERY_HOURS: '0' }, T0);
  const { log, lines } = capture();
  const runs = () => lines.filter((l) => l.includes('retention.purged')).length;
  const off = new Housekeeping(t.app.staff.retention, t.app.dedupe, { everyHours: 0, log, firstRunDelayMs: 5 }).start();
  await new Promise((r) => setTimeout(r, 100));
  expect(runs()).toBe(0);
  await off.stop();

  const on = new Housekeeping(t.app.staff.retention, t.app.dedupe, { everyHours: 24, log, firstRunDelayMs: 5 }).start();
  for (let i = 0; i < 100 && runs() === 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(runs()).toBe(1);
  await on.stop();
  await new Promise((r) => setTimeout(r, 50));
  expect(runs()).toBe(1);
});

test('a failing purge is logged and does not throw; the server keeps running', async () => {
  t = await startApp({ RETENTION_PURGE_EVERY_HOURS: '0' }, T0);
  const { log, lines } = capture();
  const failing = { prune: async () => Promise.reject(new Error('disk I/O error')) };
  await expect(new Housekeeping(t.app.staff.retention, failing, { everyHours: 24, log }).runOnce()).resolves.toBeUndefined();
  expect(lines.some((l) => l.includes('retention.purgeFailed') && l.includes('disk I/O error'))).toBe(true);
  const res = await fetch(`${t.base}/healthz`);
  expect(res.status).toBe(200);
});

test('the app schedules the purge from RETENTION_PURGE_EVERY_HOURS (default every 24 hours)', async () => {
  t = await startApp({}, T0);
  expect(t.app.config.RETENTION_PURGE_EVERY_HOURS).toBe(24);
  expect(t.app.housekeeping.scheduled).toBe(true);
  await t.close();
  expect(t.app.housekeeping.scheduled).toBe(false);
  t = await startApp({ RETENTION_PURGE_EVERY_HOURS: '0' }, T0);
  expect(t.app.housekeeping.scheduled).toBe(false);
});
