// The page's glue around the implicit-grant WASM module, through its typed wrapper
// (examples/wasm-flow/js): the provider's metadata configures it; randomness comes from
// crypto.getRandomValues, pending logins live in sessionStorage (one item per login), time
// from Date.now(). The login is the implicit flow, or authorization code + PKCE
// (?response_type=code), whose token requests the wrapper POSTs with fetch, and whose
// refresh token renews the session. Silent renewals run in a hidden iframe; logout goes
// through the provider's end-session endpoint.
import { ImplicitGrant, ImplicitGrantError, wasmUrl } from '/pkg/implicit-grant.mjs';

const cfg = await (await fetch('/config.json')).json();
// Discovery: the provider's metadata, checked by the module (its issuer must be cfg.issuer).
const metadata = await (await fetch(`${cfg.issuer}/.well-known/openid-configuration`)).text();
const ig = await ImplicitGrant.load(fetch(wasmUrl));
const framed = window.parent !== window;

// The login's settings: from the page's query (?client=&response_type=&audience=&prompt=
// &renew_margin=&pkce=), kept in sessionStorage for the callback and the renewals.
const query = new URLSearchParams(location.search);
if (location.pathname === '/') {
  sessionStorage.setItem('ig:settings', JSON.stringify({
    client: query.get('client') || 'spa-rs256',
    responseType: query.get('response_type') || 'id_token token',
    audience: query.has('audience') ? query.get('audience') : cfg.api,
    prompt: query.get('prompt') || '',
    renewMargin: query.get('renew_margin') || '',
    pkce: query.get('pkce') || '',
  }));
}
const settings = JSON.parse(sessionStorage.getItem('ig:settings') || '{}');
ig.configure({
  issuer: cfg.issuer,
  metadata,
  clientId: settings.client,
  redirectUri: cfg.redirect,
  responseType: settings.responseType,
  scope: ['openid', 'profile', 'email'],
  audience: settings.audience,
  prompt: settings.prompt ? settings.prompt.split(' ') : undefined,
  renewMargin: settings.renewMargin || undefined,
  // `assumed` for a provider known to enforce PKCE though its metadata does not list it.
  pkce: settings.pkce || undefined,
});
const jwksUri = JSON.parse(metadata).jwks_uri;
const code = settings.responseType === 'code';
// The JWKS may come from the HTTP cache (the provider lets it be kept a while); the retry
// after `keys_outdated` must bypass that cache, or it would get the same stale keys.
const jwksText = async (cache = 'default') => {
  if (cache === 'no-cache') window.keysRefetched = true;
  return (await fetch(jwksUri, { cache })).text();
};

const result = document.getElementById('result');
const session = () => JSON.parse(sessionStorage.getItem('ig:session') || 'null');
const describe = (outcome) => {
  if (outcome.kind === 'authorized') {
    return `signed in as ${outcome.sub}${outcome.accessToken ? ' (with an access token)' : ''}`;
  }
  if (outcome.kind === 'denied') return `denied: ${outcome.error}`;
  return `error: ${outcome.kind}`;
};

// Sign in: the authorize URL, built by the module (which saved the transaction).
if (location.pathname === '/' && !framed) {
  try {
    document.getElementById('signin').href = ig.begin();
  } catch (e) {
    document.getElementById('signin').href = `#begin-error-${e.kind}`;
  }
}

// Completes from the callback's fragment (implicit) or query (code: the wrapper POSTs the
// token request and checks the answer) with the provider's JWK Set.
async function completeWith(received) {
  try {
    if (code) return await ig.redeemCode(received, { jwks: jwksText });
    const outcome = ig.complete(received, await jwksText());
    // The provider rotated its keys: fetch its JWKS once more and retry, once.
    return outcome.kind === 'keys_outdated' ? ig.complete(received, await jwksText('no-cache')) : outcome;
  } catch (e) {
    if (e instanceof ImplicitGrantError) return { kind: e.kind, detail: e.detail };
    throw e;
  }
}

