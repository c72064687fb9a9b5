/**
 * The annual report on complaints (Awb 9:12a): per calendar year (Europe/Amsterdam) of receipt, the
 * number of complaints by category, department, channel, outcome and handling (informal against
 * formal), the share decided within the term, the median days to close, and how often the bot
 * referred citizens to another procedure (bezwaar, melding/Fixi, schade, zorgaanbieder, ...).
 *
 * The counting is SQL (GROUP BY in src/store/{sqlite,postgres}/reports.ts, the same results on both);
 * the term and the days to close are computed here with the rules of src/staff/deadlines.ts (working
 * days, holidays, the one extension of Awb 9:11), never re-derived:
 * - within the term: resolved on or before its decision deadline (`decisionDue` of deadlinesFor: 6
 *   weeks after receipt, 10 when extended), both as Amsterdam calendar days;
 * - days to close: calendar days from the Amsterdam day of receipt to the Amsterdam day of resolution.
 * Both are over the complaints received in the year and resolved by the time of the report.
 *
 * Labels are Dutch (locales/nl.json, `reports.*`; categories and departments as staff entered them).
 * A report is served again for up to a minute (the staff page asks for the figures and six charts at
 * once); `generatedAt` says when it was made.
 */
import { REFERRAL_ROUTES } from '../../domain/routes';
import { translator, type Translate } from '../../i18n';
import type { KeyCount, Store } from '../../store/types';
import { addCalendarDays, amsterdamMidnight, deadlinesFor } from '../deadlines';

export interface LabelledCount {
  key: string | null;
  label: string;
  count: number;
}

export interface AnnualReport {
  year: number;
  /** when it was made (ISO) */
  generatedAt: string;
  /** complaints received in the year */
  total: number;
  byCategory: LabelledCount[];
  byDepartment: LabelledCount[];
  /** chat, teams, phone, letter, email, counter */
  byChannel: LabelledCount[];
  byOutcome: LabelledCount[];
  byStatus: LabelledCount[];
  /** informal, formal, and not yet taken into handling */
  byHandling: LabelledCount[];
  informal: number;
  formal: number;
  /** resolved, of the complaints received in the year */
  closed: number;
  /** resolved on or before the decision deadline */
  closedWithinTerm: number;
  /** closedWithinTerm / closed (0..1, 3 decimals); null when none is closed */
  withinTermShare: number | null;
  /** median calendar days from receipt to resolution; null when none is closed */
  medianDaysToClose: number | null;
  /** the bot's referrals to other procedures in the year, per route (every route, 0 when none) */
  referrals: Record<string, number>;
  referralsTotal: number;
  byReferral: LabelledCount[];
}

/** The channel a report names: how the complaint came in. */
export function reportChannel(raw: string | null): string {
  if (raw === null) return 'chat';
  if (['phone', 'letter', 'email', 'counter'].includes(raw)) return raw;
  if (raw === 'msteams' || raw === 'teams') return 'teams';
  return 'chat';
}

const CHANNEL_ORDER = ['chat', 'teams', 'phone', 'letter', 'email', 'counter'];

/** The Amsterdam days of a range of years, for finding the day of an instant without Intl per row. */
class DayTable {
  private readonly starts: string[] = [];
  private readonly days: string[] = [];

  constructor(fromYear: number, toYear: number) {
    for (let day = `${fromYear}-01-01`; day <= `${toYear}-12-31`; day = addCalendarDays(day, 1)) {
      this.days.push(day);
      this.starts.push(amsterdamMidnight(day));
    }
  }

  /** the Amsterdam calendar day of an instant inside the table's range (undefined outside it) */
  dayOf(iso: string): string | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    if (hi < 0 || iso < this.starts[0]) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= iso) lo = mid;
      else hi = mid - 1;
    }
    return lo === this.starts.length - 1 && iso >= amsterdamMidnight(addCalendarDays(this.days[lo], 1)) ? undefined : this.days[lo];
  }
}

const tables = new Map<string, DayTable>();
function dayTable(fromYear: number, toYear: number): DayTable {
  const key = `${fromYear}-${toYear}`;
  let t = tables.get(key);
  if (!t) {
    t = new DayTable(fromYear, toYear);
    if (tables.size > 8) tables.clear();
    tables.set(key, t);
  }
  return t;
}

