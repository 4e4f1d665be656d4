// The WASM module through its JavaScript wrapper, in Node: discovery, a login whose RS256
// ID token is signed here with the repository's RSA-2048 test key (node:crypto), a silent
// renewal bound to its user, a logout URL, the code flow (PKCE, the token request through
// the host's fetch, refresh), errors with the module's text, and the keyed
// storage of pending logins.
// Usage: node --test js/test.mjs   (after `cargo build --profile wasm --target wasm32-unknown-unknown`).
// Against the installed npm package (CI): IG_PACKAGE=implicit-grant-wasm, run from the
// project that installed it, with IG_KEYS the repository's tests/data/keys.json; the module
// is then the package's own.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import test from 'node:test';

const here = new URL('.', import.meta.url);
const { ImplicitGrant, ImplicitGrantError, ABI_VERSION, wasmUrl } = await import(process.env.IG_PACKAGE ?? './implicit-grant.mjs');
const wasmPath = process.env.IG_WASM ?? (process.env.IG_PACKAGE
  ? wasmUrl
  : new URL('../../../target/wasm32-unknown-unknown/wasm/implicit_grant_wasm.wasm', here));
const wasm = fs.readFileSync(wasmPath);
const keys = JSON.parse(fs.readFileSync(process.env.IG_KEYS ?? new URL('../../../tests/data/keys.json', here))).keys;
const jwk = keys.find((k) => k.kid === 'rsa-2048-a');

const ISSUER = 'https://op.example';
const CLIENT = 'spa';
const REDIRECT = 'https://app.example/callback';
const AT = 'mF_9.B5f-4.1JqM';
const T0 = 1_790_000_000;

