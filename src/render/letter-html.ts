// A filled letter as HTML: the <article> the verdict page embeds, or a page of its own (text/html).
import type { DocBlock, LetterDocument } from '../core/letters/compose.js';
import { esc, escLines, page, type Page } from './html.js';

const FIELD_SEPARATOR = { fr: ' : ', en: ': ' } as const;

function blockHtml(b: DocBlock, locale: LetterDocument['locale']): string {
  switch (b.kind) {
    case 'heading':
      return `<h3 class="letter-heading">${esc(b.text)}</h3>`;
    case 'paragraph':
      return `<p${b.align === 'right' ? ' class="right"' : ''}>${escLines(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'fields':
      return `<dl class="fields">${b.rows.map((r) => `<div><dt>${esc(r.label)}${FIELD_SEPARATOR[locale]}</dt><dd>${escLines(r.value)}</dd></div>`).join('')}</dl>`;
    case 'address':
      return `<p class="address${b.align === 'right' ? ' right' : ''}">${b.lines.map(esc).join('<br>')}</p>`;
    case 'signature':
      return `<p class="signature">${b.lines.map(esc).join('<br>')}</p>`;
  }
}

/** The letter's body, to embed in a page. */
export function letterArticle(doc: LetterDocument, id?: string): string {
  return `<article class="letter"${id ? ` id="${esc(id)}"` : ''}>\n${doc.blocks.map((b) => blockHtml(b, doc.locale)).join('\n')}\n</article>`;
}

export const LETTER_CSS =
  'body{font-family:"DejaVu Sans",Arial,sans-serif;color:#111;background:#fff;margin:0;padding:1.5rem}' +
  '.letter{max-width:42rem;margin:0 auto;line-height:1.45;font-size:0.95rem}.letter .right{text-align:right}' +
  '.letter-heading{text-align:center;font-size:1.1rem}.fields div{display:flex;gap:.25rem}.fields dt{font-weight:bold}.fields dd{margin:0}';

export function letterPage(doc: LetterDocument): Page {
  return page(doc.locale, doc.subject, LETTER_CSS, letterArticle(doc));
}
