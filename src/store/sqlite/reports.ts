/**
 * Aggregates for the annual report (src/store/types.ts, ReportRepository) in SQLite: one GROUP BY over
 * the complaints received in the period (received_at) by every breakdown at once (category, department,
 * channel, outcome, status, route, handling), folded into the per-breakdown counts in JavaScript: one
 * scan of the year instead of one per breakdown. The same SQL shape as src/store/postgres/reports.ts,
 * so both give identical results (test/store/contract/reports.test.ts).
 */
import type { ClosedComplaintRow, ReportAggregates, ReportPeriod, ReportRepository, Tx } from '../types';
import { foldReportRows, REPORT_GROUP_SELECT, type ReportGroupRow } from './reportSql';
import type { Sql } from './sql';

export class SqliteReports implements ReportRepository {
  constructor(private readonly sql: Sql) {}

  async aggregates(p: ReportPeriod, tx?: Tx): Promise<ReportAggregates> {
    const rows = await this.sql.all<ReportGroupRow>(REPORT_GROUP_SELECT('?', '?'), [p.from, p.before], tx);
    return foldReportRows(rows);
  }

  async closed(p: ReportPeriod, tx?: Tx): Promise<ClosedComplaintRow[]> {
    const rows = await this.sql.all<{ received_at: string; resolved_at: string; extended: number }>(
      `SELECT c.received_at, h.resolved_at, h.extended_at IS NOT NULL AS extended
         FROM complaints c JOIN complaint_handling h ON h.complaint_id = c.id
        WHERE c.status = 'resolved' AND h.resolved_at IS NOT NULL AND c.received_at >= ? AND c.received_at < ?
        ORDER BY 1, 2`,
      [p.from, p.before],
      tx,
    );
    return rows.map((r) => ({ receivedAt: r.received_at, resolvedAt: r.resolved_at, extended: Boolean(r.extended) }));
  }
}
