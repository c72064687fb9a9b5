/**
 * The complaint as filed, as an accessible tagged PDF (issue 13): attached to the citizen's confirmation
 * of receipt, stored as a document with the zaak, shown to staff. Headings and labels come from the
 * locales (pdf.complaint.*, summary.field.*), gemeente facts from the municipality file.
 */
import type { Complaint } from '../../domain/complaint';
import type { Locale } from '../../domain/routes';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
import { complaintFacts } from './complaintFacts';
import { breather, TaggedPdf } from './document';

export async function renderComplaintPdf(
  complaint: Complaint,
  municipality: Municipality,
  locale: Locale = complaint.locale,
  /** when the gemeente received it, if not when it was stored (a letter entered by staff) */
  receivedAt: string = complaint.createdAt,
): Promise<Buffer> {
  const t = translator(locale);
  const facts = complaintFacts(complaint, locale, receivedAt);
  const pdf = new TaggedPdf({
    title: t('pdf.complaint.title', { reference: complaint.reference }),
    subject: t('pdf.complaint.subject', { municipality: municipality.name }),
    lang: locale,
    municipality,
    creationDate: new Date(receivedAt),
  });
  await breather();
  pdf.heading(t('pdf.complaint.title', { reference: complaint.reference }), 1);
  pdf.paragraph(t('pdf.complaint.intro', { municipality: municipality.name }));
  pdf.keyValues(facts.about);
  await breather();
  pdf.heading(t('summary.field.story'), 2);
  pdf.paragraph(facts.story);
  await breather();
  pdf.heading(t('pdf.complaint.details'), 2);
  pdf.keyValues(facts.details);
  if (facts.solution) {
    pdf.heading(t('summary.field.solution'), 2);
    pdf.paragraph(facts.solution);
  }
  await breather();
  pdf.heading(t('pdf.complaint.contact'), 2);
  pdf.keyValues(facts.contact);
  return pdf.end();
}
