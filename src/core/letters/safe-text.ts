// Free text a client sent (names, addresses, titles, the description) as a letter prints it: control
// characters and the invisible characters that reorder text are shown as \uXXXX, never passed on to
// be interpreted (by a terminal, a PDF viewer or a browser); line breaks survive only where the field
// is multi-line. HTML escaping is the HTML renderer's job, on top of this.

// C0 and C1 controls, DEL, the bidirectional embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export function printable(text: string, multiline: boolean): string {
  const lines = text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(UNSAFE, escapeChar)
    .split('\n')
    .map((l) => l.trimEnd());
  return multiline ? lines.join('\n').replace(/^\n+|\n+$/g, '') : lines.join(' ').trim();
}
