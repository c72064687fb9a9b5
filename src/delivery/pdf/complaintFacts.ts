/**
 * A filed complaint as labelled facts in the citizen's language, shared by the complaint PDF and the
 * e-mails: the date of receipt in Dutch time, "when" as a day or a period (with the citizen's own words
 * when they said more), the place, the person, the contact details. Values are plain text; whoever shows
 * them as HTML escapes them.
 */
import { formatPhone } from '../../domain/contact';
import type { Complaint } from '../../domain/complaint';
import { formatDate } from '../../domain/dates';
import type { Locale } from '../../domain/routes';
import { toAmsterdamDate } from '../../domain/workingDays';
import { translator } from '../../i18n';
import { formatAddress } from '../../understanding/address';
import { formatPeriod } from '../../understanding/dates';

export type FactRow = readonly [label: string, value: string];

export interface ComplaintFacts {
  /** reference and date received */
  about: FactRow[];
  story: string;
  /** when, where, about whom */
  details: FactRow[];
  solution: string | null;
  /** name, address, phone, e-mail, call-back */
  contact: FactRow[];
}

const timeFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The time in Dutch time, written the way of the language: "14.05" (nl), "14:05" (en). */
export function amsterdamTime(instant: Date, locale: Locale = 'nl'): string {
  const hhmm = timeFormat.format(instant);
  return locale === 'nl' ? hhmm.replace(':', '.') : hhmm;
}

/** CET or CEST on a day (call-back times are Dutch time). Same rule as dialogs/callbackDialog.ts amsterdamZone. */
export function amsterdamZone(isoDate: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', timeZoneName: 'short' }).formatToParts(new Date(`${isoDate}T12:00:00Z`));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'CET';
}

/** "dinsdag 1 december 2026 om 12.05 uur" / "Tuesday 1 December 2026 at 12:05". */
export function receivedText(createdAt: string, locale: Locale): string {
  const at = new Date(createdAt);
  return translator(locale)('pdf.complaint.receivedAt', { date: formatDate(toAmsterdamDate(at), locale), time: amsterdamTime(at, locale) });
}

/** A day with its weekday, a period as a period ("9–15 november 2026"), or the citizen's words. */
export function whenValue(c: Pick<Complaint, 'incidentDate' | 'incidentDateFrom' | 'incidentDateTo' | 'incidentDateText'>, locale: Locale): string {
  const t = translator(locale);
  const from = c.incidentDateFrom ?? c.incidentDate ?? undefined;
  const to = c.incidentDateTo ?? from;
  const words = c.incidentDateText.trim();
  if (!from || !to) return words || t('summary.none');
  const when = from === to ? formatDate(from, locale) : formatPeriod({ text: '', from, to }, locale);
  return words && words.toLowerCase() !== when.toLowerCase() ? t('pdf.complaint.whenWords', { when, text: words }) : when;
}

/** `receivedAt`: when the gemeente received it (a complaint entered by staff may be older than its row); default createdAt. */
export function complaintFacts(c: Complaint, locale: Locale, receivedAt: string = c.createdAt): ComplaintFacts {
  const t = translator(locale);
  const none = t('summary.none');
  const field = (f: string) => t(`summary.field.${f}`);
  const person = c.person ?? (c.personKind ? t(`person.kind.${c.personKind}`) : null);
  const contact: FactRow[] = [
    [field('name'), c.contact.name],
    [field('address'), formatAddress({ street: c.contact.street, postcode: c.contact.postcode, city: c.contact.city, country: c.contact.country }) || none],
    [field('phone'), c.contact.phone ? formatPhone(c.contact.phone) : none],
    [field('email'), c.contact.email ?? none],
  ];
  if (c.callback) {
    const cb = c.callback;
    contact.push([
      field('callback'),
      t('summary.callback', { date: formatDate(cb.date, locale), part: t(`callback.part.${cb.partOfDay}`), zone: amsterdamZone(cb.date) }),
    ]);
  }
  return {
    about: [
      [t('pdf.complaint.reference'), c.reference],
      [t('pdf.complaint.received'), receivedText(receivedAt, locale)],
    ],
    story: c.story,
    details: [
      [field('when'), whenValue(c, locale)],
      [field('place'), c.place],
      [field('person'), person ?? none],
    ],
    solution: c.solution && c.solution.trim() ? c.solution : null,
    contact,
  };
}
