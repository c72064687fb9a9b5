/**
 * The e-mails' content (issue 13), built from the texts in locales/<lang>.json (mail.*) and the facts in
 * the municipality file; nothing municipal is written here. Each mail is a list of blocks rendered twice:
 * as plain text and as simple, accessible HTML (lang attribute, title, real headings, a table with row
 * headers for labelled values, no images, no styles that carry meaning). Every value is escaped in HTML;
 * links are made only in the template's own sentences, never in what a citizen wrote.
 *
 * The officers' mail carries no personal data (no name, story, phone, e-mail, address, call-back topic)
 * unless `personalData` is on (MAIL_OFFICERS_PERSONAL_DATA=true): mail leaves the server.
 */
import type { Complaint, StoredCallback } from '../../domain/complaint';
import { formatDate } from '../../domain/dates';
import type { Locale } from '../../domain/routes';
import { complaintDeadlines } from '../../domain/workingDays';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
import { amsterdamZone, complaintFacts, receivedText, type FactRow } from '../pdf/complaintFacts';
import type { Delivery } from '../types';

export type Block =
  | { h: string }
  /** `links`: turn the template's own URLs into links (never set for citizen text) */
  | { p: string; links?: boolean }
  | { rows: ReadonlyArray<FactRow> }
  | { list: string[]; links?: boolean };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes, then links the URLs (http/https only) of an already escaped text. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g, (url) => `<a href="${url}">${url}</a>`);
}

function htmlText(s: string, links = false): string {
  const e = escapeHtml(s);
  return (links ? linkify(e) : e).replace(/\r?\n/g, '<br>\n');
}

export function renderMail(locale: Locale, subject: string, blocks: Block[]): RenderedMail {
  const text = blocks
    .map((b) => {
      if ('h' in b) return `${b.h}\n${'-'.repeat(Math.min(b.h.length, 60))}`;
      if ('p' in b) return b.p;
      if ('rows' in b) return b.rows.map(([k, v]) => `${k}: ${v}`).join('\n');
      return b.list.map((item) => `- ${item}`).join('\n');
    })
    .join('\n\n');
  const body = blocks
    .map((b) => {
      if ('h' in b) return `<h2>${escapeHtml(b.h)}</h2>`;
      if ('p' in b) return `<p>${htmlText(b.p, b.links)}</p>`;
      if ('rows' in b)
        return `<table style="border-collapse:collapse">\n${b.rows
          .map(([k, v]) => `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td style="padding:2px 0">${htmlText(v)}</td></tr>`)
          .join('\n')}\n</table>`;
      return `<ul>\n${b.list.map((item) => `<li>${htmlText(item, b.links)}</li>`).join('\n')}\n</ul>`;
    })
    .join('\n');
  const html = `<!DOCTYPE html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em">
${body}
</body>
</html>
`;
  return { subject, text: `${text}\n`, html };
}

/** The story, shortened for the mail body (the whole complaint is in the attached PDF). */
function shortStory(story: string, max = 700): string {
  const s = story.trim();
  return s.length <= max ? s : `${s.slice(0, max).replace(/\s+\S*$/, '')} …`;
}

/** The confirmation of receipt to the citizen, in their language (B1). */
export function citizenMail(complaint: Complaint, municipality: Municipality, locale: Locale = complaint.locale, receivedAt: string = complaint.createdAt): RenderedMail {
  const t = translator(locale);
  const m = municipality;
  const facts = complaintFacts(complaint, locale, receivedAt);
  // the terms count from receipt (src/domain/workingDays.ts)
  const deadlines = complaintDeadlines(new Date(receivedAt));
  const reference = complaint.reference;
  const blocks: Block[] = [
    { p: t('mail.citizen.greeting', { name: complaint.contact.name }) },
    { p: t('mail.citizen.received', { received: receivedText(receivedAt, locale), reference }) },
    { h: t('mail.citizen.toldTitle') },
    { p: shortStory(facts.story) },
    { rows: facts.solution ? [...facts.details, [t('summary.field.solution'), facts.solution]] : facts.details },
    { h: t('mail.citizen.nextTitle') },
    { p: t('mail.citizen.nextContact', { contactBy: formatDate(deadlines.contactBy, locale) }) },
    { p: t('mail.citizen.nextDecision', { decideBy: formatDate(deadlines.decideBy, locale) }) },
  ];
  if (complaint.callback) {
    const cb = complaint.callback;
    const when = t('summary.callback', { date: formatDate(cb.date, locale), part: t(`callback.part.${cb.partOfDay}`), zone: amsterdamZone(cb.date) });
    blocks.push({ p: t('mail.citizen.callback', { when }) });
  }
  blocks.push(
    { h: t('mail.citizen.questionsTitle') },
    { p: t('mail.citizen.questions', { phone: m.phone, hours: m.officeHours[locale], email: m.email }), links: true },
    { p: t('mail.citizen.ombudsman', { ombudsman: m.ombudsman.name, ombudsmanUrl: m.ombudsman.url }), links: true },
    { p: t('mail.citizen.attachment') },
    { p: `${t('mail.citizen.closing')}\n${t('mail.citizen.signature', { municipality: m.name })}` },
  );
  return renderMail(locale, t('mail.citizen.subject', { reference }), blocks);
}

