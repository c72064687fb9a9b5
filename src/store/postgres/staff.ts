/**
 * Staff handling on PostgreSQL: complaint_events (history), complaint_handling (extended/resolved) and
 * the search (complaint_search: a tsvector per complaint, GIN index; see searchIndex.ts). Same results
 * as src/store/sqlite/staff.ts; reads that change a complaint lock its row (FOR UPDATE) inside a tx.
 */
import type { Status } from '../../domain/complaint';
import { HANDLING_SUMMARY_COLUMNS, toHandlingSummary } from '../handlingRows';
import { toHandling, toHistory, type HandlingDbRow, type HistoryDbRow } from '../rows';
import type { ComplaintListFilter, HandlingRow, HandlingSummaryRow, HistoryRow, StaffRepository, Tx } from '../types';
import type { PgDb } from './db';
import { tsquery } from './searchIndex';

// substr counts characters in PostgreSQL (SQLite too): the same excerpt on both
const SUMMARY_COLUMNS = HANDLING_SUMMARY_COLUMNS;
type SummaryDbRow = Record<string, unknown>;

/** The WHERE terms of a filter (not search or paging); `p` adds a parameter. */
function filterTerms(f: Omit<ComplaintListFilter, 'limit' | 'after' | 'search'>, p: (v: unknown) => string): string[] {
  const where: string[] = [];
  if (f.status) where.push(`c.status = ${p(f.status)}`);
  if (f.route) where.push(`c.route = ${p(f.route)}`);
  if (f.createdFrom) where.push(`c.created_at >= ${p(f.createdFrom)}`);
  if (f.createdBefore) where.push(`c.created_at < ${p(f.createdBefore)}`);
  if (f.overdue) {
    const overdue = `(c.status <> 'resolved' AND (
        (c.status = 'received' AND c.received_at < ${p(f.overdue.contact)})
        OR (h.extended_at IS NULL AND c.received_at < ${p(f.overdue.decide)})
        OR (h.extended_at IS NOT NULL AND c.received_at < ${p(f.overdue.decideExtended)})))`;
    where.push(f.overdue.overdue ? overdue : `NOT ${overdue}`);
  }
  if (f.reference !== undefined) where.push(`c.reference = ${p(f.reference)}`);
  if (f.assignee !== undefined) where.push(`c.assignee = ${p(f.assignee)}`);
  if (f.department !== undefined) where.push(`c.department = ${p(f.department)}`);
  if (f.handler !== undefined) where.push(`c.handler = ${p(f.handler)}`);
  if (f.intakeChannel !== undefined) where.push(`c.intake_channel = ${p(f.intakeChannel)}`);
  if (f.open !== undefined) where.push(f.open ? "c.status <> 'resolved'" : "c.status = 'resolved'");
  return where;
}

function paramList(): { params: unknown[]; p: (v: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    p: (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    },
  };
}

const HANDLING = `SELECT c.id, c.reference, c.status, c.channel, c.conversation_id, c.callback_id, c.created_at, h.extended_at, h.resolved_at
  FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id`;

/** documents tested one by one before the search asks the GIN index (see list) */
const SEARCH_WINDOW = 5000;

export class PgStaff implements StaffRepository {
  constructor(private readonly db: PgDb) {}

