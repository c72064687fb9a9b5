/**
 * The annual report (Awb 9:12a) as a tagged PDF with charts and tables (rendered in the background thread
 * by src/delivery/background, job kind 'report').
 */
import { TaggedPdf } from '../../delivery/pdf/document';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
import type { AnnualReport, LabelledCount } from './annual';
import { renderBarChart } from './charts';
import { chartsOf, SECTIONS, summaryRows } from './figures';

const t = translator('nl');

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
