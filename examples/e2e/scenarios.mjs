// The end-to-end scenarios in Debian's Chromium, driven by playwright-core.
// Usage: node scenarios.mjs APP_PORT OP_PORT API_PORT SCREENSHOT_PATH
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [appPort, , apiPort] = process.argv.slice(2, 5).map(Number);
const screenshot = process.argv[5];
const app = `http://127.0.0.1:${appPort}`;
const api = `http://127.0.0.1:${apiPort}/api/appointments`;
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

/** A fresh browser profile: no provider session, no storage. */
async function browser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-e2e-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Opens the app with `query`, and waits for the crate to have built the Sign In link. */
async function open(page, query = '') {
  await page.goto(`${app}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Signs in through the provider's own login and consent pages. */
async function interactiveLogin(page, { cancelConsent = false } = {}) {
  await page.click('#signin');
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', 'jane');
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  const consent = page.locator('button[type="submit"]:has-text("Continue")');
  await consent.waitFor();
  if (cancelConsent) await page.click('a:has-text("Cancel")');
  else await consent.click();
  await page.waitForURL(`${app}/callback**`);
}

async function result(page) {
  await page.waitForFunction(() => document.getElementById('result').textContent !== 'not signed in');
  return page.textContent('#result');
}

async function callApi(page, button = '#call-api') {
  await page.evaluate(() => { document.getElementById('api').textContent = ''; });
  await page.click(button);
  await page.waitForFunction(() => document.getElementById('api').textContent !== '');
  return page.textContent('#api');
}

const scenarios = {
  async 'id_token token + audience: interactive login, then the API answers'(page) {
    await open(page);
    await interactiveLogin(page);
    const text = await result(page);
    if (!text.startsWith('signed in as jane (with an access token)')) throw new Error(text);
    const answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(answer);
    if (screenshot) await page.screenshot({ path: screenshot });
  },
  async 'id_token only: signed in without an access token'(page) {
    await open(page, '?response_type=id_token&audience=');
    await interactiveLogin(page);
    const text = await result(page);
    if (text !== 'signed in as jane') throw new Error(text);
  },
  async 'prompt=none after a login: signed in again without any UI'(page) {
    await open(page);
    await interactiveLogin(page);
    await result(page);
    await open(page, '?prompt=none');
    const visited = [];
    page.on('framenavigated', (frame) => visited.push(frame.url()));
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const text = await result(page);
    if (!text.startsWith('signed in as jane')) throw new Error(text);
    const ui = visited.filter((url) => url.includes('/interaction/'));
    if (ui.length > 0) throw new Error(`UI shown: ${ui[0]}`);
  },
  async 'prompt=none without a session: login_required, as a denial'(page) {
    await open(page, '?prompt=none');
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const text = await result(page);
    if (text !== 'denied: login_required') throw new Error(text);
  },
  async 'the user cancels consent: access_denied'(page) {
    await open(page);
    await interactiveLogin(page, { cancelConsent: true });
    const text = await result(page);
    if (text !== 'denied: access_denied') throw new Error(text);
  },
  async 'an unknown audience: invalid_target'(page) {
    await open(page, `?audience=${encodeURIComponent('https://unknown.example/api')}`);
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const text = await result(page);
    if (text !== 'denied: invalid_target') throw new Error(text);
  },
  async 'the ES256 client: signed in, and the API answers'(page) {
    await open(page, '?client=spa-es256');
    await interactiveLogin(page);
    const text = await result(page);
    if (!text.startsWith('signed in as jane')) throw new Error(text);
    const answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(answer);
  },
  async 'a tampered state finds no transaction, and the real redirect still completes'(page) {
    await open(page);
    await page.evaluate(() => sessionStorage.setItem('ig:hold', '1'));
    await interactiveLogin(page);
    await page.waitForSelector('body[data-ready="true"]');
    const hash = await page.evaluate(() => window.receivedHash);
    const tampered = hash.replace(/state=([^&])/, (_, c) => `state=${c === 'A' ? 'B' : 'A'}`);
    await page.evaluate((h) => window.completeWith(h), tampered);
    const text = await result(page);
    if (text !== 'error: no_transaction') throw new Error(text);
    await page.evaluate((h) => window.completeWith(h), hash);
    const after = await page.textContent('#result');
    if (!after.startsWith('signed in')) throw new Error(`after the stray one: ${after}`);
  },
  async 'reloading the callback (a replay) finds no transaction'(page) {
    await open(page);
    await interactiveLogin(page);
    const first = await result(page);
    if (!first.startsWith('signed in')) throw new Error(first);
    const hash = await page.evaluate(() => window.receivedHash);
    // The same URL again, fragment and all, loaded afresh (goto alone would only move
    // to the fragment within the page).
    await page.goto(`${app}/callback${hash}`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const text = await result(page);
    if (text !== 'error: no_transaction') throw new Error(text);
  },
  async 'an ID token with an altered signature is refused'(page) {
    await open(page);
    await page.evaluate(() => sessionStorage.setItem('ig:hold', '1'));
    await interactiveLogin(page);
    await page.waitForSelector('body[data-ready="true"]');
    const hash = await page.evaluate(() => window.receivedHash);
    const altered = hash.replace(/(id_token=[^&]*)(.)(&|$)/, (_, head, last, end) => `${head}${last === 'A' ? 'Q' : 'A'}${end}`);
    await page.evaluate((h) => window.completeWith(h), altered);
    const text = await result(page);
    if (text !== 'error: jwt') throw new Error(text);
  },
  async 'the API refuses a call without a token'(page) {
    await open(page);
    const answer = await callApi(page, '#call-api-anon');
    if (!answer.startsWith('401 ')) throw new Error(answer);
    const forged = await page.evaluate(async (url) => (await fetch(url, { headers: { Authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } })).status, api);
    if (forged !== 401) throw new Error(`forged token: ${forged}`);
  },
};

let passed = 0;
let failed = 0;
for (const [name, run] of Object.entries(scenarios)) {
  const b = await browser();
  try {
    await run(b.page);
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${String(e.message).split('\n')[0]}`);
  } finally {
    await b.close();
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
