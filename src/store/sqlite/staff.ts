/**
 * Staff handling in SQLite: complaint_events (history), complaint_handling (extended/resolved) and the
 * search index complaint_search: one FTS5 document per complaint (rowid = complaint id) with the story
 * and everything the citizen typed in the conversation. Triggers (SEARCH_TRIGGERS) keep it current when
 * a complaint is filed or deleted and when the citizen says more afterwards; the index is contentless,
 * so no second copy of the text is kept. Newest first is `rowid DESC`, which FTS5 walks without sorting.
 */
import type { Status } from '../../domain/complaint';
import { HANDLING_SUMMARY_COLUMNS, toHandlingSummary } from '../handlingRows';
import { toHandling, toHistory, type HandlingDbRow, type HistoryDbRow } from '../rows';
import type { ComplaintListFilter, HandlingRow, HandlingSummaryRow, HistoryRow, StaffRepository, Tx } from '../types';
import type { Db } from './db';
import { REBUILD_SEARCH, SEARCH_TRIGGERS } from './migrations';
import type { Sql } from './sql';

const SUMMARY_COLUMNS = HANDLING_SUMMARY_COLUMNS;
type SummaryDbRow = Record<string, unknown>;

const HANDLING = `SELECT c.id, c.reference, c.status, c.channel, c.conversation_id, c.callback_id, c.created_at, h.extended_at, h.resolved_at
  FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id`;

/** FTS5 query from search words (searchQueryWords): each quoted (no operators), all required; the last one a prefix. */
export function ftsMatch(words: string[]): string {
  return words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The WHERE terms of a filter (not search or paging). */
function filterTerms(f: Omit<ComplaintListFilter, 'limit' | 'after' | 'search'>): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const eq = (column: string, v: unknown) => {
    where.push(`${column} = ?`);
    params.push(v);
  };
  if (f.status) eq('c.status', f.status);
  if (f.route) eq('c.route', f.route);
  if (f.createdFrom) {
    where.push('c.created_at >= ?');
    params.push(f.createdFrom);
  }
  if (f.createdBefore) {
    where.push('c.created_at < ?');
    params.push(f.createdBefore);
  }
  if (f.overdue) {
    const overdue = `(c.status != 'resolved' AND (
        (c.status = 'received' AND c.received_at < ?)
        OR (h.extended_at IS NULL AND c.received_at < ?)
        OR (h.extended_at IS NOT NULL AND c.received_at < ?)))`;
    where.push(f.overdue.overdue ? overdue : `NOT ${overdue}`);
    params.push(f.overdue.contact, f.overdue.decide, f.overdue.decideExtended);
  }
  if (f.reference !== undefined) eq('c.reference', f.reference);
  if (f.assignee !== undefined) eq('c.assignee', f.assignee);
  if (f.department !== undefined) eq('c.department', f.department);
  if (f.handler !== undefined) eq('c.handler', f.handler);
  if (f.intakeChannel !== undefined) eq('c.intake_channel', f.intakeChannel);
  if (f.open !== undefined) where.push(f.open ? "c.status != 'resolved'" : "c.status = 'resolved'");
  return { where, params };
}

/** Creates the search triggers when missing and rebuilds the index when it lags (they live on other tables). */
export async function prepareSearch(db: Db): Promise<void> {
  await db.transaction(async () => {
    await db.exec(SEARCH_TRIGGERS);
    const counts = await db.get<{ complaints: number; indexed: number }>(
      'SELECT (SELECT count(*) FROM complaints) AS complaints, (SELECT count(*) FROM complaint_search) AS indexed',
    );
    if (counts && counts.complaints !== counts.indexed) await db.exec(REBUILD_SEARCH);
  });
}

export class SqliteStaff implements StaffRepository {
  constructor(private readonly sql: Sql) {}

  async list(f: ComplaintListFilter, tx?: Tx): Promise<HandlingSummaryRow[]> {
    const { where, params } = filterTerms(f);
    let rows: SummaryDbRow[];
    if (f.search !== undefined) {
      if (f.search.length === 0) return [];
      if (f.after) {
        where.push('s.rowid < ?');
        params.push(f.after.id);
      }
      rows = await this.sql.all<SummaryDbRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaint_search s
           JOIN complaints c ON c.id = s.rowid
           LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          WHERE complaint_search MATCH ? ${where.map((w) => `AND ${w}`).join(' ')}
          ORDER BY s.rowid DESC LIMIT ?`,
        [ftsMatch(f.search), ...params, f.limit],
        tx,
      );
    } else {
      if (f.after) {
        where.push('(c.created_at < ? OR (c.created_at = ? AND c.id < ?))');
        params.push(f.after.createdAt, f.after.createdAt, f.after.id);
      }
      rows = await this.sql.all<SummaryDbRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
        [...params, f.limit],
        tx,
      );
    }
    return rows.map(toHandlingSummary);
  }

  async count(f: Omit<ComplaintListFilter, 'limit' | 'after' | 'search'>, tx?: Tx): Promise<number> {
    if (f.overdue?.overdue) {
      // "overdue" as three index ranges on (status, received_at), summed: far cheaper than the OR
      const { overdue, ...rest } = f;
      const parts: [string, string, string][] = [
        ["c.status = 'received'", overdue.contact, ''],
        ["c.status IN ('informal', 'formal') AND h.extended_at IS NULL", overdue.decide, ''],
        ["c.status IN ('informal', 'formal') AND h.extended_at IS NOT NULL", overdue.decideExtended, ''],
      ];
      let n = 0;
      for (const [group, cutoff] of parts) {
        const { where, params } = filterTerms(rest);
        const row = await this.sql.get<{ n: number }>(
          `SELECT count(*) AS n FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
            WHERE ${[group, 'c.received_at < ?', ...where].join(' AND ')}`,
          [cutoff, ...params],
          tx,
        );
        n += Number(row?.n ?? 0);
      }
      return n;
    }
    const { where, params } = filterTerms(f);
    const row = await this.sql.get<{ n: number }>(
      `SELECT count(*) AS n FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
      tx,
    );
    return Number(row?.n ?? 0);
  }

