// A filled letter as a PDF: A4, DejaVu Sans embedded (subset) so French accents, the euro sign and
// any name a client sends print the same on every machine, whatever fonts it has. pdfkit lays the
// text out (wrapping, pages); its output is deterministic once the metadata dates are fixed: they are
// the letter's date (the verdict's asOf), and the file id pdfkit derives from them is then fixed too.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { DocBlock, LetterDocument } from '../core/letters/compose.js';

const require = createRequire(import.meta.url);
const fontPath = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`);
// Read once: every letter embeds the subset of the glyphs it uses.
const REGULAR = readFileSync(fontPath('DejaVuSans.ttf'));
const BOLD = readFileSync(fontPath('DejaVuSans-Bold.ttf'));

const MARGIN = 64;
const SIZE = 10.5;
const FIELD_SEPARATOR = { fr: ' : ', en: ': ' } as const;

export function letterAsPdf(doc: LetterDocument): Promise<Buffer> {
  const at = new Date(`${doc.asOf}T00:00:00Z`);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    pdfVersion: '1.7',
    lang: doc.locale === 'fr' ? 'fr-FR' : 'en-GB',
    displayTitle: true,
    bufferPages: true,
    info: { Title: doc.subject, Author: 'Recourse', Subject: doc.title, Creator: 'Recourse', Producer: 'Recourse (pdfkit)', CreationDate: at, ModDate: at },
  });
  pdf.registerFont('regular', REGULAR);
  pdf.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const width = pdf.page.width - 2 * MARGIN;
  const text = (s: string, options: PDFKit.Mixins.TextOptions = {}) => pdf.font('regular').fontSize(SIZE).text(s, { width, lineGap: 2, ...options });
  const gap = () => pdf.moveDown(0.8);
  const block = (b: DocBlock) => {
    switch (b.kind) {
      case 'heading':
        pdf.font('bold').fontSize(13).text(b.text, { width, align: 'center' });
        break;
      case 'paragraph':
        text(b.text, { align: b.align });
        break;
      case 'list':
        for (const item of b.items) text(`•  ${item}`, { indent: 0 });
        break;
      case 'fields':
        for (const r of b.rows) {
          pdf.font('bold').fontSize(SIZE).text(`${r.label}${FIELD_SEPARATOR[doc.locale]}`, { width, continued: true, lineGap: 2 });
          pdf.font('regular').text(r.value.replace(/\n/g, ', '));
        }
        break;
      case 'address':
        text(b.lines.join('\n'), { align: b.align });
        break;
      case 'signature':
        pdf.moveDown(0.5);
        text(b.lines.join('\n'));
        break;
    }
    gap();
  };
  for (const b of doc.blocks) block(b);

  // Page numbers once the page count is known.
  const range = pdf.bufferedPageRange();
  if (range.count > 1)
    for (let i = 0; i < range.count; i++) {
      pdf.switchToPage(range.start + i);
      pdf.font('regular').fontSize(8).text(`${i + 1} / ${range.count}`, MARGIN, pdf.page.height - MARGIN / 2, { width, align: 'center', lineBreak: false });
    }
  pdf.end();
  return done;
}
