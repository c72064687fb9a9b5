/**
 * Contract: the annual report's aggregates (ReportRepository), the referral counters
 * (ReferralRepository) and the letters (LetterRepository, purged with their complaint), identical on
 * both backends.
 */
import type { Status } from '../../../src/domain/complaint';
import type { HandlingFields, IntakeChannel } from '../../../src/store/types';
import { describeStores, type Ctx } from './backends';
import { input, origin } from './fixtures';

interface Seed {
  key: string;
  channel?: string;
  intake?: { channel: IntakeChannel; receivedAt: string };
  set?: Partial<HandlingFields>;
  /** status changes in order, each at an instant */
  steps?: [Status, string][];
  extendAt?: string;
}

async function seed(ctx: Ctx, s: Seed): Promise<{ id: number; reference: string }> {
  const store = ctx.store;
  const { reference } = await store.complaints.file({
    input: { ...input, contact: { ...input.contact, email: `${s.key}@example.org` } },
    origin: { ...origin, channel: s.channel ?? 'test', conversationId: s.key },
    idempotencyKey: s.key,
  });
  const c = (await store.complaints.getByReference(reference))!;
  if (s.intake) await store.handling.setIntake(c.id, s.intake);
  if (s.set) {
    const h = (await store.handling.get(reference))!;
    await store.handling.apply({ id: c.id, expectedVersion: h.version, at: ctx.now.toISOString(), actor: 't', set: s.set, event: { kind: 'assignment' } });
  }
  if (s.extendAt) await store.staff.extend({ id: c.id, actor: 't', note: 'meer tijd', at: s.extendAt });
  let from: Status = 'received';
  for (const [to, at] of s.steps ?? []) {
    const h = (await store.handling.get(reference))!;
    const set = to === 'resolved' ? { outcome: s.set?.outcome ?? null } : undefined;
    await store.handling.apply({ id: c.id, expectedVersion: h.version, at, actor: 't', status: to, ...(set ? { set } : {}), event: { kind: 'status', from, to } });
    from = to;
  }
  return { id: c.id, reference };
}

/** 2026 in Europe/Amsterdam */
const Y2026 = { from: '2025-12-31T23:00:00.000Z', before: '2026-12-31T23:00:00.000Z' };

async function seedYear(ctx: Ctx): Promise<Record<string, { id: number; reference: string }>> {
  return {
    // chat, informal, solved informally in 10 days
    a: await seed(ctx, {
      key: 'a',
      set: { category: 'bejegening', department: 'Burgerzaken', outcome: 'opgelost_informeel' },
      steps: [['informal', '2026-11-25T09:00:00.000Z'], ['resolved', '2026-12-04T09:00:00.000Z']],
    }),
    // by phone in March, formal, extended, upheld after 60 days (within the extended term)
    b: await seed(ctx, {
      key: 'b',
      intake: { channel: 'phone', receivedAt: '2026-03-02T10:00:00.000Z' },
      set: { category: 'wachttijd', department: 'Burgerzaken', outcome: 'gegrond' },
      extendAt: '2026-04-01T10:00:00.000Z',
      steps: [['formal', '2026-03-03T10:00:00.000Z'], ['resolved', '2026-05-01T10:00:00.000Z']],
    }),
    // Teams, not handled yet, nothing filled in
    c: await seed(ctx, { key: 'c', channel: 'msteams' }),
    // a letter received at 00:30 on New Year's Day in Amsterdam (still 2025 in UTC): counts in 2026
    d: await seed(ctx, {
      key: 'd',
      intake: { channel: 'letter', receivedAt: '2025-12-31T23:30:00.000Z' },
      set: { category: 'wachttijd', department: 'Belastingen', outcome: 'ongegrond' },
      steps: [['formal', '2026-01-05T10:00:00.000Z'], ['resolved', '2026-03-01T10:00:00.000Z']],
    }),
    // received in 2025: not in the 2026 report
    e: await seed(ctx, {
      key: 'e',
      intake: { channel: 'email', receivedAt: '2025-06-01T10:00:00.000Z' },
      set: { category: 'bejegening', department: 'Belastingen', outcome: 'gegrond' },
      steps: [['formal', '2025-06-02T10:00:00.000Z'], ['resolved', '2025-06-20T10:00:00.000Z']],
    }),
  };
}

