/**
 * The annual report's one GROUP BY, written once for both backends (standard SQL: CASE, LEFT JOIN,
 * GROUP BY; placeholders passed in), and the fold of its rows into the per-breakdown counts.
 * src/store/postgres/reports.ts uses the same text with $1/$2.
 */
import type { KeyCount, ReportAggregates } from '../types';

/**
 * One row per combination that occurs. handling: 'formal' when the complaint is or ever was formal (a
 * status event to 'formal'), 'informal' when it is or was informal (or solved informally) and never
 * formal, else NULL (not taken into handling). The events are looked up per complaint through the
 * index complaint_events(complaint_id, id) (SQLite); PostgreSQL turns the EXISTS into a hashed subplan.
 * Measured at 100,000 complaints: faster on SQLite than summing all events in a join, the same on PostgreSQL.
 */
export const REPORT_GROUP_SELECT = (from: string, before: string): string => `
  SELECT c.category, c.department,
         CASE WHEN c.intake_channel = 'chat' THEN c.channel ELSE c.intake_channel END AS channel,
         c.outcome, c.status, c.route,
         CASE WHEN c.status = 'formal'
                OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'status' AND e.to_status = 'formal') THEN 'formal'
              WHEN c.status = 'informal' OR c.outcome = 'opgelost_informeel'
                OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.kind = 'status' AND e.to_status = 'informal') THEN 'informal'
              ELSE NULL END AS handling,
         count(*) AS n
    FROM complaints c
   WHERE c.received_at >= ${from} AND c.received_at < ${before}
   GROUP BY 1, 2, 3, 4, 5, 6, 7`;

export interface ReportGroupRow {
  category: string | null;
  department: string | null;
  channel: string | null;
  outcome: string | null;
  status: string;
  route: string;
  handling: string | null;
  n: number | string;
}

/** by key in byte order (as COLLATE "C" and SQLite's BINARY), null last */
const byKey = (a: KeyCount, b: KeyCount) => (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1);

export function foldReportRows(rows: ReportGroupRow[]): ReportAggregates {
  const columns = {
    byCategory: 'category',
    byDepartment: 'department',
    byChannel: 'channel',
    byOutcome: 'outcome',
    byStatus: 'status',
    byRoute: 'route',
    byHandling: 'handling',
  } as const;
  const maps = Object.fromEntries(Object.keys(columns).map((k) => [k, new Map<string | null, number>()])) as Record<keyof typeof columns, Map<string | null, number>>;
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    for (const [name, col] of Object.entries(columns) as [keyof typeof columns, keyof ReportGroupRow][]) {
      const key = (r[col] as string | null) ?? null;
      maps[name].set(key, (maps[name].get(key) ?? 0) + n);
    }
  }
  const out = { total } as ReportAggregates;
  for (const name of Object.keys(columns) as (keyof typeof columns)[]) {
    out[name] = [...maps[name].entries()].map(([key, count]) => ({ key, count })).sort(byKey);
  }
  return out;
}
