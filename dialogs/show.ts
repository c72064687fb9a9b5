/**
 * How the dialogs show what the citizen told: the date (a day, a period, or the words), and each
 * field as one line. Citizen text is escaped where it is shown (see text.ts).
 */
import type { TurnContext } from 'botbuilder';
import { formatPhone } from '../src/domain/contact';
import { formatDate } from '../src/domain/dates';
import type { Locale } from '../src/domain/routes';
import type { Draft, DraftField } from './draft';
import { citizenText } from './text';
import { tr, turnLocale } from './turn';

const INTL: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const monthFormat = (l: Locale) => new Intl.DateTimeFormat(INTL[l], { timeZone: 'UTC', month: 'long', year: 'numeric' });
const dayFormat = (l: Locale) => new Intl.DateTimeFormat(INTL[l], { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const MONTH: Record<Locale, Intl.DateTimeFormat> = { nl: monthFormat('nl'), en: monthFormat('en') };
const DAY: Record<Locale, Intl.DateTimeFormat> = { nl: dayFormat('nl'), en: dayFormat('en') };

const utc = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};

/** A day ('dinsdag 17 november 2026'), a whole month ('oktober 2026'), or a period ('26 oktober 2026 tot en met 1 november 2026'). */
export function formatPeriod(from: string, to: string, locale: Locale, t: (key: string, vars?: Record<string, unknown>) => string): string {
  if (from === to) return formatDate(from, locale);
  const a = utc(from);
  const b = utc(to);
  const lastOfMonth = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 0)).getUTCDate();
  if (a.getUTCDate() === 1 && b.getUTCFullYear() === a.getUTCFullYear() && b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() === lastOfMonth) {
    return MONTH[locale].format(a);
  }
  return t('when.period', { from: DAY[locale].format(a), to: DAY[locale].format(b) });
}

/** How the bot read the date: the day or period, or the citizen's words when too vague for either. */
export function whenText(context: TurnContext, d: Pick<Draft, 'incidentDate' | 'incidentDateFrom' | 'incidentDateTo' | 'incidentDateText'>): string {
  const t = tr(context);
  const from = d.incidentDateFrom ?? d.incidentDate ?? undefined;
  const to = d.incidentDateTo ?? from;
  if (from && to) return formatPeriod(from, to, turnLocale(context), t);
  return d.incidentDateText ? citizenText(d.incidentDateText) : t('summary.none');
}

/** One field as shown to the citizen. */
export function fieldValue(context: TurnContext, d: Draft, field: DraftField | 'story'): string {
  const t = tr(context);
  const none = t('summary.none');
  const c = d.contact;
  const show = (v: string | null | undefined) => (v ? citizenText(v) : none);
  switch (field) {
    case 'story':
      return show(d.story);
    case 'when':
      return whenText(context, d);
    case 'place':
      return show(d.place);
    case 'person':
      return show(d.person);
    case 'solution':
      return show(d.solution);
    case 'name':
      return show(c.name);
    case 'phone':
      return c.phone ? formatPhone(c.phone) : none;
    case 'email':
      return show(c.email);
    case 'address': {
      const town = [c.postcode, c.city].filter(Boolean).map((p) => citizenText(p)).join(' ');
      const country = (c as { country?: string }).country;
      const parts = [c.street ? citizenText(c.street) : '', town, country ? citizenText(country) : ''].filter(Boolean);
      return parts.length ? parts.join(', ') : none;
    }
  }
}

/** The words for a kind of place in the conversation's language ("Aan de telefoon"), as the place buttons say it. */
export function placeLabel(context: TurnContext): (kind: string) => string {
  const t = tr(context);
  return (kind) => t(`place.kind.${kind}`);
}
