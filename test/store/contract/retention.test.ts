/**
 * Contract: the retention purge (src/staff/retention.ts, the policy) over the registry of each backend.
 * What goes and what stays must be the same on SQLite and PostgreSQL.
 */
import { AuditLog } from '../../../src/staff/audit';
import { Retention } from '../../../src/staff/retention';
import type { ConversationRef, TranscriptEntry } from '../../../src/store/types';
import { describeStores, START } from './backends';
import { input, origin } from './fixtures';

const SYSTEM = { id: 'system:test', via: 'system' as const };
const DAY = 86_400_000;

function said(conv: ConversationRef, n: number, text: string, at: Date): TranscriptEntry {
  const data = JSON.stringify({ type: 'message', channelId: conv.channelId, conversation: { id: conv.conversationId }, from: { id: 'u', role: 'user' }, text });
  return { ...conv, activityId: `${conv.conversationId}-${n}`, type: 'message', role: 'user', timestamp: at.toISOString(), loggedAt: at.toISOString(), data };
}

describeStores('retention purge', (ctx) => {
  test('resolved complaints go after their period with their conversation; abandoned conversations after theirs; the rest stays', async () => {
    const s = ctx.store;
    const retention = new Retention(s, new AuditLog(s.audit, () => ctx.now), { resolvedYears: 5, abandonedDays: 30 }, () => ctx.now);
    const conv = (id: string) => ({ channelId: 'test', conversationId: id });
    // A: resolved now, goes in 5 years, with its transcript, state and marks (no other complaint there)
    await s.transcripts.append([said(conv('a'), 0, 'over de kinderopvangtoeslag', START)]);
    const a = await s.complaints.file({ input, origin: { ...origin, conversationId: 'a' }, idempotencyKey: 'a' });
    const ha = (await s.staff.getHandling(a.reference))!;
    await s.staff.changeStatus({ id: ha.id, from: 'received', to: 'resolved', actor: 'x', note: '', at: START.toISOString() });
    await s.conversationState.write([{ key: 'test/conversations/a/', data: { d: 1 }, conversation: conv('a') }]);
    await s.dedupe.claim({ ...conv('a'), activityId: 'act' }, 'p', START.toISOString());
    // B: open, never goes
    const b = await s.complaints.file({ input, origin: { ...origin, conversationId: 'b' }, idempotencyKey: 'b' });
    // X: abandoned conversation with a call-back; Y: a conversation that is still going
    await s.transcripts.append([said(conv('x'), 0, 'bel mij terug', START)]);
    await s.conversationState.write([{ key: 'test/conversations/x/', data: { d: 1 }, conversation: conv('x') }]);
    await s.callbacks.file({ request: { name: 'Kees Koster', phone: '0612345678', date: '2026-11-26', partOfDay: 'morning' }, origin: { ...origin, conversationId: 'x' }, idempotencyKey: 'x' });
    await s.transcripts.append([said(conv('y'), 0, 'hallo', START)]);
    // a user-state item of no conversation
    await s.conversationState.write([{ key: 'test/users/u1/', data: { d: 1 }, conversation: null }]);

    ctx.now = new Date(START.getTime() + 40 * DAY);
    await s.transcripts.append([said(conv('y'), 1, 'nog iets', ctx.now)]);
    const dry = await retention.purge(SYSTEM, { dryRun: true });
    expect(dry).toEqual({ dryRun: true, complaints: [], conversations: 1, callbacks: 1 });
    const first = await retention.purge(SYSTEM, { dryRun: false });
    expect(first).toEqual({ dryRun: false, complaints: [], conversations: 1, callbacks: 1 });
    expect(await s.transcripts.all(conv('x'))).toEqual([]);
    expect(await s.conversationState.read(['test/conversations/x/'])).toEqual([]);
    expect(await s.callbacks.listByConversation(conv('x'))).toEqual([]);
    expect(await s.transcripts.all(conv('y'))).toHaveLength(2);
    expect(await s.transcripts.all(conv('a'))).toHaveLength(1); // a complaint keeps its conversation

    ctx.now = new Date(START.getTime() + 5 * 366 * DAY);
    const second = await retention.purge(SYSTEM, { dryRun: false });
    expect(second.complaints).toEqual([{ reference: a.reference, resolvedAt: START.toISOString() }]);
    expect(await s.complaints.getByReference(a.reference)).toBeUndefined();
    expect(await s.transcripts.all(conv('a'))).toEqual([]);
    expect(await s.conversationState.read(['test/conversations/a/'])).toEqual([]);
    expect(await s.dedupe.claim({ ...conv('a'), activityId: 'act' }, 'q', ctx.now.toISOString())).toEqual({ state: 'claimed' });
    expect((await s.complaints.getByReference(b.reference))?.status).toBe('received');
    expect((await s.conversationState.read(['test/users/u1/'])).map((i) => i.key)).toEqual(['test/users/u1/']);
    const audit = await s.audit.list({ action: 'complaint.purge', limit: 10 });
    expect(audit.map((e) => e.references)).toEqual([[a.reference]]);
  });
});
