/**
 * Contract: the handling module (issue 14) on both backends — version, assignment and outcome fields,
 * the timeline, documents, intake, call-back attempts, list filters, counts, due soon, search on contact
 * keys, locking across instances and retention.
 */
import { searchQueryWords } from '../../../src/store/search';
import type { Store } from '../../../src/store/types';
import { describeStores, START, type Ctx } from './backends';
import { input, origin } from './fixtures';

async function file(ctx: Ctx, conversationId: string, extra: Partial<typeof input> = {}, at?: Date): Promise<{ reference: string; id: number }> {
  if (at) ctx.now = at;
  const { reference } = await ctx.store.complaints.file({ input: { ...input, ...extra }, origin: { ...origin, conversationId }, idempotencyKey: conversationId });
  const c = await ctx.store.complaints.getByReference(reference);
  return { reference, id: c!.id };
}

const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000).toISOString();
const refs = async (store: Store, q: string) => (await store.staff.list({ search: searchQueryWords(q), limit: 20 })).map((r) => r.reference);

describeStores('handling', (ctx) => {
  test('a filed complaint starts at version 1, chat intake, received when created; apply changes fields, status and timeline under its version', async () => {
    const c = await file(ctx, 'a');
    const s0 = (await ctx.store.handling.get(c.reference))!;
    expect(s0).toMatchObject({ id: c.id, version: 1, intakeChannel: 'chat', receivedAt: START.toISOString(), assignee: null, outcome: null, status: 'received' });
    const v2 = await ctx.store.handling.apply({
      id: c.id,
      expectedVersion: 1,
      at: at(1),
      actor: 'a.devries',
      set: { assignee: 'a.devries', department: 'Publiekszaken', handler: 'h.jansen' },
      event: { kind: 'assignment', data: { assignee: 'a.devries' } },
    });
    expect(v2).toBe(2);
    expect(await ctx.store.handling.apply({ id: c.id, expectedVersion: 1, at: at(2), actor: 'b', event: { kind: 'note', note: 'te laat' } })).toBeUndefined();
    const v3 = await ctx.store.handling.apply({
      id: c.id,
      expectedVersion: 2,
      at: at(3),
      actor: 'a.devries',
      status: 'resolved',
      set: { outcome: 'gegrond', category: 'bejegening' },
      event: { kind: 'status', from: 'received', to: 'resolved', note: 'klaar', data: { outcome: 'gegrond' } },
    });
    expect(v3).toBe(3);
    const s3 = (await ctx.store.handling.get(c.reference))!;
    expect(s3).toMatchObject({ version: 3, status: 'resolved', outcome: 'gegrond', category: 'bejegening', assignee: 'a.devries', department: 'Publiekszaken', handler: 'h.jansen', resolvedAt: at(3), updatedAt: at(3) });
    // leaving resolved clears resolved_at
    await ctx.store.handling.apply({ id: c.id, expectedVersion: 3, at: at(4), actor: 'a', status: 'formal', set: { outcome: null }, event: { kind: 'reopen', from: 'resolved', to: 'formal', note: 'opnieuw' } });
    expect(await ctx.store.handling.get(c.reference)).toMatchObject({ version: 4, status: 'formal', outcome: null, resolvedAt: null });
    const timeline = await ctx.store.handling.timeline(c.id);
    expect(timeline.map((e) => [e.kind, e.actor, e.at, e.note])).toEqual([
      ['assignment', 'a.devries', at(1), ''],
      ['status', 'a.devries', at(3), 'klaar'],
      ['reopen', 'a', at(4), 'opnieuw'],
    ]);
    expect(timeline[0].data).toEqual({ assignee: 'a.devries' });
    expect(timeline[1]).toMatchObject({ from: 'received', to: 'resolved', data: { outcome: 'gegrond' } });
    // the status history stays status and extension only
    expect((await ctx.store.staff.history(c.id)).map((h) => h.kind)).toEqual(['status']);
    // an apply without event (the caller wrote its own) still counts the version
    expect(await ctx.store.handling.apply({ id: c.id, expectedVersion: 4, at: at(5), actor: 'a' })).toBe(5);
  });

  test('documents: metadata listed without bytes, bytes read back exactly', async () => {
    const c = await file(ctx, 'doc');
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const meta = await ctx.store.handling.addDocument({ complaintId: c.id, filename: 'brief.pdf', contentType: 'application/pdf', description: 'brief', content: bytes, createdBy: 'a', at: at(1) });
    expect(meta).toMatchObject({ id: expect.any(Number), size: 7, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), filename: 'brief.pdf' });
    expect(await ctx.store.handling.documents(c.id)).toEqual([meta]);
    const back = await ctx.store.handling.document(c.id, meta.id);
    expect(back?.content.equals(bytes)).toBe(true);
    expect(await ctx.store.handling.document(c.id + 1000, meta.id)).toBeUndefined();
  });

  test('intake, list filters and summary fields, count, dueSoon groups ordered by receipt', async () => {
    const a = await file(ctx, 'a', {}, new Date('2026-11-01T10:00:00.000Z'));
    const b = await file(ctx, 'b', {}, new Date('2026-11-10T10:00:00.000Z'));
    const m = await file(ctx, 'm', {}, new Date('2026-11-20T10:00:00.000Z'));
    await ctx.store.handling.setIntake(m.id, { channel: 'letter', receivedAt: '2026-10-30T08:00:00.000Z' });
    await ctx.store.handling.apply({ id: b.id, expectedVersion: 1, at: at(1), actor: 'x', status: 'informal', set: { assignee: 'a.devries', department: 'Wonen' }, event: { kind: 'status', from: 'received', to: 'informal' } });
    const list = await ctx.store.staff.list({ limit: 10 });
    expect(list.map((r) => r.reference)).toEqual([m.reference, b.reference, a.reference]);
    expect(list[0]).toMatchObject({ intakeChannel: 'letter', receivedAt: '2026-10-30T08:00:00.000Z', version: 1 });
    expect(list[1]).toMatchObject({ assignee: 'a.devries', department: 'Wonen', version: 2, status: 'informal' });
    expect((await ctx.store.staff.list({ assignee: 'a.devries', limit: 10 })).map((r) => r.id)).toEqual([b.id]);
    expect((await ctx.store.staff.list({ department: 'Wonen', limit: 10 })).map((r) => r.id)).toEqual([b.id]);
    expect((await ctx.store.staff.list({ intakeChannel: 'letter', limit: 10 })).map((r) => r.id)).toEqual([m.id]);
    expect((await ctx.store.staff.list({ handler: 'nobody', limit: 10 })).map((r) => r.id)).toEqual([]);
    expect(await ctx.store.staff.count({})).toBe(3);
    expect(await ctx.store.staff.count({ status: 'received' })).toBe(2);
    expect(await ctx.store.staff.count({ assignee: 'a.devries', open: true })).toBe(1);
    // overdue counts from received_at: m was received before a
    const cut = { overdue: true, contact: '2026-10-31T00:00:00.000Z', decide: '2000-01-01T00:00:00.000Z', decideExtended: '2000-01-01T00:00:00.000Z' };
    expect((await ctx.store.staff.list({ overdue: cut, limit: 10 })).map((r) => r.id)).toEqual([m.id]);
    expect((await ctx.store.staff.dueSoon('received', { limit: 10 })).map((r) => r.id)).toEqual([m.id, a.id]);
    expect((await ctx.store.staff.dueSoon('decide', { limit: 10 })).map((r) => r.id)).toEqual([b.id]);
    expect(await ctx.store.staff.dueSoon('extended', { limit: 10 })).toEqual([]);
    // extended: its own group; count of overdue is the list's count, by each group's cut-off
    const e = await file(ctx, 'e', {}, new Date('2026-09-01T10:00:00.000Z'));
    await ctx.store.handling.apply({ id: e.id, expectedVersion: 1, at: at(2), actor: 'x', status: 'formal', event: { kind: 'status', from: 'received', to: 'formal' } });
    await ctx.store.staff.extend({ id: e.id, actor: 'x', note: 'verdaagd', at: at(3) });
    expect((await ctx.store.staff.dueSoon('extended', { limit: 10 })).map((r) => r.id)).toEqual([e.id]);
    expect((await ctx.store.staff.dueSoon('decide', { limit: 10 })).map((r) => r.id)).toEqual([b.id]);
    for (const cutoffs of [
      cut,
      { overdue: true, contact: '2026-12-01T00:00:00.000Z', decide: '2026-11-15T00:00:00.000Z', decideExtended: '2026-09-02T00:00:00.000Z' },
      { overdue: true, contact: '2026-11-05T00:00:00.000Z', decide: '2026-11-05T00:00:00.000Z', decideExtended: '2026-08-01T00:00:00.000Z' },
    ]) {
      const listed = await ctx.store.staff.list({ overdue: cutoffs, limit: 100 });
      expect(await ctx.store.staff.count({ overdue: cutoffs })).toBe(listed.length);
    }
    expect(await ctx.store.staff.count({ overdue: { overdue: true, contact: '2026-12-01T00:00:00.000Z', decide: '2026-11-15T00:00:00.000Z', decideExtended: '2026-09-02T00:00:00.000Z' } })).toBe(4);
  });

  test('search: contact keys (E.164 digits, postcode without space, the reference code) and the last word as prefix', async () => {
    const a = await file(ctx, 'a', { story: 'Ik moest heel lang wachten aan de balie.', contact: { ...input.contact, phone: '0687654321', postcode: '1185 XE' } });
    const b = await file(ctx, 'b', { story: 'De website werkte niet bij het aanvragen.', contact: { ...input.contact, phone: '0611112222', postcode: '1181AA' } });
    expect(await refs(ctx.store, '+31687654321')).toEqual([a.reference]);
    expect(await refs(ctx.store, '06-87654321')).toEqual([a.reference]);
    expect(await refs(ctx.store, '0611112222')).toEqual([b.reference]);
    expect(await refs(ctx.store, '1185 xe')).toEqual([a.reference]);
    expect(await refs(ctx.store, '1181AA')).toEqual([b.reference]);
    expect(await refs(ctx.store, a.reference.slice(8))).toEqual([a.reference]);
    expect(await refs(ctx.store, 'wacht')).toEqual([a.reference]);
    expect(await refs(ctx.store, 'aanvrag')).toEqual([b.reference]);
  });

  test('call-back attempts: counted, the last one and the done note; rescheduling moves the slot', async () => {
    const cb = await ctx.store.callbacks.file({ request: { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' }, origin, idempotencyKey: 'cb' });
    const none = await ctx.store.handling.callbackAttempts([cb.id]);
    expect(none.get(cb.id)).toEqual({ callbackId: cb.id, attempts: 0, lastOutcome: null, lastNote: null, lastAt: null, lastBy: null, doneNote: null });
    await ctx.store.handling.recordCallbackAttempt({ callbackId: cb.id, at: at(1), actor: 'a', outcome: 'not_reached', note: 'geen gehoor' });
    await ctx.store.handling.recordCallbackAttempt({ callbackId: cb.id, at: at(2), actor: 'a', outcome: 'rescheduled', note: null, date: '2026-11-27', partOfDay: 'afternoon' });
    expect(await ctx.store.callbacks.get(cb.id)).toMatchObject({ date: '2026-11-27', partOfDay: 'afternoon' });
    await ctx.store.callbacks.markDone(cb.id, 'a', at(3), 'gesproken');
    expect((await ctx.store.handling.callbackAttempts([cb.id])).get(cb.id)).toEqual({
      callbackId: cb.id,
      attempts: 2,
      lastOutcome: 'rescheduled',
      lastNote: null,
      lastAt: at(2),
      lastBy: 'a',
      doneNote: 'gesproken',
    });
  });

  test('get inside a transaction locks the complaint: two instances changing one version, one wins', async () => {
    const c = await file(ctx, 'lock');
    const other = await ctx.openAnother();
    const change = (store: Store, note: string) =>
      store.transaction(async (tx) => {
        const s = (await store.handling.get(c.reference, tx))!;
        await new Promise((r) => setTimeout(r, 30));
        if (s.version !== 1) return 'stale';
        return (await store.handling.apply({ id: s.id, expectedVersion: s.version, at: at(1), actor: note, event: { kind: 'note', note } }, tx)) ? 'ok' : 'stale';
      });
    const results = await Promise.all([change(ctx.store, 'one'), change(other, 'two')]);
    expect(results.sort()).toEqual(['ok', 'stale']);
    expect((await ctx.store.handling.get(c.reference))!.version).toBe(2);
    expect(await ctx.store.handling.timeline(c.id)).toHaveLength(1);
  });

  test('retention: purging a complaint removes its documents and its call-back attempts', async () => {
    const cb = await ctx.store.callbacks.file({ request: { name: 'Jan Jansen', phone: '0612345678', date: '2026-11-25', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'p' }, idempotencyKey: 'cb-p' });
    const { reference } = await ctx.store.complaints.file({ input, origin: { ...origin, conversationId: 'p' }, idempotencyKey: 'p', callbackId: cb.id });
    await ctx.store.callbacks.linkComplaint(cb.id, reference);
    const s = (await ctx.store.handling.get(reference))!;
    await ctx.store.handling.addDocument({ complaintId: s.id, filename: 'a.txt', contentType: 'text/plain', description: null, content: Buffer.from('x'), createdBy: 'a', at: at(1) });
    await ctx.store.handling.recordCallbackAttempt({ callbackId: cb.id, at: at(1), actor: 'a', outcome: 'not_reached', note: null });
    const handling = ctx.store.retention.participants().find((p) => p.name === 'handling')!;
    const n = await ctx.store.transaction((tx) => handling.purgeComplaint({ id: s.id, reference }, tx));
    expect(n).toBe(2);
    expect(await ctx.store.handling.documents(s.id)).toEqual([]);
    expect((await ctx.store.handling.callbackAttempts([cb.id])).get(cb.id)!.attempts).toBe(0);
  });
});
