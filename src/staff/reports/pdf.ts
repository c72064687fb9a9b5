/**
 * The annual report (Awb 9:12a) as a document: its charts, its headline figures and the tagged PDF with
 * charts and tables (rendered in the background thread by src/delivery/background, job kind 'report').
 */
import { TaggedPdf } from '../../delivery/pdf/document';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
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

export async function reportPdf(r: AnnualReport, municipality: Municipality): Promise<Buffer> {
  // dated when the figures were made, so the same figures give the same document
  const pdf = new TaggedPdf({ title: t('reports.title', { year: r.year, gemeente: municipality.name }), lang: 'nl', municipality, creationDate: new Date(r.generatedAt) });
  pdf.heading(t('reports.title', { year: r.year, gemeente: municipality.name }), 1);
  pdf.paragraph(t('reports.intro', { year: r.year, gemeente: municipality.name }));
  pdf.heading(t('reports.section.summary'), 2);
  pdf.keyValues(summaryRows(r));
  const charts = chartsOf(r);
  for (const [id, key] of SECTIONS) {
    const c = charts[id];
    const rows = r[key] as LabelledCount[];
    pdf.heading(c.title, 2);
    const svg = renderBarChart(c);
    const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 100);
    const width = 440;
    pdf.figure(svg, { alt: `${c.summary} ${rows.map((x) => `${x.label}: ${x.count}`).join('; ')}`, width, height: Math.round((height * width) / 640) });
    pdf.keyValues(rows.length ? rows.map((x) => [x.label, String(x.count)] as [string, string]) : [[t('reports.none'), '0']]);
  }
  pdf.paragraph(t('reports.method'), { size: 9 });
  return pdf.end();
}
