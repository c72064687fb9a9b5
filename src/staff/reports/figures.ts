/**
 * The annual report's (Awb 9:12a) figures as the page, the CSV and the PDF show them: its charts and its
 * headline rows. No pdfkit here, so the staff API does not load it on the main thread.
 */
import { translator } from '../../i18n';
import type { AnnualReport, LabelledCount } from './annual';
import { renderBarChart, type BarChart } from './charts';

export const CHARTS = ['category', 'department', 'channel', 'outcome', 'handling', 'referrals'] as const;
export type ChartId = (typeof CHARTS)[number];

const t = translator('nl');

const pct = (share: number | null): string => (share === null ? '-' : `${(share * 100).toFixed(1).replace('.', ',')}%`);
const num = (n: number | null): string => (n === null ? '-' : String(n).replace('.', ','));

export function chartsOf(r: AnnualReport): Record<ChartId, BarChart> {
  const bars = (rows: LabelledCount[]) => rows.map((x) => ({ label: x.label, value: x.count }));
  const chart = (id: ChartId, rows: LabelledCount[]): BarChart => ({
    id: `chart-${id}-${r.year}`,
    title: t(`reports.chart.${id}.title`, { year: r.year }),
    summary: t(`reports.chart.${id}.summary`, { year: r.year, total: r.total }),
    bars: bars(rows),
    unit: id === 'referrals' ? t('reports.unit.referrals') : t('reports.unit.complaints'),
  });
  return {
    category: chart('category', r.byCategory),
    department: chart('department', r.byDepartment),
    channel: chart('channel', r.byChannel),
    outcome: chart('outcome', r.byOutcome),
    handling: chart('handling', r.byHandling),
    referrals: chart('referrals', r.byReferral),
  };
}

/** The headline figures, as label and value (Dutch). */
export function summaryRows(r: AnnualReport): [string, string][] {
  return [
    [t('reports.field.total'), String(r.total)],
    [t('reports.field.informal'), String(r.informal)],
    [t('reports.field.formal'), String(r.formal)],
    [t('reports.field.closed'), String(r.closed)],
    [t('reports.field.withinTerm'), `${pct(r.withinTermShare)} (${r.closedWithinTerm} ${t('reports.of')} ${r.closed})`],
    [t('reports.field.medianDays'), num(r.medianDaysToClose)],
    [t('reports.field.referrals'), String(r.referralsTotal)],
  ];
}

export const SECTIONS: [ChartId, keyof AnnualReport][] = [
  ['category', 'byCategory'],
  ['department', 'byDepartment'],
  ['channel', 'byChannel'],
  ['outcome', 'byOutcome'],
  ['handling', 'byHandling'],
  ['referrals', 'byReferral'],
];
