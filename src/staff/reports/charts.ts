/**
 * Charts of the annual report, rendered on the server as SVG (no script, no CDN): horizontal bar
 * charts that are accessible on their own:
 * - role="img" with <title> and <desc> (aria-labelledby both): the desc lists every bar as text;
 * - each bar has its label and its number written next to it, so no meaning depends on colour;
 * - bars are one colour with a dark outline (contrast >= 3:1 against white), text is near-black.
 * The same SVG goes into the report PDF (svg-to-pdfkit) and onto the staff page.
 */

export interface Bar {
  label: string;
  value: number;
}

export interface BarChart {
  /** stable id (used for element ids; letters, digits, dashes) */
  id: string;
  title: string;
  /** one sentence that says what is counted, before the list of bars */
  summary: string;
  bars: Bar[];
  /** the unit after each number in the description ("klachten") */
  unit?: string;
  /** how a value is written next to its bar (default: the number) */
  format?: (value: number) => string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const WIDTH = 640;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 70;
const BAR_HEIGHT = 22;
const GAP = 8;
const TOP = 36;
const FONT = 'Arial, Helvetica, sans-serif';
/** bars: the gemeente blue-ish, with an outline that is dark enough on white */
const BAR_FILL = '#4a7fb0';
const BAR_STROKE = '#1f3f5f';
const TEXT = '#1a1a1a';

/** Rough width of a text in pixels at 13px (for cutting long labels). */
function fit(label: string, maxPx: number): string {
  const maxChars = Math.floor(maxPx / 7);
  return label.length <= maxChars ? label : `${label.slice(0, Math.max(1, maxChars - 1))}…`;
}

export function renderBarChart(chart: BarChart): string {
  const id = chart.id.replace(/[^a-zA-Z0-9-]/g, '-');
  const format = chart.format ?? ((v: number) => String(v));
  const max = Math.max(1, ...chart.bars.map((b) => b.value));
  const rows = Math.max(1, chart.bars.length);
  const height = TOP + rows * (BAR_HEIGHT + GAP) + 10;
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10;
  const unit = chart.unit ? ` ${chart.unit}` : '';
  const desc =
    chart.bars.length === 0
      ? `${chart.summary} Geen gegevens.`
      : `${chart.summary} ${chart.bars.map((b) => `${b.label}: ${format(b.value)}${unit}`).join('; ')}.`;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${esc(chart.title)}</title>`,
    `<desc id="${id}-desc">${esc(desc)}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="0" y="20" font-family="${FONT}" font-size="15" font-weight="bold" fill="${TEXT}">${esc(chart.title)}</text>`,
  );
  if (chart.bars.length === 0) {
    parts.push(`<text x="0" y="${TOP + 16}" font-family="${FONT}" font-size="13" fill="${TEXT}">Geen gegevens</text>`);
  }
  chart.bars.forEach((b, i) => {
    const y = TOP + i * (BAR_HEIGHT + GAP);
    const w = b.value > 0 ? Math.max(2, Math.round((b.value / max) * plot)) : 0;
    const textY = y + BAR_HEIGHT / 2 + 5;
    parts.push(
      `<g>`,
      `<text x="${LABEL_WIDTH - 8}" y="${textY}" text-anchor="end" font-family="${FONT}" font-size="13" fill="${TEXT}">${esc(fit(b.label, LABEL_WIDTH - 12))}</text>`,
      w > 0 ? `<rect x="${LABEL_WIDTH}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${BAR_FILL}" stroke="${BAR_STROKE}" stroke-width="1"/>` : '',
      `<text x="${LABEL_WIDTH + w + 6}" y="${textY}" font-family="${FONT}" font-size="13" fill="${TEXT}">${esc(format(b.value))}</text>`,
      `</g>`,
    );
  });
  parts.push('</svg>');
  return parts.filter(Boolean).join('\n');
}
