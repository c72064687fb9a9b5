/**
 * The legal terms of a complaint as staff see them, and the cut-off instants that let SQL find the
 * overdue ones. Dutch working days come from src/domain/workingDays (complaintDeadlines); nothing
 * here re-implements them.
 *
 * - contact: the department contacts the citizen within 4 working days of receipt. Staff meet it by
 *   taking the complaint into handling (status informal or formal); still `received` after that
 *   day is overdue.
 * - decision: Awb 9:11, 6 weeks after receipt, once extendable by at most 4 weeks; overdue while not
 *   resolved after that day.
 * A deadline day itself is still in time; overdue starts the next calendar day (Amsterdam).
 */
import type { Status } from '../domain/complaint';
import { complaintDeadlines, toAmsterdamDate } from '../domain/workingDays';

export interface Deadlines {
  contactBy: string;
  decideBy: string;
  decideByExtended: string;
  /** decideBy, or decideByExtended once the term was extended */
  decisionDue: string;
  extended: boolean;
  contactOverdue: boolean;
  decisionOverdue: boolean;
  overdue: boolean;
}

export function deadlinesFor(createdAt: string, status: Status, extended: boolean, now: Date): Deadlines {
  const d = complaintDeadlines(new Date(createdAt));
  const today = toAmsterdamDate(now);
  const decisionDue = extended ? d.decideByExtended : d.decideBy;
  const contactOverdue = status === 'received' && today > d.contactBy;
  const decisionOverdue = status !== 'resolved' && today > decisionDue;
  return { ...d, decisionDue, extended, contactOverdue, decisionOverdue, overdue: contactOverdue || decisionOverdue };
}

const DAY_MS = 86_400_000;

function isoToUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function addCalendarDays(date: string, days: number): string {
  return new Date(isoToUtc(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant at which the calendar day `date` starts in Europe/Amsterdam, as an ISO string. */
export function amsterdamMidnight(date: string): string {
  const utcMidnight = isoToUtc(date);
  for (const hours of [1, 2, 0]) {
    const t = utcMidnight - hours * 3_600_000;
    if (toAmsterdamDate(new Date(t)) === date && toAmsterdamDate(new Date(t - 1)) !== date) return new Date(t).toISOString();
  }
  throw new RangeError(`no Amsterdam midnight found for ${date}`);
}

/** A receipt instant safely inside Amsterdam day `date` (noon), for complaintDeadlines. */
function noonOf(date: string): Date {
  return new Date(isoToUtc(date) + 11 * 3_600_000);
}

export interface OverdueCutoffs {
  /** complaints received before this instant are past their contact deadline today */
  contact: string;
  /** ... past the 6-week decision deadline */
  decide: string;
  /** ... past the extended decision deadline */
  decideExtended: string;
}

const cutoffCache = new Map<string, OverdueCutoffs>();

/**
 * Deadlines grow with the day of receipt, so "overdue today" is "received before some day". For each
 * term this finds the last receipt day whose deadline is before today, and returns the start of the
 * day after it.
 */
export function overdueCutoffs(now: Date): OverdueCutoffs {
  return deadlineCutoffs(toAmsterdamDate(now));
}

/** Cut-offs for "a deadline before `today`" (any Amsterdam day: overdue is this for today). */
export function deadlineCutoffs(today: string): OverdueCutoffs {
  const cached = cutoffCache.get(today);
  if (cached) return cached;
  const cutoff = (deadline: (received: string) => string): string => {
    let day = today;
    for (let i = 0; i < 400 && deadline(day) >= today; i++) day = addCalendarDays(day, -1);
    return amsterdamMidnight(addCalendarDays(day, 1));
  };
  const result: OverdueCutoffs = {
    contact: cutoff((d) => complaintDeadlines(noonOf(d)).contactBy),
    decide: cutoff((d) => complaintDeadlines(noonOf(d)).decideBy),
    decideExtended: cutoff((d) => complaintDeadlines(noonOf(d)).decideByExtended),
  };
  if (cutoffCache.size > 64) cutoffCache.clear();
  cutoffCache.set(today, result);
  return result;
}
