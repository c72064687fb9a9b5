/**
 * The letters of the complaint procedure (Awb chapter 9), rendered as tagged PDFs
 * (src/delivery/pdf/document.ts) in the citizen's language (nl/en, B1; texts in locales/*.json under
 * `letters`, municipal facts from the municipality file):
 * - receipt (9:6): the written confirmation of receipt, with when we contact and when we decide;
 * - extension (9:11 lid 2): the term is extended once, by at most 4 weeks, with the reason and the new date;
 * - hearing (9:10): the invitation to be heard, with date, time and place;
 * - decision (9:12): findings, the outcome, what we will do, and the ombudsman with the term to go there.
 * Pure: everything the letter says comes in through LetterFacts.
 */
import { TaggedPdf } from '../../delivery/pdf/document';
import type { Locale } from '../../domain/routes';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
import type { LetterKind } from '../../store/types';

export interface LetterFacts {
  kind: LetterKind;
  locale: Locale;
  reference: string;
  /** the letter's date (YYYY-MM-DD) */
  date: string;
  name: string;
  /** address lines of the citizen (street, postcode + town, country) */
  address: string[];
  /** Amsterdam day of receipt */
  receivedDate: string;
  contactBy: string;
  decideBy: string;
  decideByExtended: string;
  story: string;
  /** extension */
  extensionReason?: string;
  /** hearing: Amsterdam day and time (HH:mm) and place */
  hearingDate?: string;
  hearingTime?: string;
  hearingPlace?: string;
  /** decision */
  outcome?: string | null;
  findings?: string;
  conclusions?: string;
}

const LOCALE_TAG: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/** "donderdag 10 december 2026" / "Thursday 10 December 2026" */
export function longDate(day: string, locale: Locale): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALE_TAG[locale], { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

export function letterTitle(kind: LetterKind, locale: Locale): string {
  return translator(locale)(`letters.${kind}.title`);
}

export async function renderLetter(f: LetterFacts, m: Municipality, opts: { creationDate?: Date } = {}): Promise<Buffer> {
  const t = translator(f.locale);
  const date = (d: string) => longDate(d, f.locale);
  const hole = t('letters.placeholder');
  const facts = {
    gemeente: m.name,
    phone: m.phone,
    hours: m.officeHours[f.locale],
    email: m.email,
    ombudsman: m.ombudsman.name,
    ombudsmanUrl: m.ombudsman.url,
    ombudsmanMonths: m.ombudsman.termMonths,
    receivedDate: date(f.receivedDate),
  };
  const title = letterTitle(f.kind, f.locale);
  const pdf = new TaggedPdf({
    title: t('letters.subject', { title, reference: f.reference }),
    lang: f.locale,
    municipality: m,
    subject: t(`letters.kind.${f.kind}`),
    ...(opts.creationDate ? { creationDate: opts.creationDate } : {}),
  });
  // the address block, then date and reference
  pdf.paragraph([f.name, ...f.address].filter(Boolean).join('\n'));
  pdf.keyValues([
    [t('letters.date'), date(f.date)],
    [t('letters.reference'), f.reference],
  ]);
  pdf.heading(title, 1);
  pdf.paragraph(t('letters.greeting', { name: f.name }));
  switch (f.kind) {
    case 'receipt':
      pdf.paragraph(t('letters.receipt.intro', facts));
      pdf.paragraph(t('letters.receipt.about'), { bold: true });
      pdf.paragraph(f.story);
      pdf.heading(t('letters.receipt.next'), 2);
      pdf.paragraph(t('letters.receipt.contact', { contactBy: date(f.contactBy) }));
      pdf.paragraph(t('letters.receipt.decide', { decideBy: date(f.decideBy) }));
      break;
    case 'extension':
      pdf.paragraph(t('letters.extension.intro', facts));
      pdf.paragraph(t('letters.extension.law'));
      pdf.paragraph(t('letters.extension.reason'), { bold: true });
      pdf.paragraph(f.extensionReason?.trim() || hole);
      pdf.paragraph(t('letters.extension.newDate', { newDate: date(f.decideByExtended) }), { bold: true });
      break;
    case 'hearing':
      pdf.paragraph(t('letters.hearing.intro'));
      pdf.heading(t('letters.hearing.when'), 2);
      pdf.keyValues([
        [t('letters.hearing.day'), f.hearingDate ? date(f.hearingDate) : hole],
        [t('letters.hearing.time'), f.hearingTime ? t('letters.hearing.timeValue', { time: f.hearingTime }) : hole],
        [t('letters.hearing.place'), f.hearingPlace?.trim() || hole],
      ]);
      pdf.paragraph(t('letters.hearing.others'));
      pdf.paragraph(t('letters.hearing.change'));
      break;
    case 'decision':
      pdf.paragraph(t('letters.decision.intro', facts));
      pdf.heading(t('letters.decision.findings'), 2);
      pdf.paragraph(f.findings?.trim() || hole);
      pdf.heading(t('letters.decision.outcome'), 2);
      pdf.paragraph(f.outcome ? t(`letters.decision.outcomeText.${f.outcome}`, { defaultValue: f.outcome }) : hole);
      pdf.heading(t('letters.decision.conclusions'), 2);
      pdf.paragraph(f.conclusions?.trim() || hole);
      pdf.heading(t('letters.decision.ombudsmanTitle'), 2);
      pdf.paragraph(t('letters.decision.ombudsman', facts));
      break;
  }
  pdf.paragraph(t('letters.questions', facts));
  pdf.paragraph(`${t('letters.closing')}\n${t('letters.signature', facts)}`);
  return pdf.end();
}
