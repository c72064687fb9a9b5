/**
 * Aggregates for the annual report (src/store/types.ts, ReportRepository) in SQLite: one GROUP BY per
 * breakdown over the complaints received in the period (received_at), the same SQL shape as src/store/postgres/reports.ts so both give identical results.
 */
import type { ClosedComplaintRow, KeyCount, ReportAggregates, ReportPeriod, ReportRepository, Tx } from '../types';
import type { Sql } from './sql';

/** when the complaint was received (the handling module's column: created_at unless entered by hand with another date) */
export const RECEIVED = 'c.received_at';

/** formal when formal now or ever; informal when informal now or ever (never formal); else NULL */
const HANDLING = `CASE
  WHEN c.status = 'formal' OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'status' AND e.to_status = 'formal') THEN 'formal'
  WHEN c.status = 'informal' OR c.outcome = 'opgelost_informeel'
    OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'status' AND e.to_status = 'informal') THEN 'informal'
  ELSE NULL END`;

const BREAKDOWNS: Record<Exclude<keyof ReportAggregates, 'total'>, string> = {
  byCategory: 'c.category',
  byDepartment: 'c.department',
  byChannel: `CASE WHEN c.intake_channel = 'chat' THEN c.channel ELSE c.intake_channel END`,
  byOutcome: 'c.outcome',
  byStatus: 'c.status',
  byRoute: 'c.route',
  byHandling: HANDLING,
};

const byKey = (a: KeyCount, b: KeyCount) => (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1);

export class SqliteReports implements ReportRepository {
  constructor(private readonly sql: Sql) {}

  async aggregates(p: ReportPeriod, tx?: Tx): Promise<ReportAggregates> {
    const where = `${RECEIVED} >= ? AND ${RECEIVED} < ?`;
    const total = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM complaints c WHERE ${where}`, [p.from, p.before], tx);
    const out = { total: Number(total?.n ?? 0) } as ReportAggregates;
    for (const [name, expr] of Object.entries(BREAKDOWNS) as [keyof typeof BREAKDOWNS, string][]) {
      const rows = await this.sql.all<{ key: string | null; n: number }>(
        `SELECT ${expr} AS key, count(*) AS n FROM complaints c WHERE ${where} GROUP BY 1`,
        [p.from, p.before],
        tx,
      );
      out[name] = rows.map((r) => ({ key: r.key, count: Number(r.n) })).sort(byKey);
    }
    return out;
  }

  async closed(p: ReportPeriod, tx?: Tx): Promise<ClosedComplaintRow[]> {
    const rows = await this.sql.all<{ received_at: string; resolved_at: string; extended: number }>(
      `SELECT ${RECEIVED} AS received_at, h.resolved_at, h.extended_at IS NOT NULL AS extended
         FROM complaints c JOIN complaint_handling h ON h.complaint_id = c.id
        WHERE c.status = 'resolved' AND h.resolved_at IS NOT NULL AND ${RECEIVED} >= ? AND ${RECEIVED} < ?
        ORDER BY 1, 2`,
      [p.from, p.before],
      tx,
    );
    return rows.map((r) => ({ receivedAt: r.received_at, resolvedAt: r.resolved_at, extended: Boolean(r.extended) }));
  }
}
