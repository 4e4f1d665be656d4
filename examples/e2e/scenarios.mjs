// The end-to-end scenarios in Debian's Chromium, driven by playwright-core, against one
// OpenID Provider (its profile below). Each scenario names what it needs of the provider;
// a provider that lacks it skips the scenario, with the reason printed.
// Usage: node scenarios.mjs PROVIDER APP_PORT ISSUER API_URL [SCREENSHOT_PATH]
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [provider, appPort, issuer, api, screenshot] = process.argv.slice(2);
const app = `http://127.0.0.1:${appPort}`;
const op = new URL(issuer).origin;
const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

/**
 * What each provider offers the scenarios: its pages (login form, consent, logout
 * confirmation), the paths of its pages a silent login must not show, the clients the
 * renewal scenario uses, and why it lacks what some scenarios need.
 */
const profiles = {
  'oidc-provider': {
    login: { user: 'input[name="login"]', password: 'input[name="password"]', secret: 'any password', submit: 'button[type="submit"]' },
    consent: { accept: 'button[type="submit"]:has-text("Continue")', decline: 'a:has-text("Cancel")' },
    confirmLogout: (page) => page.click('button[name="logout"][value="yes"]'),
    ui: ['/interaction/'],
    // spa-short's access tokens live 3 s; renew_margin=0 renews when they expire.
    renewal: { query: '?client=spa-short&renew_margin=0', expires: true },
    // What the run expects of it, so that a change in the provider fails here rather than
    // skipping checks quietly.
    consentEveryBrowser: true,
    declineQuery: '',
    checksHint: true,
    issParameter: true,
    // code_challenge_methods_supported lists S256.
    pkceListed: true,
    rotation: ['rsa-2048-a', 'rsa-2048-b'],
    lacks: {},
  },
  'django-oidc-provider': {
    login: { user: 'input[name="username"]', password: 'input[name="password"]', secret: 'e2e password', submit: 'button[type="submit"]' },
    consent: { accept: 'input[name="allow"]', decline: 'input[type="submit"]:not([name])' },
    confirmLogout: null,
    ui: ['/accounts/login', '/openid/authorize'],
    // One access token lifetime for every client (OIDC_TOKEN_EXPIRE, 3600 s): a margin of
    // 3597 s renews 3 s after the login.
    renewal: { query: '?renew_margin=3597', expires: false },
    // Consent is remembered per user in its database: shown once, then again only on
    // prompt=consent.
    consentEveryBrowser: false,
    declineQuery: '?prompt=consent',
    checksHint: false,
    issParameter: false,
    // It checks any PKCE challenge sent, but its metadata does not say so: the page tells
    // the module (`pkce=assumed`, RFC 9700 §2.1.1's deployment-specific way).
    pkceListed: false,
    rotation: null, // its kids are the MD5 of each key's PEM
    lacks: {
      audience: 'has no resource indicators: it ignores `audience` and issues opaque access tokens for its own resources',
      'silent code': 'asks the user of a public code client for consent at every login (is_client_allowed_to_skip_consent): prompt=none answers consent_required',
    },
  },
};
const profile = profiles[provider];
if (!profile) throw new Error(`unknown provider ${provider}`);
if ((metadata.code_challenge_methods_supported ?? []).includes('S256') !== profile.pkceListed) {
  throw new Error(`${provider}'s metadata no longer says code_challenge_methods_supported ${profile.pkceListed ? 'S256' : '(none)'}`);
}
if ((metadata.authorization_response_iss_parameter_supported === true) !== profile.issParameter) {
  throw new Error(`${provider}'s metadata no longer says authorization_response_iss_parameter_supported ${profile.issParameter}`);
}

/** Why the provider cannot run a scenario that needs `need`, or nothing when it can. */
function lacks(need) {
  if (['ES256', 'PS256', 'ES384', 'EdDSA'].includes(need)) {
    const algs = metadata.id_token_signing_alg_values_supported;
    return algs.includes(need) ? null : `signs ID tokens with ${algs.join(', ')} only (id_token_signing_alg_values_supported)`;
  }
  if (need === 'logout') return metadata.end_session_endpoint ? null : 'has no end_session_endpoint';
  return profile.lacks[need] ?? null;
}

