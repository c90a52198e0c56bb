// A filled letter as plain text (text/plain; charset=utf-8): blocks separated by a blank line, lists
// as "- " lines, fields as "Label : value". No wrapping: a mail client or editor wraps as it needs.
import type { DocBlock, LetterDocument } from '../core/letters/compose.js';

const FIELD_SEPARATOR = { fr: ' : ', en: ': ' } as const;

function blockText(b: DocBlock, locale: LetterDocument['locale']): string {
  switch (b.kind) {
    case 'heading':
    case 'paragraph':
      return b.text;
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'fields':
      return b.rows.map((r) => `${r.label}${FIELD_SEPARATOR[locale]}${r.value.replace(/\n/g, ', ')}`).join('\n');
    case 'address':
    case 'signature':
      return b.lines.join('\n');
  }
}

export function letterAsText(doc: LetterDocument): string {
  return `${doc.blocks.map((b) => blockText(b, doc.locale)).join('\n\n')}\n`;
}