export function citizenAttachmentName(complaint: Complaint, locale: Locale = complaint.locale): string {
  return translator(locale)('mail.citizen.attachmentName', { reference: complaint.reference });
}

export interface OfficersMailOptions {
  /** MAIL_OFFICERS_PERSONAL_DATA */
  personalData: boolean;
  staffLink: string;
  /** the officers read Dutch; the same texts exist in English for a gemeente that wants them */
  locale?: Locale;
  /** when the gemeente received it (default: when it was stored) */
  receivedAt?: string;
}

/** To the officers: a new complaint, its reference and the staff link; personal data only when turned on. */
export function officersComplaintMail(complaint: Complaint, opts: OfficersMailOptions): RenderedMail {
  const locale = opts.locale ?? 'nl';
  const t = translator(locale);
  const reference = complaint.reference;
  const receivedAt = opts.receivedAt ?? complaint.createdAt;
  const deadlines = complaintDeadlines(new Date(receivedAt));
  const blocks: Block[] = [
    { p: t('mail.officers.complaintIntro', { received: receivedText(receivedAt, locale), reference }) },
    { p: t('mail.officers.contactBy', { contactBy: formatDate(deadlines.contactBy, locale) }) },
    { p: t('mail.officers.link', { link: opts.staffLink }), links: true },
  ];
  if (opts.personalData) {
    const facts = complaintFacts(complaint, locale, receivedAt);
    blocks.push(
      { h: t('mail.officers.detailsTitle') },
      { p: facts.story },
      { rows: [...facts.details, ...(facts.solution ? [[t('summary.field.solution'), facts.solution] as const] : []), ...facts.contact] },
    );
  } else {
    blocks.push({ p: t('mail.officers.noPersonalData') });
  }
  blocks.push({ p: t('mail.officers.footer') });
  return renderMail(locale, t('mail.officers.complaintSubject', { reference }), blocks);
}

/** To the officers: a new call-back request. */
export function officersCallbackMail(callback: StoredCallback, opts: OfficersMailOptions): RenderedMail {
  const locale = opts.locale ?? 'nl';
  const t = translator(locale);
  const reference = callback.reference;
  const blocks: Block[] = [
    {
      p: t('mail.officers.callbackIntro', {
        received: receivedText(callback.createdAt, locale),
        reference,
        date: formatDate(callback.date, locale),
        part: t(`callback.part.${callback.partOfDay}`),
      }),
    },
  ];
  if (callback.complaintReference) blocks.push({ p: t('mail.officers.callbackWithComplaint', { complaint: callback.complaintReference }) });
  blocks.push({ p: t('mail.officers.link', { link: opts.staffLink }), links: true });
  if (opts.personalData) {
    const rows: FactRow[] = [
      [t('summary.field.name'), callback.name],
      [t('summary.field.phone'), callback.phone],
    ];
    if (callback.topic) rows.push([t('mail.officers.topic'), callback.topic]);
    blocks.push({ h: t('mail.officers.detailsTitle') }, { rows });
  } else {
    blocks.push({ p: t('mail.officers.noPersonalData') });
  }
  blocks.push({ p: t('mail.officers.footer') });
  return renderMail(locale, t('mail.officers.callbackSubject', { reference }), blocks);
}

export interface DigestMailOptions {
  day: string;
  /** the staff page link of a subject's reference, undefined for a subject without one */
  linkFor: (d: Delivery) => string | undefined;
  /** the staff page's deliveries view */
  allLink: string;
  locale?: Locale;
}

/** The daily summary of failed deliveries: references, targets, attempts, last errors, links. No personal data. */
export function digestMail(failed: Delivery[], opts: DigestMailOptions): RenderedMail {
  const locale = opts.locale ?? 'nl';
  const t = translator(locale);
  const items = failed.map((d) => {
    const subject = d.subject.kind === 'digest' ? d.subject.day : d.subject.reference;
    const line = t('mail.digest.item', { subject, target: d.target, attempts: d.attempts, error: d.lastError ?? t('mail.digest.noError') });
    const link = opts.linkFor(d);
    return link ? `${line}\n${t('mail.digest.link', { link })}` : line;
  });
  return renderMail(locale, t('mail.digest.subject', { count: failed.length, day: opts.day }), [
    { p: t('mail.digest.intro') },
    { list: items, links: true },
    { p: t('mail.digest.all', { link: opts.allLink }), links: true },
  ]);
}
