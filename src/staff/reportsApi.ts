/**
 * The annual report (Awb 9:12a) over HTTP, for officers (not for a klachtbehandelaar of a department):
 * - GET /staff/api/reports/annual?year=YYYY        JSON (src/staff/reports/annual.ts, AnnualReport)
 * - GET /staff/api/reports/annual.csv?year=YYYY    the same figures as CSV (BOM, `;`, Dutch headers)
 * - GET /staff/api/reports/annual.pdf?year=YYYY    a tagged PDF with the charts and tables
 * - GET /staff/api/reports/annual/:chart.svg?year=YYYY   one chart (category, department, channel,
 *   outcome, handling, referrals), server-rendered accessible SVG
 * Every read is audited ('report.annual' with the year and the format; reports hold no personal data).
 */
import type restify from 'restify';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';
import { renderPdf } from '../delivery/background/thread';
import type { Store } from '../store/types';
import { staffApiHandler } from './api';
import type { Principal } from './auth';
import { csvDocument } from './csvExport';
import type { Staff } from './index';
import { AnnualReports, type AnnualReport, type LabelledCount } from './reports/annual';

import { renderBarChart } from './reports/charts';
import { chartsOf, SECTIONS, summaryRows, CHARTS, type ChartId } from './reports/figures';
import { StaffError } from './service';
import { translator } from '../i18n';

export { CHARTS, chartsOf, summaryRows, type ChartId } from './reports/figures';

const t = translator('nl');

function yearOf(req: restify.Request, now: Date): number {
  const raw = (req.query as Record<string, unknown> | undefined)?.year;
  if (raw === undefined || raw === '') return now.getUTCFullYear();
  const year = Number(raw);
  if (typeof raw !== 'string' || !/^\d{4}$/.test(raw) || year < 2000 || year > now.getUTCFullYear() + 1) {
    throw new StaffError(400, 'invalid_year', 'Geef een jaar op als vier cijfers, bijvoorbeeld 2026.');
  }
  return year;
}

/** A department's klachtbehandelaar sees only their own complaints: no report over all of them. */
function officerOnly(who: Principal): void {
  if (!who.roles.includes('staff')) {
    throw new StaffError(403, 'forbidden', 'Alleen klachtenfunctionarissen kunnen het jaarverslag zien.');
  }
}

export function reportCsv(r: AnnualReport): string {
  const rows: unknown[][] = summaryRows(r).map(([label, value]) => [t('reports.section.summary'), label, value]);
  for (const [id, key] of SECTIONS) {
    for (const x of r[key] as LabelledCount[]) rows.push([t(`reports.chart.${id}.title`, { year: r.year }), x.label, x.count]);
  }
  return csvDocument([t('reports.csv.section'), t('reports.csv.item'), t('reports.csv.value')], rows);
}

export function registerReportRoutes(
  server: restify.Server,
  staff: Staff,
  log: Logger,
  deps: { store: Store; municipality: Municipality; clock?: () => Date },
): void {
  const api = staffApiHandler(staff, log);
  const clock = deps.clock ?? (() => new Date());
  const reports = new AnnualReports(deps.store, clock);
  const load = async (req: restify.Request, who: Principal, format: string) => {
    officerOnly(who);
    const year = yearOf(req, clock());
    const report = await reports.annual(year);
    await staff.audit.record(who, { action: 'report.annual', detail: { year, format } });
    return report;
  };

  server.get('/staff/api/reports/annual', api(async (req, who) => ({ body: await load(req, who, 'json') })));

  server.get(
    '/staff/api/reports/annual.csv',
    api(async (req, who) => {
      const r = await load(req, who, 'csv');
      return {
        raw: Buffer.from(reportCsv(r), 'utf8'),
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="jaarverslag-klachten-${r.year}.csv"` },
      };
    }),
  );

  server.get(
    '/staff/api/reports/annual.pdf',
    api(async (req, who) => {
      const r = await load(req, who, 'pdf');
      return {
        raw: await renderPdf({ kind: 'report', report: r, municipality: deps.municipality }),
        headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="jaarverslag-klachten-${r.year}.pdf"` },
      };
    }),
  );

  server.get(
    '/staff/api/reports/annual/:chart',
    api(async (req, who) => {
      const name = String(req.params?.chart ?? '').replace(/\.svg$/, '');
      if (!(CHARTS as readonly string[]).includes(name) || !String(req.params?.chart).endsWith('.svg')) {
        throw new StaffError(404, 'not_found', `Deze grafiek bestaat niet. Kies uit: ${CHARTS.map((c) => `${c}.svg`).join(', ')}.`);
      }
      const r = await load(req, who, `svg:${name}`);
      return {
        raw: renderBarChart(chartsOf(r)[name as ChartId]),
        headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' },
      };
    }),
  );
}
