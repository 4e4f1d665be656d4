// The page's glue: randomness from crypto.getRandomValues, pending transactions in
// localStorage (shared by the origin's tabs, so a login may be begun in one tab while
// another is pending), time from Date.now(); everything else happens in the WASM module.
const cfg = await (await fetch('/config.json')).json();
let memory;
const view = (ptr, len) => new Uint8Array(memory.buffer, ptr, len);
const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const PREFIX = 'ig.tx.';
const LIFETIME = 600; // seconds, the crate's default transaction lifetime
const keyAt = (ptr, len) => PREFIX + new TextDecoder().decode(view(ptr, len));
const host = {
  random(ptr, len) { crypto.getRandomValues(view(ptr, len)); return 0; },
  // One item per pending login, named by the transaction key; expired ones are pruned.
  save(keyPtr, keyLen, ptr, len, issuedAt) {
    const at = Number(issuedAt);
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const name = localStorage.key(i);
      if (!name.startsWith(PREFIX)) continue;
      const item = JSON.parse(localStorage.getItem(name));
      if (at - item.at > LIFETIME) localStorage.removeItem(name);
    }
    localStorage.setItem(keyAt(keyPtr, keyLen), JSON.stringify({ at, record: b64(view(ptr, len)) }));
    return 0;
  },
  // Read and forget, so a replay finds nothing.
  take(keyPtr, keyLen, ptr, len) {
    const name = keyAt(keyPtr, keyLen);
    const saved = localStorage.getItem(name);
    if (saved === null) return 0;
    localStorage.removeItem(name);
    const bytes = unb64(JSON.parse(saved).record);
    if (bytes.length !== len) return -1;
    view(ptr, len).set(bytes);
    return 1;
  },
};
const { instance } = await WebAssembly.instantiateStreaming(fetch('/implicit_grant.wasm'), { host });
const ig = instance.exports;
memory = ig.memory;
const enc = new TextEncoder();
const dec = new TextDecoder();
const now = () => BigInt(Math.floor(Date.now() / 1000));
const write = (text) => { const b = enc.encode(text); view(ig.ig_io(), b.length).set(b); return b.length; };
const read = (len) => dec.decode(view(ig.ig_io(), len).slice());
const CODES = { 1: 'buffer', 2: 'config', 3: 'response', 4: 'jwt', 5: 'claims', 6: 'no_transaction', 7: 'state', 8: 'flow', 9: 'keys', 10: 'unknown_key' };

// The login's settings: from the page's query (?client=&response_type=&audience=&prompt=),
// kept in sessionStorage for the callback.
const query = new URLSearchParams(location.search);
if (location.pathname === '/') {
  sessionStorage.setItem('ig:settings', JSON.stringify({
    client: query.get('client') || 'spa-rs256',
    responseType: query.get('response_type') || 'id_token token',
    audience: query.has('audience') ? query.get('audience') : cfg.api,
    prompt: query.get('prompt') || '',
  }));
}
const settings = JSON.parse(sessionStorage.getItem('ig:settings') || '{}');
const algs = { 'spa-es256': 'ES256', 'spa-ps256': 'PS256', 'spa-es384': 'ES384', 'spa-eddsa': 'EdDSA' };
const alg = algs[settings.client] || 'RS256';
// oidc-provider sends the RFC 9207 `iss` parameter and advertises it in its metadata.
const lines = [cfg.issuer, `${cfg.issuer}/auth`, settings.client, cfg.redirect, settings.responseType,
  'openid profile email', settings.audience, alg, 'loopback', settings.prompt, 'supported'];
const configured = ig.ig_configure(write(lines.join('\n')));
if (configured !== 0) throw new Error(`configure: ${CODES[-configured]}`);

const result = document.getElementById('result');
let authorization = '';

// Sign in: the authorize URL, built by the crate (which saved the transaction).
if (location.pathname === '/') {
  const n = ig.ig_begin(now());
  document.getElementById('signin').href = n > 0 ? read(n) : `#begin-error-${CODES[-n]}`;
}

// The callback: complete from location.hash and the provider's JWKS.
window.completeWith = async (hash) => {
  // The JWKS may come from the HTTP cache (the provider lets it be kept a while); the retry
  // after `keys_outdated` must bypass that cache, or it would get the same stale keys.
  const run = async (cache = 'default') => {
    const jwks = await (await fetch(`${cfg.issuer}/jwks`, { cache })).text();
    const hashLen = enc.encode(hash).length;
    write(hash + jwks);
    const n = ig.ig_complete(hashLen, enc.encode(jwks).length, now());
    return n < 0 ? ['error', CODES[-n]] : read(n).split('\n');
  };
  let [outcome, a, b] = await run();
  if (outcome === 'keys_outdated') {
    // The provider rotated its keys: fetch its JWKS once more and retry, once.
    window.keysRefetched = true;
    [outcome, a, b] = await run('no-cache');
  }
  if (outcome === 'authorized') {
    authorization = a;
    result.textContent = `signed in as ${b}${a ? ' (with an access token)' : ''}`;
  } else if (outcome === 'denied') {
    result.textContent = `denied: ${a}`;
  } else {
    result.textContent = `error: ${a}`;
  }
};
if (location.pathname === '/callback') {
  window.receivedHash = location.hash;
  // Drop the tokens from the address bar and history (RFC 6749 §3.1.2.5).
  history.replaceState(null, '', '/callback');
  if (sessionStorage.getItem('ig:hold') === null) await window.completeWith(window.receivedHash);
}

const callApi = async (header) => {
  const res = await fetch(cfg.api, { headers: header ? { Authorization: header } : {} });
  document.getElementById('api').textContent = `${res.status} ${await res.text()}`;
};
document.getElementById('call-api').onclick = () => callApi(authorization);
document.getElementById('call-api-anon').onclick = () => callApi('');
document.body.dataset.ready = 'true';