  async dueSoon(group: 'received' | 'decide' | 'extended', f: Omit<ComplaintListFilter, 'after' | 'search'>, tx?: Tx): Promise<HandlingSummaryRow[]> {
    const { where, params } = filterTerms(f);
    let sql: string;
    if (group === 'extended') {
      // few are extended: start from those (index on extended_at), then sort them
      sql = `SELECT ${SUMMARY_COLUMNS} FROM complaint_handling h CROSS JOIN complaints c ON c.id = h.complaint_id
              WHERE ${["h.extended_at IS NOT NULL", "c.status IN ('informal', 'formal')", ...where].join(' AND ')}
              ORDER BY c.received_at, c.id LIMIT ?`;
    } else {
      // one status at a time walks the (status, received_at) index in order; the two are merged below
      const statuses = group === 'received' ? ['received'] : ['informal', 'formal'];
      const rows: SummaryDbRow[] = [];
      for (const status of statuses) {
        if (f.status && f.status !== status) continue;
        rows.push(
          ...(await this.sql.all<SummaryDbRow>(
            `SELECT ${SUMMARY_COLUMNS} FROM complaints c INDEXED BY complaints_open_received LEFT JOIN complaint_handling h ON h.complaint_id = c.id
              WHERE ${[`c.status = '${status}'`, ...(group === 'decide' ? ['h.extended_at IS NULL'] : []), ...where].join(' AND ')}
              ORDER BY c.received_at, c.id LIMIT ?`,
            [...params, f.limit],
            tx,
          )),
        );
      }
      return rows
        .map(toHandlingSummary)
        .sort((x, y) => (x.receivedAt < y.receivedAt ? -1 : x.receivedAt > y.receivedAt ? 1 : x.id - y.id))
        .slice(0, f.limit);
    }
    const rows = await this.sql.all<SummaryDbRow>(sql, [...params, f.limit], tx);
    return rows.map(toHandlingSummary);
  }

  async getHandling(reference: string, tx?: Tx): Promise<HandlingRow | undefined> {
    const row = await this.sql.get<HandlingDbRow>(`${HANDLING} WHERE c.reference = ?`, [reference], tx);
    return row ? toHandling(row) : undefined;
  }

  async history(complaintId: number, tx?: Tx): Promise<HistoryRow[]> {
    const rows = await this.sql.all<HistoryDbRow>(
      "SELECT at, actor, kind, from_status, to_status, note FROM complaint_events WHERE complaint_id = ? AND kind IN ('status', 'extension') ORDER BY id",
      [complaintId],
      tx,
    );
    return rows.map(toHistory);
  }

  changeStatus(c: { id: number; from: Status; to: Status; actor: string; note: string; at: string }, tx?: Tx): Promise<void> {
    return this.sql.atomic(tx, async (t) => {
      await this.sql.run('UPDATE complaints SET status = ?, updated_at = ? WHERE id = ?', [c.to, c.at, c.id], t);
      await this.sql.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at) VALUES (?, 'status', ?, ?, ?, ?, ?)`,
        [c.id, c.from, c.to, c.actor, c.note, c.at],
        t,
      );
      if (c.to === 'resolved') {
        await this.sql.run(
          `INSERT INTO complaint_handling (complaint_id, resolved_at) VALUES (?, ?)
           ON CONFLICT (complaint_id) DO UPDATE SET resolved_at = excluded.resolved_at`,
          [c.id, c.at],
          t,
        );
      }
    });
  }

  extend(c: { id: number; actor: string; note: string; at: string }, tx?: Tx): Promise<void> {
    return this.sql.atomic(tx, async (t) => {
      await this.sql.run(
        `INSERT INTO complaint_handling (complaint_id, extended_at) VALUES (?, ?)
         ON CONFLICT (complaint_id) DO UPDATE SET extended_at = excluded.extended_at`,
        [c.id, c.at],
        t,
      );
      await this.sql.run(
        `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at) VALUES (?, 'extension', NULL, NULL, ?, ?, ?)`,
        [c.id, c.actor, c.note, c.at],
        t,
      );
      await this.sql.run('UPDATE complaints SET updated_at = ? WHERE id = ?', [c.at, c.id], t);
    });
  }

  async resolvedBefore(cutoff: string, tx?: Tx): Promise<(HandlingRow & { resolvedAt: string })[]> {
    const rows = await this.sql.all<HandlingDbRow>(
      `${HANDLING} WHERE c.status = 'resolved' AND h.resolved_at < ? ORDER BY h.resolved_at, c.id`,
      [cutoff],
      tx,
    );
    return rows.map((r) => toHandling(r) as HandlingRow & { resolvedAt: string });
  }
}
