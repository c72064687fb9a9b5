/**
 * Aggregates for the annual report (src/store/types.ts, ReportRepository) on PostgreSQL: the same one
 * GROUP BY as SQLite's (src/store/sqlite/reportSql.ts), so both give identical results. Run with JIT off
 * for the transaction: the query is short, and compiling it took longer than running it (1 s of 1.5 s
 * at 100,000 complaints).
 */
import { foldReportRows, REPORT_GROUP_SELECT, type ReportGroupRow } from '../sqlite/reportSql';
import type { ClosedComplaintRow, ReportAggregates, ReportPeriod, ReportRepository, Tx } from '../types';
import type { PgDb } from './db';

export class PgReports implements ReportRepository {
  constructor(private readonly db: PgDb) {}

  async aggregates(p: ReportPeriod, tx?: Tx): Promise<ReportAggregates> {
    return this.db.inTransaction(tx, async (t) => {
      await this.db.run('SET LOCAL jit = off', [], t);
      const rows = await this.db.query<ReportGroupRow>(REPORT_GROUP_SELECT('$1', '$2'), [p.from, p.before], t);
      return foldReportRows(rows);
    });
  }

  async closed(p: ReportPeriod, tx?: Tx): Promise<ClosedComplaintRow[]> {
    return this.db.inTransaction(tx, async (t) => {
      await this.db.run('SET LOCAL jit = off', [], t);
      const rows = await this.db.query<{ received_at: string; resolved_at: string; extended: boolean }>(
        `SELECT c.received_at, h.resolved_at, h.extended_at IS NOT NULL AS extended
           FROM complaints c JOIN complaint_handling h ON h.complaint_id = c.id
          WHERE c.status = 'resolved' AND h.resolved_at IS NOT NULL AND c.received_at >= $1 AND c.received_at < $2
          ORDER BY 1, 2`,
        [p.from, p.before],
        t,
      );
      return rows.map((r) => ({ receivedAt: r.received_at, resolvedAt: r.resolved_at, extended: Boolean(r.extended) }));
    });
  }
}
