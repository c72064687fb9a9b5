/** The PDFs the delivery and the letters make, as jobs a thread can be sent (src/delivery/background). */
import type { Complaint } from '../../domain/complaint';
import type { Locale } from '../../domain/routes';
import type { Municipality } from '../../municipality';
import { renderLetter, type LetterFacts } from '../../staff/letters/render';
import { renderComplaintPdf } from './complaintPdf';

export type PdfJob =
  | { kind: 'complaint'; complaint: Complaint; municipality: Municipality; locale?: Locale; receivedAt?: string }
  | { kind: 'letter'; facts: LetterFacts; municipality: Municipality; creationDate?: Date };

/** Renders a job on the calling thread. */
export function renderHere(job: PdfJob): Promise<Buffer> {
  if (job.kind === 'complaint') return renderComplaintPdf(job.complaint, job.municipality, job.locale ?? job.complaint.locale, job.receivedAt ?? job.complaint.createdAt);
  return renderLetter(job.facts, job.municipality, job.creationDate ? { creationDate: job.creationDate } : {});
}
