/**
 * Contract: the outbox repository (src/store/types.ts, OutboxRepository) on both backends: enqueue once
 * per (subject, target), claims with a lease that only one owner gets, the owner-only writes, retry,
 * lists, counts, and retention of outbox rows.
 */
import { AuditLog } from '../../../src/staff/audit';
import { Retention } from '../../../src/staff/retention';
import { describeStores, START } from './backends';
import { input, origin } from './fixtures';

const MIN = 60_000;
const iso = (ms: number) => new Date(START.getTime() + ms).toISOString();
const claimReq = (owner: string, atMs: number, extra: Partial<{ limit: number; leaseMs: number }> = {}) => ({
  owner,
  now: iso(atMs),
  leaseMs: extra.leaseMs ?? 2 * MIN,
  limit: extra.limit ?? 10,
  targets: ['mail.citizen', 'zgw'] as const,
});

describeStores('outbox', (ctx) => {
  test('enqueue stores one row per subject and target; a repeat keeps the first row', async () => {
    const s = ctx.store;
    const subject = { kind: 'complaint' as const, reference: 'KL-2026-AAAAAA' };
    const first = await s.outbox.enqueue([
      { subject, target: 'mail.citizen' },
      { subject, target: 'zgw' },
    ]);
    expect(first.map((d) => [d.target, d.status, d.attempts, d.nextAttemptAt])).toEqual([
      ['mail.citizen', 'pending', 0, START.toISOString()],
      ['zgw', 'pending', 0, START.toISOString()],
    ]);
    expect(first[0]).toMatchObject({ subject, state: {}, lastError: null, sentAt: null, retryFrom: START.toISOString() });
    const again = await s.outbox.enqueue([{ subject, target: 'zgw' }]);
    expect(again[0].id).toBe(first[1].id);
    expect((await s.outbox.counts()).pending).toBe(2);
    // inside a transaction that rolls back nothing stays
    await expect(
      s.transaction(async (tx) => {
        await s.outbox.enqueue([{ subject: { kind: 'digest', day: '2026-11-24' }, target: 'mail.digest' }], tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await s.outbox.listBySubjects([{ kind: 'digest', day: '2026-11-24' }])).toEqual([]);
  });

  test('a claim is the owner\'s alone until its lease runs out; then the row is due again, with its saved state', async () => {
    const s = ctx.store;
    const [row] = await s.outbox.enqueue([{ subject: { kind: 'complaint', reference: 'KL-2026-BBBBBB' }, target: 'zgw' }]);
    const a = await s.outbox.claim(claimReq('a', 0));
    expect(a.map((d) => [d.id, d.status, d.attempts])).toEqual([[row.id, 'sending', 1]]);
    expect(await s.outbox.claim(claimReq('b', 1000))).toEqual([]);
    expect(await s.outbox.saveState(row.id, 'a', { zaak: 'http://zaken/1' }, iso(1000))).toBe(true);
    expect(await s.outbox.saveState(row.id, 'a', { document: 'http://documenten/2' }, iso(1000))).toBe(true);
    expect(await s.outbox.saveState(row.id, 'b', { zaak: 'x' }, iso(1000))).toBe(false);
    // 'a' died: after the lease another owner gets it, with what 'a' saved
    const b = await s.outbox.claim(claimReq('b', 2 * MIN));
    expect(b.map((d) => [d.id, d.attempts, d.state])).toEqual([[row.id, 2, { zaak: 'http://zaken/1', document: 'http://documenten/2' }]]);
    expect(await s.outbox.markSent(row.id, 'a', iso(2 * MIN))).toBe(false); // the lease is no longer a's
    expect(await s.outbox.markSent(row.id, 'b', iso(2 * MIN + 1))).toBe(true);
    const sent = await s.outbox.get(row.id);
    expect(sent).toMatchObject({ status: 'sent', sentAt: iso(2 * MIN + 1), nextAttemptAt: null, attempts: 2 });
    expect(await s.outbox.claim(claimReq('c', 60 * MIN))).toEqual([]);
  });

  test('retry, failure, disabled targets, the staff retry, lists and counts', async () => {
    const s = ctx.store;
    const complaint = { kind: 'complaint' as const, reference: 'KL-2026-CCCCCC' };
    const letter = { kind: 'letter' as const, reference: 'KL-2026-CCCCCC', letterId: 7 };
    const callback = { kind: 'callback' as const, reference: 'TB-2026-CCCCCC', id: 3 };
    const [zgw, mail, officers, letterMail] = await s.outbox.enqueue([
      { subject: complaint, target: 'zgw' },
      { subject: complaint, target: 'mail.citizen' },
      { subject: callback, target: 'mail.officers' },
      { subject: letter, target: 'mail.letter', dueAt: iso(10 * MIN) },
    ]);
    expect(await s.outbox.nextDue(['mail.letter'])).toBe(iso(10 * MIN));
    const claimed = await s.outbox.claim(claimReq('w', 0, { limit: 1 }));
    expect(claimed.map((d) => d.id)).toEqual([zgw.id]);
    expect(await s.outbox.markRetry(zgw.id, 'w', iso(5 * MIN), 'HTTP 503', iso(1000))).toBe(true);
    expect(await s.outbox.get(zgw.id)).toMatchObject({ status: 'pending', nextAttemptAt: iso(5 * MIN), lastError: 'HTTP 503' });
    expect((await s.outbox.claim(claimReq('w', 1000))).map((d) => d.id)).toEqual([mail.id]); // zgw not due yet
    expect(await s.outbox.markFailed(mail.id, 'w', 'SMTP 550', iso(2000))).toBe(true);
    expect(await s.outbox.failedSince(iso(0))).toEqual([expect.objectContaining({ id: mail.id, status: 'failed', lastError: 'SMTP 550' })]);
    expect(await s.outbox.failedSince(iso(3000))).toEqual([]);

    // targets without a plugin: flagged, still pending, never claimed
    expect(await s.outbox.flagDisabled(['zgw', 'mail.citizen'], 'plugin not enabled', iso(3000))).toBe(2);
    expect(await s.outbox.flagDisabled(['zgw', 'mail.citizen'], 'plugin not enabled', iso(3000))).toBe(0);
    expect(await s.outbox.get(officers.id)).toMatchObject({ status: 'pending', lastError: 'plugin not enabled' });

    // staff retry: failed -> pending, due now, new window; a sent row stays sent
    const retried = await s.outbox.retry(mail.id, iso(60 * MIN));
    expect(retried).toMatchObject({ status: 'pending', nextAttemptAt: iso(60 * MIN), retryFrom: iso(60 * MIN), lastError: 'SMTP 550' });
    expect(await s.outbox.retry(99999, iso(0))).toBeUndefined();

    expect((await s.outbox.listByReference('KL-2026-CCCCCC')).map((d) => d.id)).toEqual([letterMail.id, mail.id, zgw.id]);
    expect((await s.outbox.listBySubjects([callback, letter])).map((d) => d.id)).toEqual([letterMail.id, officers.id]);
    expect((await s.outbox.listByStatus('pending', 10)).map((d) => d.id)).toEqual([letterMail.id, officers.id, mail.id, zgw.id]);
    expect(await s.outbox.counts()).toEqual({ pending: 4, sending: 0, sent: 0, failed: 0 });
  });

  test('a claim of a target that was turned off, whose worker died, is pending again once its lease ran out', async () => {
    const s = ctx.store;
    const [lost] = await s.outbox.enqueue([{ subject: { kind: 'complaint', reference: 'KL-2026-DDDDDD' }, target: 'klantinteracties' }]);
    await s.outbox.claim({ ...claimReq('old', 0), targets: ['klantinteracties'] });
    expect(await s.outbox.flagDisabled(['zgw'], 'plugin not enabled', iso(1000))).toBe(0); // leased still
    expect(await s.outbox.flagDisabled(['zgw'], 'plugin not enabled', iso(2 * MIN))).toBe(1);
    expect(await s.outbox.get(lost.id)).toMatchObject({ status: 'pending', nextAttemptAt: iso(2 * MIN), lastError: 'plugin not enabled', attempts: 1 });
    expect(await s.outbox.claim({ ...claimReq('new', 2 * MIN), targets: ['klantinteracties'] })).toHaveLength(1);
  });

  test('claims by many owners at once: every row goes to exactly one', async () => {
    const s = ctx.store;
    const other = await ctx.openAnother();
    const rows = Array.from({ length: 40 }, (_, i) => ({ subject: { kind: 'complaint' as const, reference: `KL-2026-X${String(i).padStart(5, '0')}` }, target: 'zgw' as const }));
    await s.outbox.enqueue(rows);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? other : s).outbox.claim(claimReq(`w${i}`, 1000, { limit: 7 }))),
    );
    const ids = results.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    // what is left is claimed by a last round; together every row exactly once
    const rest = await s.outbox.claim(claimReq('last', 1000, { limit: 100 }));
    expect(ids.length + rest.length).toBe(40);
  });

  test('retention: a complaint\'s rows go with it, a call-back\'s with the call-back request, digest rows after the period', async () => {
    const s = ctx.store;
    const retention = new Retention(s, new AuditLog(s.audit, () => ctx.now), { resolvedYears: 1, abandonedDays: 30 }, () => ctx.now);
    const cb = await s.callbacks.file({ request: { name: 'Kees Koster', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'k' }, idempotencyKey: 'k' });
    const filed = await s.complaints.file({ input, origin: { ...origin, conversationId: 'k' }, idempotencyKey: 'k', callbackId: cb.id });
    await s.callbacks.linkComplaint(cb.id, filed.reference);
    const loose = await s.callbacks.file({ request: { name: 'Piet Poster', phone: '0612345679', date: '2026-11-26', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'loose' }, idempotencyKey: 'l' });
    const other = await s.complaints.file({ input, origin: { ...origin, conversationId: 'o' }, idempotencyKey: 'o' });
    await s.outbox.enqueue([
      { subject: { kind: 'complaint', reference: filed.reference }, target: 'zgw' },
      { subject: { kind: 'letter', reference: filed.reference, letterId: 1 }, target: 'mail.letter' },
      { subject: { kind: 'callback', reference: cb.reference, id: cb.id }, target: 'mail.officers' },
      { subject: { kind: 'callback', reference: loose.reference, id: loose.id }, target: 'mail.officers' },
      { subject: { kind: 'complaint', reference: other.reference }, target: 'zgw' },
      { subject: { kind: 'digest', day: '2026-11-24' }, target: 'mail.digest' },
    ]);
    const h = (await s.staff.getHandling(filed.reference))!;
    await s.staff.changeStatus({ id: h.id, from: 'received', to: 'resolved', actor: 'x', note: '', at: START.toISOString() });
    ctx.now = new Date(START.getTime() + 40 * 86_400_000);
    await retention.purge({ id: 'system:test', via: 'system' }, { dryRun: false });
    // the loose call-back request and the digest row went; the complaint is not due yet
    expect((await s.outbox.listBySubjects([{ kind: 'callback', reference: loose.reference, id: loose.id }, { kind: 'digest', day: '2026-11-24' }]))).toEqual([]);
    expect(await s.outbox.listByReference(filed.reference)).toHaveLength(2);
    ctx.now = new Date(START.getTime() + 400 * 86_400_000);
    const report = await retention.purge({ id: 'system:test', via: 'system' }, { dryRun: false });
    expect(report.complaints.map((c) => c.reference)).toEqual([filed.reference]);
    expect(await s.outbox.listByReference(filed.reference)).toEqual([]);
    expect(await s.outbox.listBySubjects([{ kind: 'callback', reference: cb.reference, id: cb.id }])).toEqual([]);
    expect(await s.outbox.listByReference(other.reference)).toHaveLength(1);
  });
});
