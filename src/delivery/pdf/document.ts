/**
 * A small tagged-PDF writer over pdfkit, shared by the complaint PDF (issue 13), the letters and the
 * annual report (issue 14).
 *
 * Accessible by construction (pdfkit docs/accessibility.md; PDF/UA-1 checklist):
 * - `tagged: true` (MarkInfo /Marked true), a StructTreeRoot with one `Document` element holding every
 *   heading (H1/H2/H3), paragraph (P), list (L > LI > LBody) and key–value table (Table > TR > TH + TD);
 * - the document language (`/Lang`), the title in the metadata, shown as the window title (`displayTitle`);
 * - the letterhead (the gemeente's name and postal address from the municipality file) is content (a P),
 *   page numbers are artifacts (`/Artifact <</Type /Pagination>>`), so screen readers skip them;
 * - reading order is the order of the calls.
 *
 * Fonts: a Unicode TrueType font (DejaVu Sans, Liberation Sans or Noto Sans, the first one installed) is
 * embedded when the machine has one, so names such as "Łukasz Şahin" come out right and the text can be
 * copied; otherwise pdfkit's built-in Helvetica (WinAnsi: Dutch and English letters, not Polish or
 * Turkish ones). The deployment image should install fonts-dejavu-core.
 *
 * Usage:
 *   const pdf = new TaggedPdf({ title, lang: 'nl', municipality });
 *   pdf.heading('Uw klacht', 1); pdf.keyValues([['Nummer', 'KL-…']]); pdf.paragraph(story);
 *   const buffer = await pdf.end();
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { Locale } from '../../domain/routes';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';

type Doc = PDFKit.PDFDocument;
type StructElement = PDFKit.PDFStructureElement;

export interface TaggedPdfOptions {
  /** the document title (metadata and window title) */
  title: string;
  /** the language of the text; also picks the page-number words */
  lang: Locale;
  municipality: Municipality;
  /** metadata author; default: the gemeente's name */
  author?: string;
  subject?: string;
  /** print the gemeente's name and postal address at the top of the first page (default true) */
  letterhead?: boolean;
  /** a fixed creation date (tests, reproducible output); default now */
  creationDate?: Date;
}

