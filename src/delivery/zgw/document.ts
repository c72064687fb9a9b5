/**
 * The complaint as a PDF for the zaak. Stand-in until src/delivery/pdf/complaintPdf.ts (the accessible,
 * tagged complaint PDF) has landed; then this function calls renderComplaintPdf instead.
 */
import PDFDocument from 'pdfkit';
import { addressLine, type Complaint } from '../../domain/complaint';
import type { Municipality } from '../../municipality';

export async function complaintPdf(complaint: Complaint, municipality: Municipality): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', lang: complaint.locale, info: { Title: `Klacht ${complaint.reference}`, Author: municipality.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(16).text(`Klacht ${complaint.reference}`);
  doc.moveDown().fontSize(11).text(municipality.name);
  doc.moveDown().text(complaint.story);
  if (complaint.solution) doc.moveDown().text(complaint.solution);
  doc.moveDown().text([complaint.contact.name, addressLine(complaint.contact), complaint.contact.phone, complaint.contact.email].filter(Boolean).join('\n'));
  doc.end();
  return done;
}
