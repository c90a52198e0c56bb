// The verdict as a page (POST /v1/verdicts, Accept: text/html), opened in Debian's chromium through
// playwright-core (never a downloaded browser) with the headers the service sent, CSP included: the
// decision and the timeline are on screen (read back from the screenshot's pixels), the page has its
// language and headings, every status colour has enough contrast, nothing is loaded but the page, no
// script runs, and markup sent as data stays text.
import t from 'tap';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatDate } from '../src/core/text.js';
import { build, example } from './helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** WCAG 2.x contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Counts the pixels of a PNG close to a colour, decoding it in a blank page of the browser. */
async function pixelsLike(browser: Browser, png: Buffer, rgb: [number, number, number]): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ data, rgb }) => {
        const img = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
        const canvas = new OffscreenCanvas(img.width, img.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i]! - rgb[0]) < 24 && Math.abs(px[i + 1]! - rgb[1]) < 24 && Math.abs(px[i + 2]! - rgb[2]) < 24) n++;
        return n;
      },
      { data: png.toString('base64'), rgb },
    );
  } finally {
    await page.close();
  }
}

async function open(t: Parameters<typeof build>[0], body: Record<string, unknown>, accept = 'text/html') {
  const app = await build(t);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${url}/v1/verdicts`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
  const json = await (await fetch(`${url}/v1/verdicts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  // The page is served at a URL of its own, with exactly the headers the service sent.
  const headers = Object.fromEntries(res.headers.entries());
  const html = await res.text();
  await page.route('http://verdict.test/page', (route) => route.fulfill({ status: res.status, headers, body: html }));
  await page.goto('http://verdict.test/page');
  return { page, browser, verdict: json, html, headers, requests, pageErrors };
}

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) t.fail(`${CHROMIUM} is missing: the verdict page test needs Debian's chromium`);
  else t.test('the verdict page in a real browser', { skip: `${CHROMIUM} not found` }, () => {});
} else {
  t.test('a defect verdict as a page: decision, timeline, path, evidence and letters, in French', async (t) => {
    const body = { ...example('05-defective-within-presumption'), locale: 'fr' };
    const { page, browser, verdict, html, headers, requests, pageErrors } = await open(t, body);
    t.equal(headers['content-type'], 'text/html; charset=utf-8');
    t.match(headers['content-security-policy'], /^default-src 'none'; style-src 'sha256-/);
    t.notMatch(html, /<script|<link|src=|@import|url\(/i, 'nothing to run or fetch');
    t.same(requests, ['http://verdict.test/page'], 'the page loads nothing else');
    // (Chromium notes that it ignores helmet's Cross-Origin-Opener-Policy on plain http: not an error of the page.)
    t.same(pageErrors.filter((e) => /Content Security Policy|Refused|Uncaught/i.test(e)), [], 'no CSP violation, no script error');

    t.equal(await page.getAttribute('html', 'lang'), 'fr');
    t.equal(await page.locator('h1').count(), 1);
    const h2 = await page.locator('h2').allInnerTexts();
    t.same(h2.slice(0, 5), ['Décision', 'Voies de recours', 'Délais', 'Parcours de recours', 'Preuves à conserver']);
    t.ok(h2.includes('Lettres') && h2.includes('Textes cités'));
    t.equal(await page.locator('.decision .summary').innerText(), verdict.decision.summary, 'the decision, as the verdict says it');

    // The timeline: one bar per deadline, and the asOf line.
    t.equal(await page.locator('svg.timeline g.deadline').count(), verdict.deadlines.length);
    t.same(await page.locator('svg.timeline g.deadline').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id'))), verdict.deadlines.map((d: { id: string }) => d.id));
    t.equal(await page.locator('svg.timeline line.asof').count(), 1);

    // Read the screenshots back: the timeline shows green bars and the red asOf line; the decision box its blue frame.
    const timeline = await page.locator('svg.timeline').screenshot();
    t.ok((await pixelsLike(browser, timeline, [0x1b, 0x5e, 0x20])) > 500, 'open deadlines drawn in green');
    t.ok((await pixelsLike(browser, timeline, [0xb7, 0x1c, 0x1c])) > 30, 'the verdict date drawn as a red line');
    const decision = await page.locator('.decision').screenshot();
    t.ok((await pixelsLike(browser, decision, [0x0d, 0x47, 0xa1])) > 300, 'the decision box and its badge are on screen');
    t.ok((await pixelsLike(browser, decision, [0x11, 0x11, 0x11])) > 300, 'with its text');

    // Statuses: readable colours (CSS applied under the CSP, contrast at least 4.5:1).
    const badges = await page.locator('.badge').evaluateAll((els) => els.map((e) => ({ status: e.getAttribute('data-status'), fg: getComputedStyle(e).color, bg: getComputedStyle(e).backgroundColor })));
    t.ok(badges.length >= verdict.remedies.length + verdict.appealPath.length);
    for (const b of badges) t.ok(contrast(b.fg, b.bg) >= 4.5, `${b.status}: ${b.fg} on ${b.bg} has contrast ${contrast(b.fg, b.bg).toFixed(2)}`);
    t.not(badges[0]!.bg, 'rgba(0, 0, 0, 0)', 'the stylesheet is applied (allowed by its hash)');

    // The appeal path, step by step in the verdict's order, each with the dates the verdict gives it.
    const steps = await page.locator('ol.path > li').evaluateAll((lis) => lis.map((li) => ({ step: li.getAttribute('data-step'), text: (li as HTMLElement).innerText })));
    t.same(steps.map((s) => s.step), verdict.appealPath.map((s: { step: string }) => s.step), 'every step, in order');
    const dated = verdict.appealPath.filter((s: { notBefore: string | null; notAfter: string | null }) => s.notBefore || s.notAfter);
    t.ok(dated.length > 0, 'this verdict dates at least one step');
    for (const s of dated) {
      const text = steps.find((x) => x.step === s.step)!.text;
      if (s.notBefore) t.match(text, `pas avant le ${formatDate(s.notBefore, 'fr')}`, `${s.step}: not before`);
      if (s.notAfter) t.match(text, `au plus tard le ${formatDate(s.notAfter, 'fr')}`, `${s.step}: at the latest`);
    }
    t.equal(await page.locator('ul.evidence li').count(), verdict.evidence.length, 'every evidence item');
    // The letters offered are embedded and linked; the others say why not.
    const links = await page.locator('ul.letters a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    t.ok(links.includes('#letter-written_complaint') && links.includes('#letter-formal_notice_conformity') === false, 'the complaint is offered; the conformity notice needs a chosen remedy');
    for (const href of links) t.equal(await page.locator(`details${href} article.letter`).count(), 1, `${href} is on the page`);
    await page.locator('a[href="#letter-written_complaint"]').click();
    await page.locator('#letter-written_complaint summary').click();
    t.ok(await page.locator('#letter-written_complaint article.letter').isVisible(), 'a letter opens without script');
    await page.locator('details.not-offered summary').click();
    t.match(await page.locator('details.not-offered').innerText(), /Demande de médiation|Mise en demeure/, 'the letters not offered, each with its reason');
  });

  t.test('in English, markup sent as data stays text; JSON stays the default', async (t) => {
    const body = example('06-damaged-in-transit');
    (body.order as any).id = '<b id="injected">42</b>';
    const { page, html } = await open(t, body, 'text/html,application/xhtml+xml,*/*;q=0.8');
    t.equal(await page.getAttribute('html', 'lang'), 'en');
    t.equal(await page.locator('#injected').count(), 0, 'no element from the client');
    t.match(await page.locator('h1').innerText(), 'Order <b id="injected">42</b>');
    t.match(html, '&lt;b id=&quot;injected&quot;&gt;42&lt;/b&gt;');

    const app = await build(t);
    const json = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: body, headers: { accept: 'application/json, text/html;q=0.5' } });
    t.match(json.headers['content-type'], /^application\/json/, 'JSON when it is preferred');
    const none = await app.inject({ method: 'POST', url: '/v1/verdicts', payload: body });
    t.match(none.headers['content-type'], /^application\/json/, 'JSON by default');
  });
}
