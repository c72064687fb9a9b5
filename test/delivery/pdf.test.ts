/**
 * The tagged-PDF writer and the complaint PDF (issue 13): a real PDF, parsed back from its bytes
 * (objects are plain text in pdfkit's output; page content streams are inflated with zlib).
 */
import { inflateSync } from 'zlib';
import { renderComplaintPdf } from '../../src/delivery/pdf/complaintPdf';
import { TaggedPdf } from '../../src/delivery/pdf/document';
import { exampleComplaint } from '../../src/delivery/pdf/exampleComplaint';
import { loadMunicipality } from '../../src/municipality';

const municipality = loadMunicipality();

/** The PDF's object text plus every inflated stream, for looking things up. */
function readPdf(pdf: Buffer): { objects: string; streams: string[] } {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  const re = />>\s*stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      streams.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      /* a font or other binary stream that is not Flate: not needed here */
    }
    re.lastIndex = end;
  }
  return { objects: raw, streams };
}

const PAGINATION = /\/Artifact <<\s*\/Type \/Pagination\s*>> BDC/;

/** The structure types used, in order of their objects. */
function structTypes(objects: string): string[] {
  return [...objects.matchAll(/\/S \/(\w+)/g)].map((m) => m[1]);
}

test('the complaint PDF is a tagged PDF: StructTreeRoot, MarkInfo Marked, Lang, title shown, headings, tables, paragraphs', async () => {
  const pdf = await renderComplaintPdf(exampleComplaint('nl'), municipality, 'nl');
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const { objects, streams } = readPdf(pdf);
  expect(objects).toContain('/StructTreeRoot');
  expect(objects).toMatch(/\/MarkInfo \d+ 0 R/);
  expect(objects).toMatch(/\/Marked true/);
  expect(objects).toContain('/Lang (nl-NL)');
  expect(objects).toContain('/DisplayDocTitle true');
  expect(objects).toMatch(/\/Title \d+ 0 R/);
  expect(objects).toContain('(Klacht KL-2026-VB1234)');
  expect(objects).toContain('(Gemeente Amstelveen)');
  const types = structTypes(objects);
  for (const type of ['Document', 'H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD']) expect(types).toContain(type);
  expect(types.filter((t) => t === 'H1')).toHaveLength(1);
  // the header cells are row headers
  expect(objects).toMatch(/\/Scope \/Row/);
  // page numbers are artifacts, not content
  expect(streams.join('\n')).toMatch(PAGINATION);
  // every piece of content is marked: each text object sits inside a BDC ... EMC
  const page = streams.find((s) => s.includes('BT'))!;
  expect(page).toMatch(/\/(H1|P) <<\s*\/MCID 0\s*>> BDC/);
});

test('the complaint PDF in English says en-GB and the English title', async () => {
  const pdf = await renderComplaintPdf(exampleComplaint('en'), municipality, 'en');
  const { objects } = readPdf(pdf);
  expect(objects).toContain('/Lang (en-GB)');
  expect(objects).toContain('(Complaint KL-2026-VB1234)');
});

test('a long story runs onto more pages, each page numbered as an artifact, and the structure stays whole', async () => {
  const story = Array.from({ length: 60 }, (_, i) => `Zin ${i + 1}: de gemeente reageerde niet op mijn brieven en telefoontjes.`).join(' ');
  const pdf = await renderComplaintPdf(exampleComplaint('nl', { story: story.slice(0, 5000) }), municipality, 'nl');
  const { objects, streams } = readPdf(pdf);
  const count = Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(objects)?.[1]);
  expect(count).toBeGreaterThanOrEqual(2);
  const pageStreams = streams.filter((s) => s.includes('BT'));
  expect(pageStreams.filter((s) => PAGINATION.test(s))).toHaveLength(count);
  // the paragraph that crosses the page break is one P with marked content on both pages (an MCR to the second page)
  expect(objects).toMatch(/\/Type \/MCR/);
});

test('the writer: lists (L, LI, Lbl, LBody), a figure with alternative text, no letterhead when asked', async () => {
  const doc = new TaggedPdf({ title: 'Proef', lang: 'nl', municipality, letterhead: false, creationDate: new Date('2026-01-01T00:00:00Z') });
  doc.heading('Lijst', 1).list(['een', 'twee']).figure('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="#00548f"/></svg>', { alt: 'Een blauw vlak', width: 100, height: 50 });
  const { objects } = readPdf(await doc.end());
  const types = structTypes(objects);
  for (const type of ['L', 'LI', 'Lbl', 'LBody', 'Figure']) expect(types).toContain(type);
  expect(objects).toContain('/Alt (Een blauw vlak)');
  expect(objects).not.toContain('Laan Nieuwer-Amstel');
});

test('names outside Latin-1 print right: the Unicode font is embedded (FontFile2) with a ToUnicode map that holds Ł and Ş', async () => {
  const { pdfFonts } = await import('../../src/delivery/pdf/document');
  const complaint = exampleComplaint('nl', { contact: { ...exampleComplaint('nl').contact, name: 'Łukasz Şahin' } });
  const { objects, streams } = readPdf(await renderComplaintPdf(complaint, municipality, 'nl'));
  if (pdfFonts()) {
    expect(objects).toContain('/FontFile2');
    const toUnicode = streams.filter((s) => s.includes('beginbfchar') || s.includes('beginbfrange')).join('\n').toLowerCase();
    expect(toUnicode).toContain('0141'); // Ł
    expect(toUnicode).toContain('015e'); // Ş
  } else {
    // without a Unicode font installed: the built-in Helvetica (README: install fonts-dejavu-core)
    expect(objects).toContain('/BaseFont /Helvetica');
  }
});