/** A check a scenario leaves out for this provider, said in the run's output. */
const partly = (why) => console.log(`     (${provider}: ${why})`);
/** A URL of one of the provider's pages (login, consent, interaction). */
const providerPage = (url) => url.startsWith(op) && profile.ui.some((p) => new URL(url).pathname.startsWith(p));
/** A fresh browser profile: no provider session, no storage. */
async function browser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-e2e-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15000);
  return { context, page, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Another tab in the same browser: same provider session, its own `sessionStorage`. */
async function newTab(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

/** Opens the app with `query`, and waits for the crate to have built the Sign In link. */
async function open(page, query = '') {
  await page.goto(`${app}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** A whole login with `client` (whose ID tokens use its own `alg`), then an API call. */
async function signsInWith(page, client) {
  await open(page, `?client=${client}`);
  await interactiveLogin(page);
  const text = await result(page);
  if (!text.startsWith('signed in as jane')) throw new Error(text);
  const answer = await callApi(page);
  if (!answer.startsWith('200 ')) throw new Error(answer);
}

/** Signs in as `login` through the provider's own login page, then its consent page
 *  (declined with `cancelConsent`) when it shows one. */
async function interactiveLogin(page, { cancelConsent = false, login = 'jane' } = {}) {
  await page.click('#signin');
  const { user, password, secret, submit } = profile.login;
  await page.waitForSelector(user);
  if (!cancelConsent && !profile.consentEveryBrowser) return throughProvider(page, login);
  await page.fill(user, login);
  await page.fill(password, secret);
  await page.click(submit);
  await page.locator(cancelConsent ? profile.consent.decline : profile.consent.accept).click();
  await page.waitForURL(`${app}/callback**`);
}

/**
 * After a click on Sign In: goes through whatever the provider shows (its login form, its
 * consent page, or nothing when it has a session and a grant) back to the callback.
 */
async function throughProvider(page, login = 'jane') {
  const { user, password, secret, submit } = profile.login;
  await page.waitForURL((url) => url.origin !== app || url.pathname === '/callback');
  for (let step = 0; step < 6; step += 1) {
    const next = page.locator(`${user}, ${profile.consent.accept}, body[data-ready="true"]`).first();
    await next.waitFor();
    if (new URL(page.url()).origin === app) return;
    // Each of the provider's pages has a URL of its own (oidc-provider: a new
    // /interaction/<uid> per prompt; django-oidc-provider: its login page, then /authorize).
    const at = page.url();
    if (await page.locator(user).count() > 0) {
      await page.fill(user, login);
      await page.fill(password, secret);
      await page.click(submit);
    } else {
      await page.click(profile.consent.accept);
    }
    await page.waitForURL((url) => url.href !== at);
  }
  throw new Error(`still at the provider: ${page.url()}`);
}

/** Stops the callback page from completing by itself (it keeps `window.received`). */
const hold = (page) => page.evaluate(() => sessionStorage.setItem('ig:hold', '1'));

/** The logins pending in the tab's `sessionStorage`, one `ig.tx.<key>` item each. */
const pending = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('ig.tx.')).length);

/** Completes a held callback page with its own response (the fragment, or the code's
 *  query); returns the page's result. */
async function completeHeld(page) {
  await page.waitForSelector('body[data-ready="true"]');
  const hash = await page.evaluate(() => window.received);
  if (!/[#?&](id_token|code)=/.test(hash)) throw new Error(`no ID token or code in ${hash.slice(0, 60)}`);
  return resultOf(page, hash);
}

/** The page's result for the callback response `input` (a fragment or a query). */
async function resultOf(page, input) {
  await page.evaluate((h) => window.completeWith(h), input);
  return page.textContent('#result');
}

/** The authorization code + PKCE client (the same name at both providers). */
const CODE = `?client=spa-code&response_type=code${profile.pkceListed ? '' : '&pkce=assumed'}`;

/** A code login held at its callback: the query it received, parsed. */
async function heldCode(page) {
  await open(page, CODE);
  await hold(page);
  await page.click('#signin');
  await throughProvider(page);
  await page.waitForSelector('body[data-ready="true"]');
  const query = new URLSearchParams((await page.evaluate(() => window.received)).slice(1));
  if (!query.get('code') || !query.get('state')) throw new Error(`no code or state in the callback: ${[...query.keys()]}`);
  return query;
}

/** The access token of the page's session. */
const accessToken = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('ig:session')).accessToken);

/** Signed in with an access token, which the API accepts. */
async function signedInAndApi(page, label) {
  const text = await page.textContent('#result');
  if (!text.startsWith('signed in as jane (with an access token)')) throw new Error(`${label}: ${text}`);
  const answer = await callApi(page);
  if (!answer.startsWith('200 ')) throw new Error(`${label}, API: ${answer}`);
}

/** The `kid` in the header of the ID token the callback page received. */
async function idTokenKid(page) {
  const hash = await page.evaluate(() => window.received);
  const token = new URLSearchParams(hash.slice(1)).get('id_token');
  if (!token) throw new Error(`no ID token in ${hash.slice(0, 80)}`);
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;
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

/** [name, what it needs of the provider, run]. */
const scenarios = [
  ['id_token token + audience: interactive login, then the API answers', [], async (page) => {
    await open(page);
    await interactiveLogin(page);
    const text = await result(page);
    if (!text.startsWith('signed in as jane (with an access token)')) throw new Error(text);
    const answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(answer);
    if (screenshot) await page.screenshot({ path: screenshot });
    // What this provider sent, for the README's list of differences (names only: no values).
    const hash = new URLSearchParams((await page.evaluate(() => window.received)).slice(1));
    const [header, claims] = hash.get('id_token').split('.', 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    console.log(`     fragment: ${[...hash.keys()].join(' ')} (token_type=${hash.get('token_type')})`);
    console.log(`     ID token header: ${Object.keys(header).join(' ')}; claims: ${Object.keys(claims).join(' ')}`);
  }],
  ['id_token only: signed in without an access token', [], async (page) => {
    await open(page, '?response_type=id_token&audience=');
    await interactiveLogin(page);
    const text = await result(page);
    if (text !== 'signed in as jane') throw new Error(text);
  }],
  ['prompt=none after a login: signed in again without any UI', [], async (page) => {
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
    const ui = visited.filter(providerPage);
    if (ui.length > 0) throw new Error(`UI shown: ${ui[0]}`);
  }],
  ['prompt=none without a session: login_required, as a denial', [], async (page) => {
    await open(page, '?prompt=none');
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const text = await result(page);
    if (text !== 'denied: login_required') throw new Error(text);
  }],
  ['the user declines consent: access_denied', [], async (page) => {
    await open(page, profile.declineQuery);
    await interactiveLogin(page, { cancelConsent: true });
    const text = await result(page);
    if (text !== 'denied: access_denied') throw new Error(text);
  }],
  ['an unknown audience: invalid_target', ['audience'], async (page) => {
    await open(page, `?audience=${encodeURIComponent('https://unknown.example/api')}`);
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const text = await result(page);
    if (text !== 'denied: invalid_target') throw new Error(text);
  }],
  ['the ES256 client: signed in, and the API answers', ['ES256'], async (page) => {
    await signsInWith(page, 'spa-es256');
  }],
  ['the PS256 client: signed in, and the API answers', ['PS256'], async (page) => {
    await signsInWith(page, 'spa-ps256');
  }],
  ['the ES384 client: signed in, and the API answers', ['ES384'], async (page) => {
    await signsInWith(page, 'spa-es384');
  }],
  ['the EdDSA (Ed25519) client: signed in, and the API answers', ['EdDSA'], async (page) => {
    await signsInWith(page, 'spa-eddsa');
  }],
  ['a tampered state finds no transaction, and the real redirect still completes', [], async (page) => {
    await open(page);
    await page.evaluate(() => sessionStorage.setItem('ig:hold', '1'));
    await interactiveLogin(page);
    await page.waitForSelector('body[data-ready="true"]');
    const hash = await page.evaluate(() => window.received);
    const tampered = hash.replace(/state=([^&])/, (_, c) => `state=${c === 'A' ? 'B' : 'A'}`);
    await page.evaluate((h) => window.completeWith(h), tampered);
    const text = await result(page);
    if (text !== 'error: no_transaction') throw new Error(text);
    await page.evaluate((h) => window.completeWith(h), hash);
    const after = await page.textContent('#result');
    if (!after.startsWith('signed in')) throw new Error(`after the stray one: ${after}`);
  }],
  ['reloading the callback (a replay) finds no transaction', [], async (page) => {
    await open(page);
    await interactiveLogin(page);
    const first = await result(page);
    if (!first.startsWith('signed in')) throw new Error(first);
    const hash = await page.evaluate(() => window.received);
    // The same URL again, fragment and all, loaded afresh (goto alone would only move
    // to the fragment within the page).
    await page.goto(`${app}/callback${hash}`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const text = await result(page);
    if (text !== 'error: no_transaction') throw new Error(text);
  }],
  ['an ID token with an altered signature is refused', [], async (page) => {
    await open(page);
    await page.evaluate(() => sessionStorage.setItem('ig:hold', '1'));
    await interactiveLogin(page);
    await page.waitForSelector('body[data-ready="true"]');
    const hash = await page.evaluate(() => window.received);
    const altered = hash.replace(/(id_token=[^&]*)(.)(&|$)/, (_, head, last, end) => `${head}${last === 'A' ? 'Q' : 'A'}${end}`);
    await page.evaluate((h) => window.completeWith(h), altered);
    const text = await result(page);
    if (text !== 'error: jwt') throw new Error(text);
  }],
  ['two tabs, reverse order: two logins pending, the later one completed first, both sign in', [], async (page, context) => {
    const a = page;
    const b = await newTab(context);
    await open(a);
    await hold(a);
    await open(b);
    await hold(b);
    await a.click('#signin');
    await throughProvider(a);
    await b.click('#signin');
    await throughProvider(b);
    await a.waitForSelector('body[data-ready="true"]');
    await b.waitForSelector('body[data-ready="true"]');
    // Each tab keeps its own pending login in its own sessionStorage.
    const both = async () => [await pending(a), await pending(b)].join(' + ');
    const before = await both();
    if (before !== '1 + 1') throw new Error(`${before} logins pending before the completions`);
    const textB = await completeHeld(b);
    if (!textB.startsWith('signed in as jane')) throw new Error(`tab B: ${textB}`);
    const between = await both();
    if (between !== '1 + 0') throw new Error(`${between} logins pending after tab B`);
    const textA = await completeHeld(a);
    if (!textA.startsWith('signed in as jane')) throw new Error(`tab A: ${textA}`);
    const after = await both();
    if (after !== '0 + 0') throw new Error(`${after} logins pending after both`);
    await signedInAndApi(b, 'tab B');
    await signedInAndApi(a, 'tab A');
  }],
  ['silent renewal in one tab while an interactive login is pending in another', [], async (page, context) => {
    const a = page;
    await open(a);
    await interactiveLogin(a);
    const first = await result(a);
    if (!first.startsWith('signed in as jane')) throw new Error(`first login: ${first}`);
    // An interactive login (prompt=login: the provider shows its form despite the session),
    // back at the callback but held.
    await open(a, '?prompt=login');
    await hold(a);
    await a.click('#signin');
    await a.waitForSelector(profile.login.user);
    await throughProvider(a);
    await a.waitForSelector('body[data-ready="true"]');
    const held = await pending(a);
    if (held !== 1) throw new Error(`${held} logins pending with tab A held, not 1`);
    const b = await newTab(context);
    await open(b, '?prompt=none');
    const visited = [];
    b.on('framenavigated', (frame) => visited.push(frame.url()));
    await b.click('#signin');
    await b.waitForURL(`${app}/callback**`);
    const silent = await result(b);
    if (!silent.startsWith('signed in as jane (with an access token)')) throw new Error(`tab B (silent): ${silent}`);
    const ui = visited.filter(providerPage);
    if (ui.length > 0) throw new Error(`tab B showed UI: ${ui[0]}`);
    const still = await pending(a);
    if (still !== 1) throw new Error(`${still} logins pending after the silent one, not 1`);
    await signedInAndApi(b, 'tab B');
    const textA = await completeHeld(a);
    if (!textA.startsWith('signed in as jane')) throw new Error(`tab A: ${textA}`);
    if (await pending(a) !== 0) throw new Error('a login still pending after tab A');
    await signedInAndApi(a, 'tab A');
  }],
  ['a stray error response with an unknown state finds no transaction, and the real redirect still completes', [], async (page) => {
    await open(page);
    await hold(page);
    await interactiveLogin(page);
    await page.waitForSelector('body[data-ready="true"]');
    const hash = await page.evaluate(() => window.received);
    const stray = `#error=access_denied&state=${crypto.randomBytes(32).toString('base64url')}`;
    const withIss = (iss) => `${stray}&iss=${encodeURIComponent(iss)}`;
    // Each is refused before the store is touched, or finds no transaction: the pending
    // login stays.
    const expected = profile.issParameter
      // The provider advertises RFC 9207 (Supported): an error response must carry `iss`.
      ? [[stray, 'error: response'], [withIss(issuer), 'error: no_transaction']]
      // It does not (from_metadata: Tolerated): `iss` is optional, but checked when sent.
      : [[stray, 'error: no_transaction'], [withIss(issuer), 'error: no_transaction'],
        [withIss(`${issuer}/other`), 'error: flow']];
    for (const [fragment, want] of expected) {
      const text = await resultOf(page, fragment);
      if (text !== want) throw new Error(`${fragment.slice(0, 24)}…${fragment.slice(-24)}: ${text}, not ${want}`);
      if (await pending(page) !== 1) throw new Error(`${fragment.slice(-24)} consumed the login`);
    }
    const left = await pending(page);
    if (left !== 1) throw new Error(`${left} logins pending after the stray responses, not 1`);
    await page.evaluate((h) => window.completeWith(h), hash);
    await signedInAndApi(page, 'after the stray one');
    if (await pending(page) !== 0) throw new Error('the login is still pending after its completion');
  }],
  ['discovery: the page configures itself from the provider metadata', [], async (page) => {
    const fetched = [];
    page.on('request', (request) => fetched.push(request.url()));
    await open(page);
    if (!fetched.includes(`${issuer}/.well-known/openid-configuration`)) throw new Error(`metadata not fetched: ${fetched}`);
    const signin = new URL(await page.getAttribute('#signin', 'href'));
    if (`${signin.origin}${signin.pathname}` !== metadata.authorization_endpoint) throw new Error(`authorize URL ${signin}`);
    await interactiveLogin(page);
    await result(page);
    await signedInAndApi(page, 'discovered');
    // The JWKS came from the metadata's jwks_uri.
    if (!fetched.includes(metadata.jwks_uri)) throw new Error(`JWKS not fetched from ${metadata.jwks_uri}`);
  }],
  ['logout round trip: end-session with id_token_hint and state, back signed out, no provider session', ['logout'], async (page) => {
    await open(page);
    await interactiveLogin(page);
    await result(page);
    await signedInAndApi(page, 'before logout');
    const request = page.waitForRequest((r) => r.url().startsWith(metadata.end_session_endpoint));
    await page.click('#signout');
    const asked = new URL((await request).url());
    if (!asked.searchParams.get('id_token_hint') || !asked.searchParams.get('state')) throw new Error(`logout URL ${asked}`);
    if (asked.searchParams.get('post_logout_redirect_uri') !== `${app}/signed-out`) throw new Error(`logout URL ${asked}`);
    // oidc-provider asks the user to confirm; django-oidc-provider logs out at once when
    // the hint names a client and the URI is one of the client's.
    if (profile.confirmLogout) await profile.confirmLogout(page);
    await page.waitForURL(`${app}/signed-out**`);
    await page.waitForSelector('body[data-ready="true"]');
    const text = await page.textContent('#result');
    if (text !== 'signed out') throw new Error(text);
    // The provider session is gone: a silent login now needs the user.
    await open(page, '?prompt=none');
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const silent = await result(page);
    if (silent !== 'denied: login_required') throw new Error(`after logout, prompt=none: ${silent}`);
  }],
  ['silent renewal at renew_at: a hidden iframe, prompt=none, a fresh access token the API accepts', [], async (page) => {
    await open(page, profile.renewal.query);
    // What the iframe asks for (its navigations commit only at the callback: the provider
    // answers prompt=none with a redirect).
    const frames = [];
    const shown = [];
    page.on('request', (request) => { if (request.frame() !== page.mainFrame()) frames.push(request.url()); });
    // A provider page the iframe got (not a redirect): django-oidc-provider's consent page
    // has the authorization endpoint's own URL.
    page.on('response', (response) => {
      if (response.frame() !== page.mainFrame() && response.status() === 200 && providerPage(response.url())) shown.push(response.url());
    });
    await interactiveLogin(page);
    const first = await result(page);
    if (!first.startsWith('signed in as jane (with an access token)')) throw new Error(first);
    const before = await page.evaluate(() => `Bearer ${JSON.parse(sessionStorage.getItem('ig:session')).accessToken}`);
    await page.waitForFunction(() => window.renewals >= 1, null, { timeout: 15000 });
    const text = await page.textContent('#result');
    if (text !== 'renewed: signed in as jane (with an access token)') throw new Error(text);
    const after = await page.evaluate(() => `Bearer ${JSON.parse(sessionStorage.getItem('ig:session')).accessToken}`);
    if (after === before) throw new Error('the renewal kept the old access token');
    if (!frames.some((url) => url.startsWith(`${metadata.authorization_endpoint}?`) && url.includes('prompt=none'))) throw new Error(`no silent request: ${frames}`);
    const ui = frames.filter((url) => providerPage(url) && !url.startsWith(metadata.authorization_endpoint));
    if (ui.length > 0 || shown.length > 0) throw new Error(`the renewal showed UI: ${ui[0] ?? shown[0]}`);
    const answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(`API with the renewed token: ${answer}`);
    if (!profile.renewal.expires) {
      partly('one access token lifetime for every client: the old token is still live, its refusal is not checked');
      return;
    }
    // The first access token has expired: the API refuses it.
    const old = await page.evaluate(async ([url, header]) => (await fetch(url, { headers: { Authorization: header } })).status, [api, before]);
    if (old !== 401) throw new Error(`API with the expired token: ${old}`);
  }],
  ['a renewal after the provider switched users keeps the session or asks to log in, never switches', [], async (page, context) => {
    await open(page);
    await interactiveLogin(page);
    const first = await result(page);
    if (!first.startsWith('signed in as jane')) throw new Error(`first login: ${first}`);
    const idToken = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('ig:session')).idToken);
    const janes = await idToken();
    // In another tab, the provider's session becomes john's.
    const other = await newTab(context);
    await open(other, '?prompt=login');
    await interactiveLogin(other, { login: 'john' });
    const johns = await result(other);
    if (!johns.startsWith('signed in as john')) throw new Error(`tab B: ${johns}`);
    const renew = async () => {
      await page.evaluate(() => { document.getElementById('result').textContent = ''; window.renewSilently(); });
      await page.waitForFunction(() => document.getElementById('result').textContent.startsWith('renew'));
      return page.textContent('#result');
    };
    if (!profile.checksHint) partly('does not read id_token_hint: only the crate\'s refusal is checked');
    if (profile.checksHint) {
      // oidc-provider compares the hint with its session: login_required, the app asks.
      const asked = await renew();
      if (asked !== 'renewal needs an interactive login') throw new Error(`hint honoured: ${asked}`);
      if (await idToken() !== janes) throw new Error('the session changed after login_required');
    }
    // A provider that ignores the hint answers for john (django-oidc-provider reads no
    // id_token_hint; oidc-provider gets the request without it), and the crate refuses
    // john's verified ID token for a renewal bound to jane.
    await page.route(`${metadata.authorization_endpoint}?**`, (route) => {
      const url = new URL(route.request().url());
      if (!url.searchParams.has('id_token_hint')) throw new Error('the renewal sent no hint');
      url.searchParams.delete('id_token_hint');
      return route.continue({ url: url.href });
    });
    const refused = await renew();
    if (refused !== 'renewal failed: error: user') throw new Error(`hint ignored: ${refused}`);
    const detail = await page.getAttribute('#result', 'data-detail');
    if (!detail.includes('another user')) throw new Error(`detail: ${detail}`);
    if (await idToken() !== janes) throw new Error('the session switched users');
  }],
  ['code + PKCE: interactive login, the token request POSTed with the verifier, the API answers; the refresh token brings a new access token', [], async (page) => {
    const posted = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url() === metadata.token_endpoint) posted.push(r.postData()); });
    await open(page, CODE);
    const signin = new URL(await page.getAttribute('#signin', 'href'));
    if (signin.searchParams.get('response_type') !== 'code' || signin.searchParams.get('code_challenge_method') !== 'S256') throw new Error(`authorize URL ${signin.search.slice(0, 80)}`);
    await interactiveLogin(page);
    const text = await result(page);
    if (!text.startsWith('signed in as jane (with an access token)')) throw new Error(text);
    const query = new URLSearchParams((await page.evaluate(() => window.received)).slice(1));
    if (!query.get('code') || query.has('access_token') || query.has('id_token')) throw new Error(`callback query: ${[...query.keys()]}`);
    // RFC 7636 §4.6: the verifier POSTed is the one whose S256 challenge the request sent.
    const sent = new URLSearchParams(posted[0] ?? '');
    const verifier = sent.get('code_verifier') ?? '';
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    if (posted.length !== 1 || sent.get('grant_type') !== 'authorization_code' || challenge !== signin.searchParams.get('code_challenge')) {
      throw new Error(`token request: ${[...sent.keys()]}`);
    }
    let answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(`API: ${answer}`);
    const before = await accessToken(page);
    await page.evaluate(() => window.refreshSession());
    const refreshed = await page.textContent('#result');
    if (refreshed !== 'refreshed: signed in as jane (with an access token)') throw new Error(refreshed);
    if (new URLSearchParams(posted[1] ?? '').get('grant_type') !== 'refresh_token') throw new Error('no refresh request');
    if (await accessToken(page) === before) throw new Error('the refresh kept the old access token');
    answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(`API after the refresh: ${answer}`);
  }],
  ['code + PKCE: a code injected into another tab\'s login is refused by the provider (invalid_grant); its own tab still signs in with it', [], async (page, context) => {
    const a = page;
    const b = await newTab(context);
    const ofA = await heldCode(a);
    const ofB = await heldCode(b);
    // Tab A's code, with tab B's state (and the rest of B's response): B's transaction
    // takes it, and B's verifier goes with it to the token endpoint, which refuses.
    const injected = new URLSearchParams(ofB);
    injected.set('code', ofA.get('code'));
    const refused = await resultOf(b, `?${injected}`);
    if (refused !== 'denied: invalid_grant') throw new Error(`tab B, A's code: ${refused}`);
    // The refusal spent B's transaction: B's own code finds none now.
    const own = await resultOf(b, `?${ofB}`);
    if (own !== 'error: no_transaction') throw new Error(`tab B, its own code: ${own}`);
    // The provider did not burn A's code on the failed verifier: A completes with it.
    const textA = await completeHeld(a);
    if (!textA.startsWith('signed in as jane (with an access token)')) throw new Error(`tab A: ${textA}`);
    await signedInAndApi(a, 'tab A');
  }],
  ['code + PKCE: two tabs, reverse order: two codes waiting, the later one redeemed first, both sign in', [], async (page, context) => {
    const a = page;
    const b = await newTab(context);
    await heldCode(a);
    await heldCode(b);
    const textB = await completeHeld(b);
    if (!textB.startsWith('signed in as jane (with an access token)')) throw new Error(`tab B: ${textB}`);
    const textA = await completeHeld(a);
    if (!textA.startsWith('signed in as jane (with an access token)')) throw new Error(`tab A: ${textA}`);
    if (await accessToken(a) === await accessToken(b)) throw new Error('both tabs got the same access token');
    await signedInAndApi(b, 'tab B');
    await signedInAndApi(a, 'tab A');
  }],
  ['code + PKCE: a code already redeemed, replayed into a new login, is refused by the provider (invalid_grant)', [], async (page) => {
    const first = await heldCode(page);
    const text = await completeHeld(page);
    if (!text.startsWith('signed in as jane')) throw new Error(`first: ${text}`);
    const second = await heldCode(page);
    const replayed = new URLSearchParams(second);
    replayed.set('code', first.get('code'));
    const refused = await resultOf(page, `?${replayed}`);
    if (refused !== 'denied: invalid_grant') throw new Error(`replayed code: ${refused}`);
  }],
  ['code + PKCE: a response naming another issuer (mix-up, RFC 9207) is refused before the login is taken', [], async (page) => {
    const query = await heldCode(page);
    const mixedUp = new URLSearchParams(query);
    mixedUp.set('iss', `${issuer}/mix-up`);
    const text = await resultOf(page, `?${mixedUp}`);
    if (text !== 'error: flow') throw new Error(`mixed-up iss: ${text}`);
    if (await pending(page) !== 1) throw new Error('the mixed-up response consumed the login');
    const real = await resultOf(page, `?${query}`);
    if (!real.startsWith('signed in as jane (with an access token)')) throw new Error(`the real response: ${real}`);
  }],
  ['code + PKCE: silent renewal in a hidden iframe with prompt=none: a new code redeemed, no UI, a new access token the API accepts', ['silent code'], async (page) => {
    await open(page, CODE);
    await interactiveLogin(page);
    const first = await result(page);
    if (!first.startsWith('signed in as jane (with an access token)')) throw new Error(first);
    const shown = [];
    page.on('response', (response) => {
      if (response.frame() !== page.mainFrame() && response.status() === 200 && providerPage(response.url())) shown.push(response.url());
    });
    const before = await accessToken(page);
    await page.evaluate(() => { document.getElementById('result').textContent = ''; window.renewSilently(); });
    await page.waitForFunction(() => document.getElementById('result').textContent.startsWith('renew'));
    const text = await page.textContent('#result');
    const detail = await page.getAttribute('#result', 'data-detail');
    if (text !== 'renewed: signed in as jane (with an access token)') throw new Error(`${text} ${detail ?? ''}`);
    if (shown.length > 0) throw new Error(`the renewal showed UI: ${shown[0]}`);
    if (await accessToken(page) === before) throw new Error('the renewal kept the old access token');
    const answer = await callApi(page);
    if (!answer.startsWith('200 ')) throw new Error(`API with the renewed token: ${answer}`);
  }],
  ['the API refuses a call without a token', [], async (page) => {
    await open(page);
    const answer = await callApi(page, '#call-api-anon');
    if (!answer.startsWith('401 ')) throw new Error(answer);
    const forged = await page.evaluate(async (url) => (await fetch(url, { headers: { Authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } })).status, api);
    if (forged !== 401) throw new Error(`forged token: ${forged}`);
  }],
  // Last: the provider keeps signing with the new key after this one.
  ['key rotation: the provider signs with a key the cached JWKS lacks; keys_outdated, refetch, signed in', [], async (page) => {
    await open(page);
    await interactiveLogin(page);
    const first = await result(page);
    if (!first.startsWith('signed in as jane')) throw new Error(`before the rotation: ${first}`);
    const kidBefore = await idTokenKid(page);
    if (await page.evaluate(() => window.keysRefetched) === true) throw new Error('keys refetched before the rotation');
    // The page has now fetched, and its browser cached, a JWKS without rsa-2048-b.
    const rotated = await fetch(`${op}/__e2e/rotate?kid=rsa-2048-b`, { method: 'POST' });
    if (rotated.status !== 200) throw new Error(`rotate: ${rotated.status}`);
    // The provider's kids, the signing one first (django-oidc-provider's kid is the MD5 of
    // its PEM, not the JWK's).
    const { rsa: [signing, previous] } = await rotated.json();
    if (kidBefore !== previous || signing === previous) throw new Error(`before the rotation, signed with ${kidBefore}; the provider's kids: ${signing}, ${previous}`);
    if (profile.rotation && profile.rotation.join() !== [previous, signing].join()) throw new Error(`rotated ${previous} → ${signing}, not ${profile.rotation.join(' → ')}`);
    const published = (await (await fetch(metadata.jwks_uri)).json()).keys.map((k) => k.kid);
    if (!published.includes(signing) || !published.includes(previous)) throw new Error(`provider JWKS after the rotation: ${published}`);
    // A silent renewal: the provider session outlives the rotation.
    await open(page, '?prompt=none');
    await page.click('#signin');
    await page.waitForURL(`${app}/callback**`);
    const text = await result(page);
    const kidAfter = await idTokenKid(page);
    if (kidAfter !== signing) throw new Error(`after the rotation, signed with ${kidAfter}, not ${signing} (${text})`);
    if (await page.evaluate(() => window.keysRefetched) !== true) throw new Error(`keys not refetched (${text})`);
    await signedInAndApi(page, 'after the rotation');
  }],
];

let passed = 0;
let failed = 0;
let skipped = 0;
// E2E_ONLY=text runs only the scenarios whose name contains it (to debug one).
const only = process.env.E2E_ONLY || '';
for (const [name, needs, run] of scenarios.filter(([n]) => n.includes(only))) {
  const missing = needs.map(lacks).find((why) => why);
  if (missing) {
    skipped += 1;
    console.log(`skip ${name}: ${provider} ${missing}`);
    continue;
  }
  const b = await browser();
  try {
    await run(b.page, b.context);
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${String(e.message).split('\n')[0]}`);
  } finally {
    await b.close();
  }
}
console.log(`${provider}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