// Keeps a session and schedules its silent renewal at `renewAt`.
let renewal;
function signedIn(outcome) {
  sessionStorage.setItem('ig:session', JSON.stringify({
    accessToken: outcome.accessToken, idToken: outcome.idToken, renewAt: outcome.renewAt,
    refreshToken: outcome.refreshToken ?? null,
  }));
  clearTimeout(renewal);
  if (outcome.renewAt !== null) {
    // An instant already past means "now", once: at least a second between renewals.
    renewal = setTimeout(renewSilently, Math.max(1000, outcome.renewAt * 1000 - Date.now()));
  }
}

// A silent renewal: prompt=none with the last ID token, in a hidden iframe whose callback
// page completes it and posts the outcome here.
window.renewals = 0;
window.renewSilently = renewSilently;
function renewSilently() {
  const current = session();
  if (!current?.idToken) return;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.src = ig.beginSilent(current.idToken);
  document.body.append(frame);
  window.addEventListener('message', function onMessage(event) {
    if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
    window.removeEventListener('message', onMessage);
    frame.remove();
    const outcome = event.data;
    if (outcome.kind === 'authorized') {
      window.renewals += 1;
      signedIn(outcome);
      result.textContent = `renewed: ${describe(outcome)}`;
    } else if (outcome.kind === 'denied' && outcome.needsInteraction) {
      result.textContent = 'renewal needs an interactive login';
    } else {
      // The session stays as it was (a renewal for another user, code `user`, among others).
      result.textContent = `renewal failed: ${describe(outcome)}`;
      result.dataset.detail = outcome.detail ?? '';
    }
  });
}

// The code flow's refresh (RFC 6749 §6): a new access token from the refresh token, its
// ID token checked to name the same user (OIDC Core §12.2); the rotated refresh token kept.
window.refreshes = 0;
window.refreshSession = async () => {
  const current = session();
  let outcome;
  try {
    outcome = await ig.refreshTokens(current.refreshToken, current.idToken, { jwks: jwksText });
  } catch (e) {
    if (!(e instanceof ImplicitGrantError)) throw e;
    outcome = { kind: e.kind, detail: e.detail };
  }
  if (outcome.kind === 'authorized') {
    window.refreshes += 1;
    signedIn({ ...outcome, refreshToken: outcome.refreshToken ?? current.refreshToken });
  }
  result.textContent = `refreshed: ${describe(outcome)}`;
  result.dataset.detail = outcome.detail ?? '';
};

window.completeWith = async (received) => {
  const outcome = await completeWith(received);
  if (outcome.kind === 'authorized') signedIn(outcome);
  result.textContent = describe(outcome);
  result.dataset.detail = outcome.detail ?? '';
};

if (location.pathname === '/callback') {
  // The response: the fragment (implicit), or the query (code).
  window.received = code ? location.search : location.hash;
  // Drop the tokens or the code from the address bar and history (RFC 6749 §3.1.2.5).
  history.replaceState(null, '', '/callback');
  if (framed) {
    window.parent.postMessage(await completeWith(window.received), location.origin);
  } else if (sessionStorage.getItem('ig:hold') === null) {
    await window.completeWith(window.received);
  }
}

// Logout: the provider's end-session endpoint, with a state that must come back.
document.getElementById('signout').onclick = () => {
  const state = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    .replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]);
  sessionStorage.setItem('ig:logout-state', state);
  location.assign(ig.logoutUrl({
    idToken: session()?.idToken ?? '', postLogoutRedirectUri: `${cfg.app}/signed-out`, state,
  }));
};
if (location.pathname === '/signed-out') {
  const expected = sessionStorage.getItem('ig:logout-state');
  sessionStorage.removeItem('ig:logout-state');
  sessionStorage.removeItem('ig:session');
  const matches = expected !== null && query.get('state') === expected;
  result.textContent = matches ? 'signed out' : 'signed out, but the state does not match';
}

const callApi = async (header) => {
  const res = await fetch(cfg.api, { headers: header ? { Authorization: header } : {} });
  document.getElementById('api').textContent = `${res.status} ${await res.text()}`;
};
// The header is built when the token is used (RFC 6750 §2.1).
document.getElementById('call-api').onclick = () => {
  const token = session()?.accessToken;
  return callApi(token ? ig.bearer(token) : '');
};
document.getElementById('call-api-anon').onclick = () => callApi('');
document.body.dataset.ready = 'true';