const DAY_MS = 86_400_000;
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export class AnnualReports {
  private readonly t: Translate = translator('nl');
  /** reports made in the last `maxAgeMs`, per year (the page asks for the figures and six charts at once) */
  private readonly cache = new Map<number, { at: number; report: Promise<AnnualReport> }>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
    /** how long a made report is served again (default 60 s; 0: always made anew) */
    private readonly maxAgeMs = 60_000,
  ) {}

  /** The report of a year of receipt (Europe/Amsterdam calendar year), at most `maxAgeMs` old. */
  annual(year: number): Promise<AnnualReport> {
    const now = Date.now();
    const hit = this.cache.get(year);
    if (hit && now - hit.at < this.maxAgeMs) return hit.report;
    const report = this.make(year);
    if (this.maxAgeMs > 0) {
      if (this.cache.size > 20) this.cache.clear();
      this.cache.set(year, { at: now, report });
      report.catch(() => this.cache.delete(year));
    }
    return report;
  }

  private async make(year: number): Promise<AnnualReport> {
    const now = this.clock();
    const period = { from: amsterdamMidnight(`${year}-01-01`), before: amsterdamMidnight(`${year + 1}-01-01`) };
    const [agg, closedRows, referralRows] = await Promise.all([
      this.store.reports.aggregates(period),
      this.store.reports.closed(period),
      this.store.referrals.countByRoute(`${year}-01-01`, `${year}-12-31`),
    ]);
    // resolution may fall in the years after; the table covers up to the report's own year
    const lastYear = Math.max(year, Number(now.toISOString().slice(0, 4)) + 1);
    const days = dayTable(year, lastYear);
    const dueCache = new Map<string, string>();
    const durations: number[] = [];
    let inTime = 0;
    for (const r of closedRows) {
      const received = days.dayOf(r.receivedAt);
      const resolved = days.dayOf(r.resolvedAt);
      if (!received || !resolved) continue;
      const key = `${received}|${r.extended ? 1 : 0}`;
      let due = dueCache.get(key);
      if (due === undefined) {
        // a receipt instant inside that Amsterdam day (its midnight): deadlinesFor counts from its day
        due = deadlinesFor(amsterdamMidnight(received), 'resolved', r.extended, now).decisionDue;
        dueCache.set(key, due);
      }
      if (resolved <= due) inTime++;
      durations.push(daysBetween(received, resolved));
    }
    const closed = durations.length;
    const referrals: Record<string, number> = Object.fromEntries(REFERRAL_ROUTES.map((r) => [r, 0]));
    for (const r of referralRows) referrals[r.key] = (referrals[r.key] ?? 0) + r.count;
    const handlingCount = (k: string) => agg.byHandling.find((h) => h.key === k)?.count ?? 0;
    const label = (group: string, key: string | null) => (key === null ? this.t('reports.none') : this.t(`reports.${group}.${key}`, { defaultValue: key }));
    const labelled = (group: string | null, rows: KeyCount[]): LabelledCount[] =>
      rows.map((r) => ({ key: r.key, label: group ? label(group, r.key) : (r.key ?? this.t('reports.none')), count: r.count }));
    // channels: the raw channel ids folded into the six a report names, in a fixed order
    const channels = new Map<string, number>();
    for (const r of agg.byChannel) channels.set(reportChannel(r.key), (channels.get(reportChannel(r.key)) ?? 0) + r.count);
    const byChannel = CHANNEL_ORDER.filter((c) => channels.has(c)).map((c) => ({ key: c, label: label('channel', c), count: channels.get(c)! }));
    const byHandling = (['informal', 'formal', null] as const)
      .map((k) => ({ key: k, label: label('handling', k ?? 'none'), count: agg.byHandling.find((h) => h.key === k)?.count ?? 0 }))
      .filter((h) => h.count > 0 || h.key !== null);
    return {
      year,
      generatedAt: now.toISOString(),
      total: agg.total,
      byCategory: agg.byCategory.map((r) => ({
        key: r.key,
        label: r.key === null ? this.t('reports.none') : this.t(`staffApi.category.${r.key}`, { defaultValue: r.key }),
        count: r.count,
      })),
      byDepartment: labelled(null, agg.byDepartment),
      byChannel,
      byOutcome: labelled('outcome', agg.byOutcome),
      byStatus: labelled('status', agg.byStatus),
      byHandling,
      informal: handlingCount('informal'),
      formal: handlingCount('formal'),
      closed,
      closedWithinTerm: inTime,
      withinTermShare: closed ? Math.round((inTime / closed) * 1000) / 1000 : null,
      medianDaysToClose: median(durations),
      referrals,
      referralsTotal: Object.values(referrals).reduce((a, b) => a + b, 0),
      byReferral: REFERRAL_ROUTES.map((r) => ({ key: r, label: label('referral', r), count: referrals[r] })),
    };
  }
}
