// What every HTML page of the service shares: escaping (every value a client or the verdict gives is
// text, never markup), one stylesheet inlined and allowed by its hash alone (no script, no external
// asset), and the Content-Security-Policy that says so.
import { createHash } from 'node:crypto';
import type { Locale } from '../contract/primitives.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: & < > " ' escaped, nothing interpreted. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Text with its line breaks kept as <br>. */
export const escLines = (value: string) => value.split('\n').map(esc).join('<br>');

export interface Page {
  html: string;
  /** The Content-Security-Policy to send with it: its own stylesheet, nothing else. */
  csp: string;
}

export function page(lang: Locale, title: string, css: string, body: string): Page {
  const hash = createHash('sha256').update(css).digest('base64');
  const html = `<!DOCTYPE html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(title)}</title>\n<style>${css}</style>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
  return {
    html,
    csp: `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  };
}