  async list(f: ComplaintListFilter, tx?: Tx): Promise<HandlingSummaryRow[]> {
    const { params, p } = paramList();
    const where = filterTerms(f, p);
    let rows: SummaryDbRow[];
    if (f.search !== undefined) {
      if (f.search.length === 0) return [];
      const match = `s.document @@ ${p(tsquery(f.search))}::tsquery`;
      const after = f.after ? ` AND s.complaint_id < ${p(f.after.id)}` : '';
      if (where.length === 0) {
        // Search alone (the usual case), in two steps, because which plan is fast depends on how common the
        // words are, which the planner guesses badly for combinations ('nummer 12345': every document has
        // the one, one has the other):
        // 1. the newest SEARCH_WINDOW documents, tested one by one: enough for words in more than ~0.5% of
        //    the complaints (most searches), a few ms whatever the size of the table;
        // 2. otherwise the GIN index (a bitmap of every match; ordering by `complaint_id + 0` keeps the
        //    planner from walking the primary key instead), then the newest first: matches are rare then.
        const limit = p(f.limit);
        const join = (ids: string) => `SELECT ${SUMMARY_COLUMNS} FROM (${ids}) m
             JOIN complaints c ON c.id = m.complaint_id
             LEFT JOIN complaint_handling h ON h.complaint_id = c.id
            ORDER BY c.id DESC`;
        rows = await this.db.query<SummaryDbRow>(
          join(`SELECT w.complaint_id FROM (SELECT s.complaint_id, s.document FROM complaint_search s WHERE TRUE${after}
                  ORDER BY s.complaint_id DESC LIMIT ${SEARCH_WINDOW}) w
                 WHERE ${match.replace('s.document', 'w.document')} ORDER BY w.complaint_id DESC LIMIT ${limit}`),
          params,
          tx,
        );
        if (rows.length < f.limit) {
          rows = await this.db.query<SummaryDbRow>(
            join(`SELECT s.complaint_id FROM complaint_search s WHERE ${match}${after} ORDER BY s.complaint_id + 0 DESC LIMIT ${limit}`),
            params,
            tx,
          );
        }
      } else {
        rows = await this.db.query<SummaryDbRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM complaint_search s
             JOIN complaints c ON c.id = s.complaint_id
             LEFT JOIN complaint_handling h ON h.complaint_id = c.id
            WHERE ${match}${after} AND ${where.join(' AND ')}
            ORDER BY c.id DESC LIMIT ${p(f.limit)}`,
          params,
          tx,
        );
      }
    } else {
      if (f.after) where.push(`(c.created_at, c.id) < (${p(f.after.createdAt)}, ${p(f.after.id)})`);
      rows = await this.db.query<SummaryDbRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(f.limit)}`,
        params,
        tx,
      );
    }
    return rows.map(toHandlingSummary);
  }

