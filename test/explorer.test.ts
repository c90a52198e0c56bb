// The OpenAPI explorer as a developer uses it: Debian's chromium (never a downloaded browser) driven by
// playwright-core opens /docs, picks a ready example, sends it and sees the verdict.
import t from 'tap';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { hashKey, parseApiKeys } from '../src/http/auth.js';
import { build } from './helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  // CI installs it (.ci/run); a developer machine without it is told how, and CI never skips.
  if (process.env.CI) t.fail(`${CHROMIUM} is missing: the explorer test needs Debian's chromium (apt-get install -y chromium)`);
  else t.test('the explorer in a real browser', { skip: `${CHROMIUM} not found — install Debian's chromium (apt-get install -y chromium) to run it` }, () => {});
} else {
  t.test('open /docs, pick the public-holiday example, execute it, and read the verdict', async (t) => {
    const app = await build(t);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    // launch() gives the browser a fresh, empty profile of its own.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    t.teardown(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${url}/docs`);
    await page.locator('#operations-verdicts-createVerdict').waitFor({ timeout: 15000 });
    await page.locator('#operations-verdicts-createVerdict .opblock-summary').click();
    // The explorer opens operations ready to try (tryItOutEnabled): the request editor is already there.
    await t.resolves(page.getByRole('button', { name: 'Cancel' }).first().waitFor({ timeout: 5000 }));
    const select = page.locator('#operations-verdicts-createVerdict .examples-select select').first();
    await select.selectOption({ label: 'Withdrawal period ending on a public holiday (11 November)' });
    await t.resolves(page.locator('#operations-verdicts-createVerdict textarea.body-param__text').inputValue());
    const body = await page.locator('#operations-verdicts-createVerdict textarea.body-param__text').inputValue();
    t.match(body, /"receivedAt": "2026-10-28"/, 'the example is in the request editor');
    await page.locator('#operations-verdicts-createVerdict button.execute').click();
    const response = page.locator('#operations-verdicts-createVerdict .responses-wrapper .live-responses-table .response-col_description pre').first();
    await response.waitFor({ timeout: 15000 });
    const text = await response.innerText();
    t.match(text, /"verdictId"/, 'a verdict came back');
    t.match(text, /"end": "2026-11-12"/, 'the withdrawal period runs past Armistice Day to 12 November 2026');
    t.match(text, /"rolledFrom": "2026-11-11"/);
    await page.screenshot({ path: join(tmpdir(), 'recourse-explorer.png'), fullPage: false });
  });

  t.test('with API keys configured, the explorer takes a key (Authorize) and sends it', async (t) => {
    const app = await build(t, { apiKeys: parseApiKeys(`explorer:${hashKey('key-typed-in-the-explorer')}`) });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    t.teardown(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${url}/docs`);
    await page.locator('button.authorize').first().click({ timeout: 15000 });
    await page.locator('.auth-container input[type=text], .auth-container input[type=password]').first().fill('key-typed-in-the-explorer');
    await page.locator('.auth-container button.authorize').first().click();
    await page.locator('button.btn-done, .close-modal').first().click();
    await page.locator('#operations-verdicts-createVerdict .opblock-summary').click();
    await page.locator('#operations-verdicts-createVerdict button.execute').click();
    const response = page.locator('#operations-verdicts-createVerdict .responses-wrapper .live-responses-table .response-col_description pre').first();
    await response.waitFor({ timeout: 15000 });
    t.match(await response.innerText(), /"verdictId"/, 'the verdict came back: the key was sent');
    t.match(await page.locator('#operations-verdicts-createVerdict .live-responses-table tbody .response-col_status').first().innerText(), /200/);
    const curl = await page.locator('#operations-verdicts-createVerdict .curl-command').first().innerText();
    t.match(curl, /Authorization: Bearer key-typed-in-the-explorer/);
  });
}
