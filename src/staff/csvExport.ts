/**
 * CSV for spreadsheet programs as Dutch offices use them (Excel with Dutch regional settings):
 * UTF-8 with a byte order mark (so Excel reads é and ł right), `;` between cells, CRLF between rows,
 * Dutch headers. Cells are quoted when they hold `;`, `"`, a line break or leading/trailing space.
 * Formula injection (OWASP "CSV Injection"): a cell that starts with = + - @ (or a tab or carriage
 * return) gets a leading ' so a spreadsheet shows it as text instead of running it.
 *
 * GET /staff/api/complaints.csv takes the same filters as GET /staff/api/complaints and pages through
 * every match with the staff service's own list (its filters, its order, its checks). Audited once more
 * as 'complaint.export' with the count and the filters used (never the search text or any content);
 * each page the service reads is audited by the service itself, with the references it returned.
 */
import type restify from 'restify';
import { translator } from '../i18n';
import type { Logger } from '../logger';
import { staffApiHandler } from './api';
import type { Principal } from './auth';
import type { Staff } from './index';
import type { ListQuery } from './schemas';
import { reportChannel } from './reports/annual';
import { StaffError } from './service';

const t = translator('nl');

export const BOM = '\uFEFF';
const SEP = ';';

/** One cell: neutralised against formulas, quoted when needed. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[;"\r\n]/.test(s) || /^\s|\s$/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(SEP)}\r\n`;
}

/** A whole CSV document (with BOM). */
export function csvDocument(header: string[], rows: unknown[][]): string {
  return BOM + csvLine(header) + rows.map(csvLine).join('');
}

const HEADER = [
  'Kenmerk',
  'Ontvangen',
  'Status',
  'Soort',
  'Kanaal',
  'Taal',
  'Naam',
  'Categorie',
  'Afdeling',
  'Toegewezen aan',
  'Klachtbehandelaar',
  'Uitkomst',
  'Termijn',
  'Te laat',
  'Afgehandeld',
  'Begin van de klacht',
];

const STATUS_NL: Record<string, string> = { received: 'ontvangen', informal: 'informeel', formal: 'formeel', resolved: 'afgehandeld' };

/** Amsterdam date and time, as an officer reads it: 2026-11-24 10:00 */
function local(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

type Item = Record<string, unknown> & {
  reference: string;
  status: string;
  route: string;
  locale: string;
  channel: string;
  createdAt: string;
  contact: { name: string };
  excerpt: string;
  deadlines: { decisionDue: string; overdue: boolean };
  resolvedAt: string | null;
};

function row(i: Item): unknown[] {
  const s = (k: string) => (typeof i[k] === 'string' ? (i[k] as string) : '');
  return [
    i.reference,
    local(s('receivedAt') || i.createdAt),
    STATUS_NL[i.status] ?? i.status,
    i.route,
    t(`reports.channel.${reportChannel(s('intakeChannel') && s('intakeChannel') !== 'chat' ? s('intakeChannel') : i.channel)}`),
    i.locale,
    i.contact?.name ?? '',
    s('category') && t(`staffApi.category.${s('category')}`, { defaultValue: s('category') }),
    s('department'),
    s('assignee'),
    s('handler'),
    s('outcome') && t(`reports.outcome.${s('outcome')}`, { defaultValue: s('outcome') }),
    s('deadline') || i.deadlines?.decisionDue || '',
    i.deadlines?.overdue ? 'ja' : 'nee',
    local(i.resolvedAt),
    i.excerpt,
  ];
}

/** query string values as the list takes them (the same names as GET /staff/api/complaints) */
function listQuery(req: restify.Request): ListQuery {
  const q: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string' || v === '' || k === 'limit' || k === 'cursor') continue;
    if (k === 'overdue' || k === 'open') q[k] = ['1', 'true', 'yes'].includes(v.toLowerCase());
    else if (k === 'dueWithinDays') q[k] = Number(v);
    else q[k] = v;
  }
  return q as ListQuery;
}

const PAGE = 100;
/** an export larger than this is refused (narrow the filters) */
export const MAX_EXPORT_ROWS = 50_000;

export async function exportComplaints(staff: Staff, who: Principal, query: ListQuery): Promise<{ csv: string; count: number }> {
  const parts: string[] = [BOM, csvLine(HEADER)];
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await staff.service.list(who, { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) } as ListQuery);
    for (const item of page.items as unknown as Item[]) parts.push(csvLine(row(item)));
    count += page.items.length;
    if (count > MAX_EXPORT_ROWS) {
      throw new StaffError(400, 'too_many', `Meer dan ${MAX_EXPORT_ROWS} klachten: kies een kortere periode of meer filters.`);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const filters = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, k === 'q' ? Boolean(v) : v]));
  await staff.audit.record(who, { action: 'complaint.export', detail: { count, format: 'csv', filters } });
  return { csv: parts.join(''), count };
}

export function registerCsvExportRoutes(server: restify.Server, staff: Staff, log: Logger): void {
  const api = staffApiHandler(staff, log);
  server.get(
    '/staff/api/complaints.csv',
    api(async (req, who) => {
      const { csv } = await exportComplaints(staff, who, listQuery(req));
      const day = new Date().toISOString().slice(0, 10);
      return {
        raw: Buffer.from(csv, 'utf8'),
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="klachten-${day}.csv"`,
        },
      };
    }),
  );
}
