/** The PDFs the delivery, the letters and the annual report make, as jobs a thread can be sent (src/delivery/background). */
import type { Complaint } from '../../domain/complaint';
import type { Locale } from '../../domain/routes';
import type { Municipality } from '../../municipality';
import { renderLetter, type LetterFacts } from '../../staff/letters/render';
import type { AnnualReport } from '../../staff/reports/annual';
import { reportPdf } from '../../staff/reports/pdf';
import { renderComplaintPdf } from './complaintPdf';

export type PdfJob =
  | { kind: 'complaint'; complaint: Complaint; municipality: Municipality; locale?: Locale; receivedAt?: string }
  | { kind: 'letter'; facts: LetterFacts; municipality: Municipality; creationDate?: Date }
  | { kind: 'report'; report: AnnualReport; municipality: Municipality };

/** Renders a job on the calling thread. */
export function renderHere(job: PdfJob): Promise<Buffer> {
  if (job.kind === 'complaint') return renderComplaintPdf(job.complaint, job.municipality, job.locale ?? job.complaint.locale, job.receivedAt ?? job.complaint.createdAt);
  if (job.kind === 'report') return reportPdf(job.report, job.municipality);
  return renderLetter(job.facts, job.municipality, job.creationDate ? { creationDate: job.creationDate } : {});
}