const FONT_CANDIDATES: ReadonlyArray<{ regular: string; bold: string }> = [
  { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' },
  { regular: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', bold: '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf' },
  { regular: '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf', bold: '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf' },
];

/** A font as fontkit parsed it; pdfkit's registerFont takes one (anything with `layout`). */
type ParsedFont = { layout: (text: string) => unknown };

let fontChoice: { regular: ParsedFont; bold: ParsedFont; files: { regular: string; bold: string } } | null | undefined;

/**
 * The embedded fonts, parsed once per process with the fontkit that pdfkit itself uses (parsing
 * DejaVu's tables for every document cost more than writing the document), or null for Helvetica.
 */
export function pdfFonts(): { regular: ParsedFont; bold: ParsedFont; files: { regular: string; bold: string } } | null {
  if (fontChoice === undefined) {
    const files = FONT_CANDIDATES.find((f) => existsSync(f.regular) && existsSync(f.bold));
    if (files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fontkit = require(require.resolve('fontkit', { paths: [path.dirname(require.resolve('pdfkit'))] })) as { create: (b: Buffer) => ParsedFont };
      fontChoice = { regular: fontkit.create(readFileSync(files.regular)), bold: fontkit.create(readFileSync(files.bold)), files };
    } else {
      fontChoice = null;
    }
  }
  return fontChoice;
}

/**
 * Lets other work run (the conversation's turns): pdfkit lays out and writes synchronously, so a long
 * document is written in slices with a turn of the event loop between them.
 */
export function breather(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const LANG_TAG: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const FOOTER_SIZE = 9;
const BODY_SIZE = 11;
const HEADING_SIZE: Record<1 | 2 | 3, number> = { 1: 18, 2: 14, 3: 12 };

export class TaggedPdf {
  readonly doc: Doc;
  readonly lang: Locale;
  private readonly root: StructElement;
  private readonly regular: string;
  private readonly bold: string;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private readonly municipality: Municipality;

  constructor(options: TaggedPdfOptions) {
    this.lang = options.lang;
    this.municipality = options.municipality;
    const fonts = pdfFonts();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: 56, bottom: 64, left: 64, right: 64 },
      pdfVersion: '1.7',
      tagged: true,
      lang: LANG_TAG[options.lang],
      displayTitle: true,
      bufferPages: true,
      info: {
        Title: options.title,
        Author: options.author ?? options.municipality.name,
        ...(options.subject ? { Subject: options.subject } : {}),
        Creator: 'klachtbot',
        Producer: 'klachtbot (pdfkit)',
        CreationDate: options.creationDate ?? new Date(),
      },
    } as PDFKit.PDFDocumentOptions);
    if (fonts) {
      this.doc.registerFont('body', fonts.regular as unknown as Buffer);
      this.doc.registerFont('body-bold', fonts.bold as unknown as Buffer);
      this.regular = 'body';
      this.bold = 'body-bold';
    } else {
      this.regular = 'Helvetica';
      this.bold = 'Helvetica-Bold';
    }
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
    this.doc.font(this.regular).fontSize(BODY_SIZE);
    if (options.letterhead !== false) this.letterhead();
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  /** Room left on this page; a new page when `needed` points do not fit. */
  private ensureRoom(needed: number): void {
    const bottom = this.doc.page.height - this.doc.page.margins.bottom;
    if (this.doc.y + needed > bottom) this.doc.addPage();
  }

  /** The gemeente's name (bold) and postal address, right-aligned on the first page. */
  private letterhead(): void {
    const m = this.municipality;
    const lines = m.postalAddress[0] === m.name ? m.postalAddress.slice(1) : m.postalAddress;
    const doc = this.doc;
    this.root.add(
      doc.struct('P', {}, () => {
        doc.font(this.bold).fontSize(12).text(m.name, this.left, doc.y, { width: this.width, align: 'right' });
        doc.font(this.regular).fontSize(FOOTER_SIZE + 1);
        for (const line of lines) doc.text(line, { width: this.width, align: 'right' });
        doc.text(m.urls.website.replace(/^https?:\/\//, ''), { width: this.width, align: 'right' });
      }),
    );
    doc.font(this.regular).fontSize(BODY_SIZE).moveDown(2);
  }

  heading(text: string, level: 1 | 2 | 3 = 1): this {
    const doc = this.doc;
    const size = HEADING_SIZE[level];
    this.ensureRoom(size * 3);
    if (level > 1) doc.moveDown(0.6);
    this.root.add(
      doc.struct(`H${level}`, {}, () => {
        doc.font(this.bold).fontSize(size).text(text, this.left, doc.y, { width: this.width });
      }),
    );
    doc.font(this.regular).fontSize(BODY_SIZE).moveDown(0.4);
    return this;
  }

  /** A paragraph; line breaks in `text` stay line breaks within it. */
  paragraph(text: string, options: { bold?: boolean; size?: number } = {}): this {
    const doc = this.doc;
    this.ensureRoom(BODY_SIZE * 2);
    this.root.add(
      doc.struct('P', {}, () => {
        doc
          .font(options.bold ? this.bold : this.regular)
          .fontSize(options.size ?? BODY_SIZE)
          .text(text, this.left, doc.y, { width: this.width, lineGap: 2 });
      }),
    );
    doc.font(this.regular).fontSize(BODY_SIZE).moveDown(0.6);
    return this;
  }

  /** A bulleted list (L > LI > Lbl + LBody). */
  list(items: string[]): this {
    const doc = this.doc;
    const list = doc.struct('L');
    this.root.add(list);
    const indent = 16;
    for (const item of items) {
      this.ensureRoom(BODY_SIZE * 2);
      const li = doc.struct('LI');
      list.add(li);
      const y = doc.y;
      li.add(doc.struct('Lbl', {}, () => doc.font(this.regular).fontSize(BODY_SIZE).text('•', this.left, y, { width: indent })));
      li.add(doc.struct('LBody', {}, () => doc.text(item, this.left + indent, y, { width: this.width - indent, lineGap: 2 })));
      li.end();
      doc.moveDown(0.2);
    }
    list.end();
    doc.x = this.left;
    doc.moveDown(0.4);
    return this;
  }

  /**
   * Labelled values as a two-column table (Table > TR > TH scope Row + TD): a screen reader says each
   * value with its label. An empty value is left out by the caller, not shown empty.
   */
  keyValues(rows: ReadonlyArray<readonly [string, string]>): this {
    const doc = this.doc;
    const labelWidth = Math.min(170, this.width * 0.35);
    const gap = 10;
    const valueWidth = this.width - labelWidth - gap;
    const table = doc.struct('Table');
    this.root.add(table);
    for (const [label, value] of rows) {
      doc.font(this.bold).fontSize(BODY_SIZE);
      const labelHeight = doc.heightOfString(label, { width: labelWidth });
      doc.font(this.regular);
      const valueHeight = doc.heightOfString(value, { width: valueWidth, lineGap: 2 });
      // keep a short row on one page; a long value may run on
      this.ensureRoom(Math.min(Math.max(labelHeight, valueHeight), 200));
      const y = doc.y;
      const tr = doc.struct('TR');
      table.add(tr);
      tr.add(
        doc.struct('TH', { scope: 'Row' } as PDFKit.Mixins.StructureElementOptions, () => {
          doc.font(this.bold).fontSize(BODY_SIZE).text(label, this.left, y, { width: labelWidth });
        }),
      );
      const labelPage = doc.page;
      const afterLabel = doc.y;
      tr.add(
        doc.struct('TD', {}, () => {
          doc.font(this.regular).fontSize(BODY_SIZE).text(value, this.left + labelWidth + gap, y, { width: valueWidth, lineGap: 2 });
        }),
      );
      tr.end();
      if (doc.page === labelPage) doc.y = Math.max(doc.y, afterLabel);
      doc.x = this.left;
      doc.moveDown(0.35);
    }
    table.end();
    doc.font(this.regular).fontSize(BODY_SIZE).moveDown(0.4);
    return this;
  }

  /** An SVG drawing (a chart) as a Figure with its text alternative. */
  figure(svg: string, options: { alt: string; width: number; height: number }): this {
    const doc = this.doc;
    this.ensureRoom(options.height + 10);
    const x = this.left;
    const y = doc.y;
    this.root.add(
      doc.struct('Figure', { alt: options.alt }, () => {
        SVGtoPDF(doc, svg, x, y, { width: options.width, height: options.height, assumePt: true });
      }),
    );
    doc.x = this.left;
    doc.y = y + options.height + 10;
    doc.font(this.regular).fontSize(BODY_SIZE);
    return this;
  }

  /** Vertical space, in lines of body text. */
  space(lines = 1): this {
    this.doc.moveDown(lines);
    return this;
  }

  /** Writes page numbers ("Pagina 1 van 2") as artifacts, closes the structure and returns the PDF. */
  async end(): Promise<Buffer> {
    const doc = this.doc;
    await breather();
    this.root.end();
    const t = translator(this.lang);
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0; // writing in the margin must not start a new page
      const y = doc.page.height - bottomMargin + 24;
      doc.markContent('Artifact', { type: 'Pagination' });
      doc
        .font(this.regular)
        .fontSize(FOOTER_SIZE)
        .text(t('pdf.page', { page: i + 1 - range.start, pages: range.count }), this.left, y, { width: this.width, align: 'center', lineBreak: false });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottomMargin;
    }
    await breather();
    doc.end();
    return this.done;
  }
}
