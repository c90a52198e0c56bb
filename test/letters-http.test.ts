// POST /v1/letters over real HTTP on a real port: the PDF read back with Debian's pdftotext (poppler)
// for its key sentences and figures, which must be the verdict's; A4, fonts embedded, fixed metadata
// dates, the same bytes twice; formats by field or Accept; 400 for an unknown letter or format, 422
// with the reason for a letter the verdict does not offer; names with markup escaped, never run.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDate, formatMoney } from '../src/core/text.js';
import { build, example } from './helpers/app.js';

const POPPLER = ['/usr/bin/pdftotext', '/usr/bin/pdfinfo', '/usr/bin/pdffonts'];
const parties = { consumer: { name: 'Camille Martin', address: '12 rue des Lilas\n75011 Paris' }, trader: { name: 'Boutique Exemple SAS', address: '3 avenue du Commerce\n69002 Lyon' } };

async function serve(t: Parameters<typeof build>[0]) {
  const app = await build(t);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { post };
}

if (!POPPLER.every(existsSync)) {
  if (process.env.CI) t.fail('poppler-utils is missing: the PDF test needs pdftotext, pdfinfo and pdffonts (apt-get install -y poppler-utils)');
  else t.test('letters as PDF', { skip: 'poppler-utils not found — apt-get install -y poppler-utils' }, () => {});
} else {
  t.test('a formal notice to refund as PDF: A4, DejaVu embedded, fixed dates, the verdict\'s figures and sentences', async (t) => {
    const { post } = await serve(t);
    const request = { ...example('12-refund-refused-opened-item'), locale: 'fr' };
    const verdict = await (await post('/v1/verdicts', request)).json();
    const res = await post('/v1/letters', { request, letter: 'formal_notice_refund', format: 'pdf', parties });
    t.equal(res.status, 200);
    t.equal(res.headers.get('content-type'), 'application/pdf');
    t.equal(res.headers.get('x-verdict-id'), verdict.verdictId, 'filled from the same verdict');
    t.equal(res.headers.get('x-needs-legal-review'), 'false', 'its wording rests on verified texts');
    const pdf = Buffer.from(await res.arrayBuffer());
    const again = Buffer.from(await (await post('/v1/letters', { request, letter: 'formal_notice_refund', format: 'pdf', parties })).arrayBuffer());
    t.ok(pdf.equals(again), 'the same PDF byte for byte');

    const dir = mkdtempSync(join(tmpdir(), 'recourse-pdf-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'letter.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('/usr/bin/pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    t.match(info, /Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/, 'A4');
    t.match(info, new RegExp(`CreationDate:\\s+${verdict.asOf}T00:00:00`), 'created on the verdict date, not now');
    t.match(info, new RegExp(`ModDate:\\s+${verdict.asOf}T00:00:00`));
    const fonts = execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' });
    t.match(fonts, /DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/, 'DejaVu Sans embedded (subset)');
    t.notMatch(fonts, /\bno\s+no\s+no\b/, 'no font left to the reader\'s machine');

    const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const money = (n: number) => formatMoney(n, 'EUR', 'fr');
    t.match(text, 'MISE EN DEMEURE');
    t.match(text, 'Camille Martin');
    t.match(text, `La somme de ${money(verdict.refund.total)} devait m'être remboursée au plus tard le ${formatDate(verdict.refund.deadline, 'fr')}`, 'the refund and its deadline, as the verdict gives them');
    t.match(text, `le retard atteint ${verdict.refund.penalty.daysLate} jours et la majoration s'élève à ${money(verdict.refund.penalty.amount)}`, 'the L242-4 increase, as the verdict computes it');
    t.match(text, `je vous mets en demeure de me verser la somme de ${money(verdict.refund.outstanding)} ainsi que la majoration de ${money(verdict.refund.penalty.amount)}`);
    t.match(text, verdict.legalBasis['FR.C_CONSO.L242-4'].citation, 'cites L242-4 as the verdict does');
    t.match(text, 'délai de 15 jours à compter de la réception', 'the time left, the verdict\'s parameter');
  });

  t.test('the model withdrawal form as PDF keeps every French accent', async (t) => {
    const { post } = await serve(t);
    const request = { ...example('01-withdrawal-change-of-mind'), locale: 'fr' };
    const res = await post('/v1/letters', { request, letter: 'withdrawal_form', parties }, { accept: 'application/pdf' });
    t.equal(res.headers.get('content-type'), 'application/pdf', 'by Accept');
    t.equal(res.headers.get('x-needs-legal-review'), 'true', 'the 2022 wording of the form was not seen: flagged');
    const dir = mkdtempSync(join(tmpdir(), 'recourse-pdf-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'form.pdf');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    t.match(text, 'MODÈLE DE FORMULAIRE DE RÉTRACTATION');
    t.match(text, 'Je vous notifie par la présente ma rétractation du contrat portant sur la vente du bien');
    t.match(text, 'Commandé le : jeudi 29 octobre 2026');
    t.match(text, 'Reçu le : lundi 2 novembre 2026');
    t.match(text, 'Adresse du consommateur : 12 rue des Lilas, 75011 Paris');
  });

  t.test('in a PDF, a name with markup and a description with a control character are printed as written, never run', async (t) => {
    const { post } = await serve(t);
    const request = example('05-defective-within-presumption');
    (request.order as any).seller.name = '<img src=x onerror=alert(1)> & "Co"';
    (request.incident as any).description = 'Broken </p><script>alert(2)</script>\u0007 bell';
    const res = await post('/v1/letters', { request, letter: 'written_complaint', format: 'pdf' });
    t.equal(res.status, 200);
    const pdf = Buffer.from(await res.arrayBuffer());
    t.notMatch(pdf.toString('latin1'), /\/(JavaScript|OpenAction|Launch)\b/, 'no script or action in the PDF');
    const dir = mkdtempSync(join(tmpdir(), 'recourse-pdf-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'complaint.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    t.match(text, '<img src=x onerror=alert(1)> & "Co"', 'the seller\'s name, markup and all, as text');
    t.match(text, 'Broken </p><script>alert(2)</script>\\u0007 bell', 'the description as written, the bell shown as \\u0007');
  });
}

t.test('formats: text by default, html with its own CSP, and the same letter in each', async (t) => {
  const { post } = await serve(t);
  const request = example('01-withdrawal-change-of-mind');
  const text = await post('/v1/letters', { request, letter: 'withdrawal_declaration', parties });
  t.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
  t.match(await text.text(), 'Please refund me €83.90');
  const html = await post('/v1/letters', { request, letter: 'withdrawal_declaration', parties }, { accept: 'text/html' });
  t.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
  t.match(html.headers.get('content-security-policy'), /^default-src 'none'; style-src 'sha256-/);
  const body = await html.text();
  t.match(body, '<html lang="en">');
  t.notMatch(body, /<script/i);
  t.match(body, 'Please refund me €83.90');
});

t.test('bad input: unknown letter or format is a 400 naming the field; a letter not offered is a 422 saying why', async (t) => {
  const { post } = await serve(t);
  const request = example('01-withdrawal-change-of-mind');
  const unknown = await post('/v1/letters', { request, letter: 'love_letter' });
  t.equal(unknown.status, 400);
  t.match((await unknown.json()).errors, [{ path: 'letter', message: /no letter "love_letter".*withdrawal_form/ }]);
  const format = await post('/v1/letters', { request, letter: 'withdrawal_form', format: 'docx' });
  t.equal(format.status, 400);
  t.match((await format.json()).errors, [{ path: 'format' }]);
  const extra = await post('/v1/letters', { request, letter: 'withdrawal_form', colour: 'pink' });
  t.equal(extra.status, 400);
  t.match((await extra.json()).errors, [{ path: 'colour' }]);
  const mediation = await post('/v1/letters', { request, letter: 'mediation_request' });
  t.equal(mediation.status, 422);
  const p = await mediation.json();
  t.equal(p.type, 'urn:recourse:problem:letter-not-offered');
  t.match(p.detail, /Consumer mediation.*"later".*only after a written complaint/, 'a mediation request before any written complaint: the verdict\'s own reason');
  t.match(p.errors, [{ path: 'letter' }]);
  const remedy = await post('/v1/letters', { request: example('05-defective-within-presumption'), letter: 'formal_notice_conformity' });
  t.equal(remedy.status, 400);
  t.match((await remedy.json()).errors, [{ path: 'remedy' }]);
});

t.test('names and descriptions with markup or control characters are escaped in HTML and shown, never interpreted', async (t) => {
  const { post } = await serve(t);
  const request = example('05-defective-within-presumption');
  (request.order as any).seller.name = '<img src=x onerror=alert(1)> & "Co"';
  (request.incident as any).description = 'Broken </p><script>alert(2)</script>\u0007 bell';
  const html = await (await post('/v1/letters', { request, letter: 'written_complaint', format: 'html' })).text();
  t.notMatch(html, /<img|<script/i, 'no markup from the client');
  t.match(html, '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
  t.match(html, 'Broken &lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;\\u0007 bell', 'the bell is shown as \\u0007');
  const text = await (await post('/v1/letters', { request, letter: 'written_complaint', format: 'text' })).text();
  t.notMatch(text, /\u0007/, 'no raw control character in the text either');
});