const metadata = JSON.stringify({
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  jwks_uri: `${ISSUER}/jwks`,
  end_session_endpoint: `${ISSUER}/logout`,
  token_endpoint: `${ISSUER}/token`,
  code_challenge_methods_supported: ['S256'],
  response_types_supported: ['code', 'id_token', 'id_token token'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256', 'HS256'],
  authorization_response_iss_parameter_supported: true,
});
const jwks = JSON.stringify({ keys: [{ kty: 'RSA', kid: jwk.kid, use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e }] });

/** Web Storage in memory, as `sessionStorage` behaves. */
class MemoryStorage {
  #items = new Map();
  get length() { return this.#items.size; }
  key(i) { return [...this.#items.keys()][i] ?? null; }
  getItem(k) { return this.#items.has(k) ? this.#items.get(k) : null; }
  setItem(k, v) { this.#items.set(k, String(v)); }
  removeItem(k) { this.#items.delete(k); }
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** The provider: an RS256 ID token for `nonce`, with `at_hash` of the access token. */
function idToken(nonce, { sub = 'jane', aud = CLIENT, accessToken = AT } = {}) {
  const atHash = b64url(crypto.createHash('sha256').update(accessToken).digest().subarray(0, 16));
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' }));
  const claims = b64url(JSON.stringify({
    iss: ISSUER, sub, aud, nonce, iat: T0, exp: T0 + 3600, at_hash: atHash,
  }));
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${claims}`), key);
  return `${header}.${claims}.${b64url(signature)}`;
}

async function load(storage = new MemoryStorage(), settings = {}) {
  const ig = await ImplicitGrant.load(wasm, { storage, now: () => T0 });
  ig.configure({ issuer: ISSUER, clientId: CLIENT, redirectUri: REDIRECT, metadata, scope: ['openid', 'email'], ...settings });
  return ig;
}

/** The fragment of a success for the login begun at `url`, with this ID token. */
const success = (url, token) => `#access_token=${AT}&token_type=Bearer&id_token=${token}`
  + `&state=${new URL(url).searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`;

test('a login configured from the metadata completes with a verified RS256 ID token', async () => {
  const storage = new MemoryStorage();
  const ig = await load(storage);
  const url = new URL(ig.begin());
  assert.equal(url.origin + url.pathname, `${ISSUER}/authorize`);
  assert.equal(url.searchParams.get('response_type'), 'id_token token');
  assert.equal(url.searchParams.get('scope'), 'openid email');
  const state = url.searchParams.get('state');
  const nonce = url.searchParams.get('nonce');
  assert.match(state, /^[A-Za-z0-9_-]{43}$/);
  // One sessionStorage item, named by the transaction key.
  assert.equal(ig.pending, 1);
  assert.match(storage.key(0), /^ig\.tx\.[A-Za-z0-9_-]{22}$/);

  const hash = `#access_token=${AT}&token_type=Bearer&expires_in=3600&id_token=${idToken(nonce)}`
    + `&state=${state}&iss=${encodeURIComponent(ISSUER)}`;
  const outcome = ig.complete(hash, jwks);
  assert.equal(outcome.kind, 'authorized');
  assert.equal(outcome.accessToken, AT);
  assert.equal(outcome.sub, 'jane');
  assert.equal(outcome.renewAt, T0 + 3600 - 60);
  assert.equal(outcome.idToken.split('.').length, 3);
  assert.equal(ig.pending, 0);
  // A replay finds no transaction.
  assert.throws(() => ig.complete(hash, jwks), (e) => e instanceof ImplicitGrantError && e.kind === 'no_transaction'
    && e.detail === 'flow: no pending transaction (replay or lost storage)');
  assert.equal(ig.bearer(AT), `Bearer ${AT}`);
});

test('a tampered signature is refused, and the login it answered is consumed', async () => {
  const ig = await load();
  const url = new URL(ig.begin());
  const token = idToken(url.searchParams.get('nonce'));
  const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'Q' : 'A');
  const hash = (t) => `#access_token=${AT}&token_type=Bearer&id_token=${t}&state=${url.searchParams.get('state')}`
    + `&iss=${encodeURIComponent(ISSUER)}`;
  assert.throws(() => ig.complete(hash(tampered), jwks), (e) => e.kind === 'jwt'
    && e.message === 'complete: jwt: jwt: signature does not verify');
  // The transaction was taken and consumed by the refused attempt: nothing is left.
  assert.equal(ig.pending, 0);
});

test('silent renewal: prompt=none with the last ID token; login_required needs the user', async () => {
  const ig = await load();
  const last = idToken('n-0S6_WzA2Mj');
  const url = new URL(ig.beginSilent(last));
  assert.equal(url.searchParams.get('prompt'), 'none');
  assert.equal(url.searchParams.get('id_token_hint'), last);
  const state = url.searchParams.get('state');
  const outcome = ig.complete(`#error=login_required&state=${state}&iss=${encodeURIComponent(ISSUER)}`, jwks);
  assert.deepEqual(outcome, { kind: 'denied', error: 'login_required', needsInteraction: true });
  const other = new URL(ig.beginSilent(last)).searchParams.get('state');
  const denied = ig.complete(`#error=access_denied&state=${other}&iss=${encodeURIComponent(ISSUER)}`, jwks);
  assert.equal(denied.needsInteraction, false);
});

test('the logout URL goes to the end-session endpoint of the metadata', async () => {
  const ig = await load();
  const hint = idToken('n');
  const url = ig.logoutUrl({ idToken: hint, postLogoutRedirectUri: 'https://app.example/bye', state: 'lo-123' });
  assert.equal(url, `${ISSUER}/logout?id_token_hint=${hint}&client_id=${CLIENT}`
    + '&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fbye&state=lo-123');
  // State without a redirect target can never come back: refused.
  assert.throws(() => ig.logoutUrl({ idToken: hint, state: 'x' }), (e) => e.kind === 'config');
  // Without a redirect target: the hint and the client only.
  assert.equal(ig.logoutUrl({ idToken: hint }), `${ISSUER}/logout?id_token_hint=${hint}&client_id=${CLIENT}`);
});

test('a damaged storage item is dropped, not a reason to fail every later login', async () => {
  const storage = new MemoryStorage();
  storage.setItem('ig.tx.AAAAAAAAAAAAAAAAAAAAAA', 'not json');
  storage.setItem('ig.tx.BBBBBBBBBBBBBBBBBBBBBB', JSON.stringify({ record: 'AA' }));
  storage.setItem('unrelated', 'kept');
  const ig = await load(storage);
  ig.begin();
  assert.equal(ig.pending, 1);
  assert.equal(storage.getItem('unrelated'), 'kept');
});

test('a fragment too long for the outcome is refused before the login is consumed', async () => {
  const ig = await load();
  const url = new URL(ig.begin());
  const state = url.searchParams.get('state');
  const padding = 'x'.repeat(9000);
  const hash = `#access_token=${AT}&token_type=Bearer&id_token=${idToken(url.searchParams.get('nonce'))}`
    + `&state=${state}&iss=${encodeURIComponent(ISSUER)}&extra=${padding}`;
  assert.throws(() => ig.complete(hash, jwks), (e) => e.kind === 'buffer');
  assert.equal(ig.pending, 1);
});

test('the metadata must name the expected issuer; settings are strict', async () => {
  const ig = await ImplicitGrant.load(wasm, { storage: new MemoryStorage(), now: () => T0 });
  assert.throws(
    () => ig.configure({ issuer: 'https://other.example', clientId: CLIENT, redirectUri: REDIRECT, metadata }),
    (e) => e.kind === 'metadata',
  );
  // Nothing configured: begin fails.
  assert.throws(() => ig.begin(), (e) => e.kind === 'config');
  // The metadata gives the endpoint: the settings may not contradict it.
  assert.throws(
    () => ig.configure({ issuer: ISSUER, clientId: CLIENT, redirectUri: REDIRECT, metadata, authorizationEndpoint: 'https://evil.example/a' }),
    (e) => e.kind === 'config',
  );
  assert.throws(() => ig.configure({ issuer: ISSUER, clientId: CLIENT, redirectUri: REDIRECT, colour: 'red' }), TypeError);
  // Without metadata, the endpoint is required.
  assert.throws(() => ig.configure({ issuer: ISSUER, clientId: CLIENT, redirectUri: REDIRECT }), (e) => e.kind === 'config');
  ig.configure({ issuer: ISSUER, clientId: CLIENT, redirectUri: REDIRECT, authorizationEndpoint: `${ISSUER}/authorize` });
  assert.ok(ig.begin().startsWith(`${ISSUER}/authorize?`));
});

test('a module of another interface version is refused', async () => {
  // The same module with `ig_abi_version` answering 1: a wrapper for 3 must not drive it.
  await assert.rejects(
    ImplicitGrant.load(new WebAssembly.Module(versionPatched(wasm, 1)), { storage: new MemoryStorage() }),
    /interface 1, expected 3/,
  );
});

test('load refuses to start without a storage for pending logins', async () => {
  // Node has no sessionStorage: without one, every begin would fail later.
  assert.equal(globalThis.sessionStorage, undefined);
  await assert.rejects(ImplicitGrant.load(wasm), (e) => e instanceof TypeError && /no storage/.test(e.message));
});

test('a silent renewal answered for another user is refused, and names the fault', async () => {
  const ig = await load();
  const last = idToken('n-0S6_WzA2Mj'); // jane
  const url = ig.beginSilent(last);
  const nonce = new URL(url).searchParams.get('nonce');
  assert.throws(
    () => ig.complete(success(url, idToken(nonce, { sub: 'mallory' })), jwks),
    (e) => e.kind === 'user' && e.code === 12
      && e.detail === 'flow: ID token names another user than the id_token_hint (sub)',
  );
  assert.equal(ig.pending, 0);
  const again = ig.beginSilent(last);
  const renewed = ig.complete(success(again, idToken(new URL(again).searchParams.get('nonce'))), jwks);
  assert.equal(renewed.sub, 'jane');
});

test('trusted audiences admit an ID token also meant for an API', async () => {
  const aud = [CLIENT, 'https://api.example'];
  const plain = await load();
  const url = plain.begin();
  assert.throws(
    () => plain.complete(success(url, idToken(new URL(url).searchParams.get('nonce'), { aud })), jwks),
    (e) => e.kind === 'claims' && /aud/.test(e.detail),
  );
  const trusting = await load(new MemoryStorage(), { trustedAudiences: ['https://api.example'] });
  const next = trusting.begin();
  const outcome = trusting.complete(success(next, idToken(new URL(next).searchParams.get('nonce'), { aud })), jwks);
  assert.equal(outcome.kind, 'authorized');
});

test('a provider without a logout endpoint gets an error that says so', async () => {
  const ig = await ImplicitGrant.load(wasm, { storage: new MemoryStorage(), now: () => T0 });
  ig.configure({ issuer: ISSUER, clientId: CLIENT, redirectUri: REDIRECT, authorizationEndpoint: `${ISSUER}/authorize` });
  assert.throws(() => ig.logoutUrl({ idToken: idToken('n') }),
    (e) => e.kind === 'config' && e.detail === 'config: logout endpoint is missing');
});

test('an access token outside b64token completes the login; only its header is refused', async () => {
  const ig = await load();
  const url = new URL(ig.begin());
  const odd = 'a!b*c$d,e|f';
  const atHash = b64url(crypto.createHash('sha256').update(odd).digest().subarray(0, 16));
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: jwk.kid }));
  const claims = b64url(JSON.stringify({
    iss: ISSUER, sub: 'jane', aud: CLIENT, nonce: url.searchParams.get('nonce'), iat: T0, exp: T0 + 3600, at_hash: atHash,
  }));
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const token = `${header}.${claims}.${b64url(crypto.sign('sha256', Buffer.from(`${header}.${claims}`), key))}`;
  const hash = `#access_token=${encodeURIComponent(odd)}&token_type=Bearer&id_token=${token}`
    + `&state=${url.searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`;
  const outcome = ig.complete(hash, jwks);
  assert.equal(outcome.accessToken, odd);
  assert.throws(() => ig.bearer(odd), (e) => e.kind === 'response' && /access_token/.test(e.detail));
  assert.equal(ABI_VERSION, 3);
});

/** The provider's token endpoint: checks the PKCE verifier against `challenge` (RFC 7636
 *  §4.6) and answers with `tokens`, or `invalid_grant`; records what it was sent. */
function tokenEndpoint(challenge, tokens) {
  const posted = [];
  const fetch = async (url, init) => {
    posted.push({ url, ...init });
    const verifier = new URLSearchParams(init.body).get('code_verifier');
    const ok = verifier === null || b64url(crypto.createHash('sha256').update(verifier).digest()) === challenge;
    return new Response(JSON.stringify(ok ? tokens : { error: 'invalid_grant' }), { status: ok ? 200 : 400 });
  };
  return { posted, fetch };
}

test('the code flow: the redirect read, the token request POSTed through the host, the answer checked, a refresh', async () => {
  const ig = await load(new MemoryStorage(), { responseType: 'code', scope: ['openid', 'offline_access'] });
  const url = new URL(ig.begin());
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  const [state, nonce, challenge] = ['state', 'nonce', 'code_challenge'].map((n) => url.searchParams.get(n));
  const tokens = { access_token: AT, token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1', id_token: idToken(nonce) };
  const { posted, fetch: post } = tokenEndpoint(challenge, tokens);
  const keys = [];
  const jwksOf = async (cache) => { keys.push(cache); return jwks; };
  // The keys are fetched before the code is POSTed: a failure there spends nothing.
  const fetch = async (...args) => { assert.deepEqual(keys, ['default']); return post(...args); };
  const back = `${REDIRECT}?code=SplxlOBeZQQYbYS6WxSbIA&state=${state}&iss=${encodeURIComponent(ISSUER)}`;
  const outcome = await ig.redeemCode(back, { jwks: jwksOf, fetch });
  assert.deepEqual(outcome, {
    kind: 'authorized', accessToken: AT, sub: 'jane', renewAt: T0 + 3600 - 60, idToken: tokens.id_token, refreshToken: 'rt-1',
  });
  assert.equal(posted[0].url, `${ISSUER}/token`);
  assert.equal(posted[0].method, 'POST');
  assert.equal(posted[0].headers['Content-Type'], 'application/x-www-form-urlencoded');
  assert.equal(new URLSearchParams(posted[0].body).get('code'), 'SplxlOBeZQQYbYS6WxSbIA');
  assert.deepEqual(keys, ['default']);
  assert.equal(ig.pending, 0);
  // The same redirect again: its transaction is gone.
  await assert.rejects(ig.redeemCode(back, { jwks: jwksOf, fetch }), (e) => e.kind === 'no_transaction');

  // RFC 6749 §6 and OIDC Core §12.2: the refresh, its ID token for the same user.
  const refreshed = { ...tokens, access_token: 'second-token', refresh_token: 'rt-2', id_token: idToken(nonce, { accessToken: 'second-token' }) };
  const { posted: sent, fetch: fetch2 } = tokenEndpoint(null, refreshed);
  const after = await ig.refreshTokens('rt-1', outcome.idToken, { jwks: jwksOf, fetch: fetch2 });
  assert.equal(after.kind, 'authorized');
  assert.equal(after.accessToken, 'second-token');
  assert.equal(after.refreshToken, 'rt-2');
  assert.equal(sent[0].body, `grant_type=refresh_token&refresh_token=rt-1&client_id=${CLIENT}`);
  const mallory = { ...refreshed, id_token: idToken(nonce, { sub: 'mallory', accessToken: 'second-token' }) };
  await assert.rejects(ig.refreshTokens('rt-2', outcome.idToken, { jwks: jwksOf, fetch: tokenEndpoint(null, mallory).fetch }),
    (e) => e.kind === 'claims' && e.detail === "claims: claim sub differs from the session's ID token");
});

test('a code redeemed with another login\'s verifier is refused by the provider: invalid_grant', async () => {
  // A provider whose metadata does not list PKCE is refused, unless the host knows better.
  const silent = JSON.stringify({ ...JSON.parse(metadata), code_challenge_methods_supported: undefined });
  await assert.rejects(load(new MemoryStorage(), { responseType: 'code', metadata: silent }),
    (e) => e.kind === 'metadata' && e.detail === 'metadata: provider does not list the PKCE method S256');
  await load(new MemoryStorage(), { responseType: 'code', metadata: silent, pkce: 'assumed' });
  const ig = await load(new MemoryStorage(), { responseType: 'code' });
  const first = new URL(ig.begin());
  const second = new URL(ig.begin());
  const nonce = second.searchParams.get('nonce');
  // The provider bound the code to the first login's challenge; it comes back with the
  // second login's state (an injected code), so the second login's verifier is sent.
  const { fetch } = tokenEndpoint(first.searchParams.get('code_challenge'), { access_token: AT, token_type: 'Bearer', id_token: idToken(nonce) });
  const injected = `?code=first-login-code&state=${second.searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`;
  const outcome = await ig.redeemCode(injected, { jwks: async () => jwks, fetch });
  assert.deepEqual(outcome, { kind: 'denied', error: 'invalid_grant', needsInteraction: false });
  assert.equal(ig.pending, 1, 'the first login still waits');
});

test('a rotated key: keys_outdated, the JWK Set fetched again without cache, signed in', async () => {
  const ig = await load(new MemoryStorage(), { responseType: 'code' });
  const url = new URL(ig.begin());
  const nonce = url.searchParams.get('nonce');
  const { fetch } = tokenEndpoint(url.searchParams.get('code_challenge'), { access_token: AT, token_type: 'Bearer', id_token: idToken(nonce) });
  const stale = jwks.replace(jwk.kid, 'retired-key');
  const asked = [];
  const keysFor = async (cache) => { asked.push(cache); return cache === 'no-cache' ? jwks : stale; };
  const back = `?code=c&state=${url.searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`;
  const outcome = await ig.redeemCode(back, { jwks: keysFor, fetch });
  assert.equal(outcome.kind, 'authorized');
  assert.deepEqual(asked, ['default', 'no-cache']);
});

/**
 * `wasm` with the body of `ig_abi_version` (`i32.const 1`, `end`) answering `version`:
 * finds the function through the export and code sections.
 */
function versionPatched(bytes, version) {
  const b = Buffer.from(bytes);
  const uleb = (at) => {
    let result = 0; let shift = 0; let pos = at;
    for (;;) {
      const byte = b[pos]; pos += 1;
      result |= (byte & 0x7f) << shift; shift += 7;
      if ((byte & 0x80) === 0) return [result, pos];
    }
  };
  let pos = 8; let exportIndex = -1; let imported = 0; let code = -1;
  while (pos < b.length) {
    const id = b[pos];
    const [size, start] = uleb(pos + 1);
    if (id === 2) { // imports: count the functions
      let [n, p] = uleb(start);
      for (; n > 0; n -= 1) {
        let len; [len, p] = uleb(p); p += len; [len, p] = uleb(p); p += len;
        const kind = b[p]; p += 1;
        if (kind === 0) { imported += 1; [, p] = uleb(p); } else throw new Error('unexpected import');
      }
    } else if (id === 7) { // exports
      let [n, p] = uleb(start);
      for (; n > 0; n -= 1) {
        let len; [len, p] = uleb(p);
        const name = b.subarray(p, p + len).toString(); p += len;
        const kind = b[p]; p += 1;
        let index; [index, p] = uleb(p);
        if (kind === 0 && name === 'ig_abi_version') exportIndex = index;
      }
    } else if (id === 10) code = start;
    pos = start + size;
  }
  let [n, p] = uleb(code);
  for (let i = 0; i < n; i += 1) {
    const [size, body] = uleb(p);
    if (i + imported === exportIndex) {
      // body: locals count 0, i32.const 2, end
      assert.deepEqual([...b.subarray(body, body + 4)], [0x00, 0x41, ABI_VERSION, 0x0b]);
      b[body + 2] = version;
      return b;
    }
    p = body + size;
  }
  throw new Error('ig_abi_version not found');
}