describeStores('reports', (ctx) => {
  test('aggregates: counts per category, department, channel, outcome, status, route and handling of the complaints received in the period', async () => {
    await seedYear(ctx);
    const agg = await ctx.store.reports.aggregates(Y2026);
    expect(agg).toEqual({
      total: 4,
      byCategory: [
        { key: 'bejegening', count: 1 },
        { key: 'wachttijd', count: 2 },
        { key: null, count: 1 },
      ],
      byDepartment: [
        { key: 'Belastingen', count: 1 },
        { key: 'Burgerzaken', count: 2 },
        { key: null, count: 1 },
      ],
      byChannel: [
        { key: 'letter', count: 1 },
        { key: 'msteams', count: 1 },
        { key: 'phone', count: 1 },
        { key: 'test', count: 1 },
      ],
      byOutcome: [
        { key: 'gegrond', count: 1 },
        { key: 'ongegrond', count: 1 },
        { key: 'opgelost_informeel', count: 1 },
        { key: null, count: 1 },
      ],
      byStatus: [
        { key: 'received', count: 1 },
        { key: 'resolved', count: 3 },
      ],
      byRoute: [{ key: 'complaint', count: 4 }],
      byHandling: [
        { key: 'formal', count: 2 },
        { key: 'informal', count: 1 },
        { key: null, count: 1 },
      ],
    });
    const y2025 = await ctx.store.reports.aggregates({ from: '2024-12-31T23:00:00.000Z', before: Y2026.from });
    expect(y2025.total).toBe(1);
    expect(y2025.byChannel).toEqual([{ key: 'email', count: 1 }]);
    const empty = await ctx.store.reports.aggregates({ from: '2030-01-01T00:00:00.000Z', before: '2031-01-01T00:00:00.000Z' });
    expect(empty).toEqual({ total: 0, byCategory: [], byDepartment: [], byChannel: [], byOutcome: [], byStatus: [], byRoute: [], byHandling: [] });
  });

  test('closed: the resolved complaints of the period with receipt, resolution and extension, in order of receipt', async () => {
    await seedYear(ctx);
    expect(await ctx.store.reports.closed(Y2026)).toEqual([
      { receivedAt: '2025-12-31T23:30:00.000Z', resolvedAt: '2026-03-01T10:00:00.000Z', extended: false },
      { receivedAt: '2026-03-02T10:00:00.000Z', resolvedAt: '2026-05-01T10:00:00.000Z', extended: true },
      { receivedAt: '2026-11-24T09:00:00.000Z', resolvedAt: '2026-12-04T09:00:00.000Z', extended: false },
    ]);
  });

  test('referral counters: one row per day, route, locale and channel, counted up; totals per route', async () => {
    const r = ctx.store.referrals;
    await r.record({ day: '2026-03-01', route: 'objection', locale: 'nl', channel: 'directline' });
    await r.record({ day: '2026-03-01', route: 'objection', locale: 'nl', channel: 'directline' });
    await r.record({ day: '2026-03-01', route: 'objection', locale: 'en', channel: 'directline' });
    await r.record({ day: '2026-07-10', route: 'report', locale: 'nl', channel: 'msteams' });
    await r.record({ day: '2025-12-31', route: 'care', locale: 'nl', channel: 'directline' });
    await ctx.store.transaction((tx) => r.record({ day: '2026-12-31', route: 'care', locale: 'nl', channel: 'directline' }, tx));
    expect(await r.countByRoute('2026-01-01', '2026-12-31')).toEqual([
      { key: 'care', count: 1 },
      { key: 'objection', count: 3 },
      { key: 'report', count: 1 },
    ]);
    expect(await r.list('2026-03-01', '2026-03-01')).toEqual([
      { day: '2026-03-01', route: 'objection', locale: 'en', channel: 'directline', count: 1 },
      { day: '2026-03-01', route: 'objection', locale: 'nl', channel: 'directline', count: 2 },
    ]);
    expect(await r.countByRoute('2027-01-01', '2027-12-31')).toEqual([]);
  });

  test('letters: stored with their PDF, listed per complaint, purged with the complaint (retention participant "letters")', async () => {
    const { a, b } = await seedYear(ctx);
    const pdf = Buffer.from('%PDF-1.7 test\n\u0000binary');
    const id = await ctx.store.letters.add({
      complaintId: a.id,
      kind: 'receipt',
      locale: 'nl',
      createdBy: 'a.devries',
      createdAt: '2026-11-24T10:00:00.000Z',
      details: { receivedDate: '2026-11-24' },
      sentTo: 'a@example.org',
      pdf,
    });
    const id2 = await ctx.store.transaction((tx) =>
      ctx.store.letters.add({ complaintId: a.id, kind: 'hearing', locale: 'nl', createdBy: 'x', createdAt: '2026-11-25T10:00:00.000Z', details: { hearingAt: '2026-12-01T13:00' }, sentTo: null, pdf }, tx),
    );
    await ctx.store.letters.add({ complaintId: b.id, kind: 'decision', locale: 'en', createdBy: 'x', createdAt: '2026-11-25T10:00:00.000Z', details: {}, sentTo: null, pdf });
    expect(id2).toBeGreaterThan(id);
    expect(await ctx.store.letters.get(id)).toEqual({
      id,
      complaintId: a.id,
      reference: a.reference,
      kind: 'receipt',
      locale: 'nl',
      createdBy: 'a.devries',
      createdAt: '2026-11-24T10:00:00.000Z',
      details: { receivedDate: '2026-11-24' },
      sentTo: 'a@example.org',
      size: pdf.length,
    });
    expect((await ctx.store.letters.pdf(id))!.equals(pdf)).toBe(true);
    expect((await ctx.store.letters.listByComplaint(a.id)).map((l) => [l.id, l.kind])).toEqual([
      [id, 'receipt'],
      [id2, 'hearing'],
    ]);
    expect(await ctx.store.letters.get(999_999)).toBeUndefined();
    expect(ctx.store.retention.participants().map((p) => p.name)).toContain('letters');
    await ctx.store.transaction(async (tx) => {
      for (const p of ctx.store.retention.participants()) await p.purgeComplaint(a, tx);
    });
    expect(await ctx.store.letters.listByComplaint(a.id)).toEqual([]);
    expect(await ctx.store.letters.pdf(id)).toBeUndefined();
    expect(await ctx.store.letters.listByComplaint(b.id)).toHaveLength(1);
  });
});