  async count(f: Omit<ComplaintListFilter, 'limit' | 'after' | 'search'>, tx?: Tx): Promise<number> {
    if (f.overdue?.overdue) {
      // "overdue" as three index ranges on (status, received_at), summed: far cheaper than the OR
      const { overdue, ...rest } = f;
      let n = 0;
      for (const [group, cutoff] of [
        ["c.status = 'received'", overdue.contact],
        ["c.status IN ('informal', 'formal') AND h.extended_at IS NULL", overdue.decide],
        ["c.status IN ('informal', 'formal') AND h.extended_at IS NOT NULL", overdue.decideExtended],
      ] as const) {
        const { params, p } = paramList();
        const where = [group, `c.received_at < ${p(cutoff)}`, ...filterTerms(rest, p)];
        const row = await this.db.one<{ n: string | number }>(
          `SELECT count(*) AS n FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id WHERE ${where.join(' AND ')}`,
          params,
          tx,
        );
        n += Number(row?.n ?? 0);
      }
      return n;
    }
    const { params, p } = paramList();
    const where = filterTerms(f, p);
    const row = await this.db.one<{ n: string | number }>(
      `SELECT count(*) AS n FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
      tx,
    );
    return Number(row?.n ?? 0);
  }

  async dueSoon(group: 'received' | 'decide' | 'extended', f: Omit<ComplaintListFilter, 'after' | 'search'>, tx?: Tx): Promise<HandlingSummaryRow[]> {
    if (group === 'extended') {
      const { params, p } = paramList();
      const where = ['h.extended_at IS NOT NULL', "c.status IN ('informal', 'formal')", ...filterTerms(f, p)];
      const rows = await this.db.query<SummaryDbRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaint_handling h JOIN complaints c ON c.id = h.complaint_id
          WHERE ${where.join(' AND ')} ORDER BY c.received_at, c.id LIMIT ${p(f.limit)}`,
        params,
        tx,
      );
      return rows.map(toHandlingSummary);
    }
    // one status at a time walks the (status, received_at) index in order; the two are merged here
    const rows: SummaryDbRow[] = [];
    for (const status of group === 'received' ? ['received'] : ['informal', 'formal']) {
      if (f.status && f.status !== status) continue;
      const { params, p } = paramList();
      const where = [`c.status = ${p(status)}`, ...(group === 'decide' ? ['h.extended_at IS NULL'] : []), ...filterTerms(f, p)];
      rows.push(
        ...(await this.db.query<SummaryDbRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
            WHERE ${where.join(' AND ')} ORDER BY c.received_at, c.id LIMIT ${p(f.limit)}`,
          params,
          tx,
        )),
      );
    }
    return rows
      .map(toHandlingSummary)
      .sort((x, y) => (x.receivedAt < y.receivedAt ? -1 : x.receivedAt > y.receivedAt ? 1 : x.id - y.id))
      .slice(0, f.limit);
  }

  async getHandling(reference: string, tx?: Tx): Promise<HandlingRow | undefined> {
    const row = await this.db.one<HandlingDbRow>(`${HANDLING} WHERE c.reference = $1 ${tx ? 'FOR UPDATE OF c' : ''}`, [reference], tx);
    return row ? toHandling(row) : undefined;
  }

  async history(complaintId: number, tx?: Tx): Promise<HistoryRow[]> {
    const rows = await this.db.query<HistoryDbRow>(
      "SELECT at, actor, kind, from_status, to_status, note FROM complaint_events WHERE complaint_id = $1 AND kind IN ('status', 'extension') ORDER BY id",
      [complaintId],
      tx,
    );
    return rows.map(toHistory);
  }

  changeStatus(c: { id: number; from: Status; to: Status; actor: string; note: string; at: string }, tx?: Tx): Promise<void> {
    return this.db.inTransaction(tx, async (t) => {
      await this.db.run('UPDATE complaints SET status = $1, updated_at = $2 WHERE id = $3', [c.to, c.at, c.id], t);
      await this.db.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at) VALUES ($1, 'status', $2, $3, $4, $5, $6)`,
        [c.id, c.from, c.to, c.actor, c.note, c.at],
        t,
      );
      if (c.to === 'resolved') {
        await this.db.run(
          `INSERT INTO complaint_handling (complaint_id, resolved_at) VALUES ($1, $2)
           ON CONFLICT (complaint_id) DO UPDATE SET resolved_at = excluded.resolved_at`,
          [c.id, c.at],
          t,
        );
      }
    });
  }

  extend(c: { id: number; actor: string; note: string; at: string }, tx?: Tx): Promise<void> {
    return this.db.inTransaction(tx, async (t) => {
      await this.db.run(
        `INSERT INTO complaint_handling (complaint_id, extended_at) VALUES ($1, $2)
         ON CONFLICT (complaint_id) DO UPDATE SET extended_at = excluded.extended_at`,
        [c.id, c.at],
        t,
      );
      await this.db.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at) VALUES ($1, 'extension', NULL, NULL, $2, $3, $4)`,
        [c.id, c.actor, c.note, c.at],
        t,
      );
      await this.db.run('UPDATE complaints SET updated_at = $1 WHERE id = $2', [c.at, c.id], t);
    });
  }

  async resolvedBefore(cutoff: string, tx?: Tx): Promise<(HandlingRow & { resolvedAt: string })[]> {
    const rows = await this.db.query<HandlingDbRow>(
      `${HANDLING} WHERE c.status = 'resolved' AND h.resolved_at < $1 ORDER BY h.resolved_at, c.id`,
      [cutoff],
      tx,
    );
    return rows.map((r) => toHandling(r) as HandlingRow & { resolvedAt: string });
  }
}
